"""A pure Server-Sent Events decoder: bytes in, events out, no I/O.

It follows the WHATWG event-stream rules
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
with the one difference langgraph-sdk also makes: an event block with a name but no data is
still dispatched (its data is empty), because LangGraph's event names carry meaning on their own.
A block with neither a name nor data (only id or retry) dispatches nothing, as the spec says.

It works on bytes, not text, so that an event's data can be handed on as the upstream's exact
bytes without a decode and re-encode per event.

    decoder = SSEDecoder()
    for chunk in chunks:
        for event in decoder.feed(chunk):
            ...
"""

from __future__ import annotations

from typing import Final, final

_BOM = b"\xef\xbb\xbf"


@final
class ServerSentEvent:
    """One dispatched event. `data` is b"" when the event carried no data line.

    A value, as a frozen dataclass would be (equal by its fields, hashable, read-only to the type
    checker), but written out: compiled, a class with its own __init__ is a C struct made in one
    call, where a dataclass's generated __init__ runs as Python (setting each field through
    object.__setattr__ when frozen), once per event."""

    __match_args__ = ("event", "data", "id")

    def __init__(self, event: str = "", data: bytes = b"", id: str = "") -> None:
        self.event: Final = event
        self.data: Final = data
        self.id: Final = id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return self.event == other.event and self.data == other.data and self.id == other.id

    def __hash__(self) -> int:
        return hash((self.event, self.data, self.id))

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r})"


class LineDecoder:
    """Splits a byte stream into lines on CR, LF and CRLF, across chunk boundaries."""

    def __init__(self) -> None:
        self._buffer = b""
        self._trailing_cr = False

    def feed(self, chunk: bytes) -> list[bytes]:
        if self._trailing_cr and chunk.startswith(b"\n"):
            # The CR that ended the previous chunk was the first half of a CRLF.
            chunk = chunk[1:]
            self._trailing_cr = False
        if not chunk:
            return []  # an empty chunk changes nothing, not even a pending CR
        self._trailing_cr = chunk.endswith(b"\r")
        text = self._buffer + chunk
        lines = text.splitlines()
        if text[-1] in b"\r\n":
            self._buffer = b""
        else:
            self._buffer = lines.pop()
        return lines

    def flush(self) -> list[bytes]:
        """The unterminated last line, if any (at end of stream)."""
        rest, self._buffer, self._trailing_cr = self._buffer, b"", False
        return [rest] if rest else []


class SSEDecoder:
    """Turns byte chunks into ServerSentEvents. Comments (": heartbeat") are dropped."""

    def __init__(self) -> None:
        self._lines = LineDecoder()
        self._head: bytes | None = b""  # bytes held until a leading BOM can be ruled out
        self._reset()

    def _reset(self) -> None:
        self._event = ""
        self._data: list[bytes] = []
        self._id = ""
        self._seen_field = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if self._head is not None:
            head = self._head + chunk
            if len(head) < len(_BOM) and _BOM.startswith(head):
                self._head = head
                return []
            chunk, self._head = head.removeprefix(_BOM), None
        events = []
        # _decode_line, with the lines every event has (its data, its name, the blank line that
        # ends it) handled inline: this runs for every line of every event.
        for line in self._lines.feed(chunk):
            if line.startswith(b"data: "):
                self._data.append(line[6:])
                self._seen_field = True
            elif line.startswith(b"event: "):
                self._event = line[7:].decode("utf-8", "replace")
                self._seen_field = True
            elif line:
                self._decode_line(line)
            elif self._seen_field:
                events.append(ServerSentEvent(self._event, b"\n".join(self._data), self._id))
                self._reset()
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: per the spec, an event not ended by a blank line is discarded."""
        for line in self._lines.flush():
            self._decode_line(line)
        self._reset()
        return []

    def _decode_line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(b":"):
            return None
        name, _, value = line.partition(b":")
        if value.startswith(b" "):
            value = value[1:]
        if name == b"data":
            self._data.append(value)
            self._seen_field = True
        elif name == b"event":
            self._event = value.decode("utf-8", "replace")
            self._seen_field = True
        elif name == b"id" and b"\0" not in value:  # the spec ignores ids containing NUL
            self._id = value.decode("utf-8", "replace")
        # retry and unknown fields are ignored; id or retry alone make no event
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._seen_field:
            return None
        event = ServerSentEvent(self._event, b"\n".join(self._data), self._id)
        self._reset()
        return event
