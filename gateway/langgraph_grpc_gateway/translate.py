"""Request messages to HTTP bodies, and HTTP answers to gRPC messages. Pure: no I/O.

The request messages mirror the HTTP API's bodies field for field, under the same names, so one
generic walk builds every body: each field the client set is copied (unset fields are left out,
so the upstream's own defaults apply), JSON stays JSON, an enum is spelled as the HTTP API spells
it (ON_DISCONNECT_CANCEL -> "cancel"), interrupt_before/after ["*"] becomes "*", and a map is
a JSON object. Query parameters come from the same walk (query_params).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Final, TypeVar

import orjson
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from langgraph_gateway.v1 import crons_pb2, runs_pb2, threads_pb2

from . import errors, wire
from .jsonvalue import JSON, NotJSONError, json_to_value, struct_to_json, value_to_json
from .sse import ServerSentEvent

RunRequest = runs_pb2.StreamRunRequest | runs_pb2.WaitRunRequest | runs_pb2.CreateRunRequest
EventMessage = TypeVar(
    "EventMessage",
    runs_pb2.StreamRunResponse,
    runs_pb2.JoinStreamResponse,
    threads_pb2.JoinThreadStreamResponse,
    runs_pb2.StreamEvent,
)
# The messages of a stream: one event each, or a batch each in `events` (coalesce_events).
StreamMessage = TypeVar(
    "StreamMessage",
    runs_pb2.StreamRunResponse,
    runs_pb2.JoinStreamResponse,
    threads_pb2.JoinThreadStreamResponse,
)

# Fields that steer the gateway or go into the URL: never part of a run creation body.
GATEWAY_FIELDS = frozenset(
    {"thread_id", "data_format", "heartbeat_seconds", "coalesce_events", "notify_run_created"}
)
_ALL_NODES_FIELDS = frozenset({"interrupt_before", "interrupt_after"})
_JSON_TYPES: dict[str, Callable[[Any, str], JSON]] = {
    "google.protobuf.Struct": lambda v, path: struct_to_json(v, path),
    "google.protobuf.Value": lambda v, path: value_to_json(v, path),
    "google.protobuf.ListValue": lambda v, path: [
        value_to_json(x, f"{path}[{i}]") for i, x in enumerate(v.values)
    ],
}


def run_body(request: RunRequest) -> dict[str, JSON]:
    """The JSON body of the run creation that `request` describes."""
    if not request.assistant_id:
        raise errors.invalid_argument("assistant_id is required", "assistant_id")
    return request_body(request, exclude=GATEWAY_FIELDS)


def cron_body(request: crons_pb2.CreateCronRequest) -> dict[str, JSON]:
    """The JSON body of the cron creation that `request` describes (its thread goes in the path)."""
    for field in ("assistant_id", "schedule"):  # required by the HTTP API
        if not getattr(request, field):
            raise errors.invalid_argument(f"{field} is required", field)
    return request_body(request, exclude={"thread_id"})


def batch_body(requests: Sequence[runs_pb2.CreateRunRequest]) -> list[JSON]:
    """The JSON body of POST /runs/batch. It creates stateless runs only: the upstream would
    ignore a thread_id, so one is refused rather than dropped without a word."""
    bodies: list[JSON] = []
    for index, request in enumerate(requests):
        where = f"runs[{index}]"
        if request.thread_id:
            raise errors.invalid_argument(
                f"{where}.thread_id: a batch creates stateless runs only", f"{where}.thread_id"
            )
        if not request.assistant_id:
            raise errors.invalid_argument(f"{where}.assistant_id is required", f"{where}.assistant_id")
        bodies.append(request_body(request, exclude=GATEWAY_FIELDS, prefix=f"{where}."))
    return bodies


def request_body(message: Message, *, exclude: Collection[str] = (), prefix: str = "") -> dict[str, JSON]:
    """Every field of `message` the client set, as JSON; NaN or Infinity is INVALID_ARGUMENT
    (naming the field, after `prefix`)."""
    try:
        return _message_json(message, exclude, prefix)
    except NotJSONError as exc:
        raise errors.invalid_argument(str(exc), exc.path) from exc


def history_body(request: threads_pb2.GetThreadHistoryRequest) -> dict[str, JSON]:
    """The body of POST /threads/{thread_id}/history; `before` is the Checkpoint or, the other form
    langgraph-sdk takes, the checkpoint id (before_checkpoint_id)."""
    body = request_body(request, exclude={"thread_id", "before_checkpoint_id"})
    if request.before_checkpoint_id:
        if "before" in body:
            raise errors.invalid_argument(
                "set at most one of before and before_checkpoint_id", "before_checkpoint_id"
            )
        body["before"] = request.before_checkpoint_id
    return body


def created_thread(answer: JSON) -> JSON:
    """The answer of POST /threads; 201 {"detail": ...} (the thread was made, its supersteps could
    not be applied) is an error, not a thread with no fields."""
    if isinstance(answer, dict) and "thread_id" not in answer and isinstance(answer.get("detail"), str):
        raise errors.partly_done(answer["detail"])
    return answer


def query_params(message: Message, *, exclude: Collection[str] = ()) -> dict[str, str | list[str]]:
    """Every field of `message` the client set, as query parameters: a list is one parameter per
    item (`select=a&select=b`, as httpx sends langgraph-sdk's lists), a bool "true" or "false"."""
    return {name: _query_value(value) for name, value in request_body(message, exclude=exclude).items()}


def _query_value(value: JSON) -> str | list[str]:
    if isinstance(value, list):
        return [item if isinstance(item, str) else json.dumps(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _message_json(message: Message, exclude: Collection[str], prefix: str) -> dict[str, JSON]:
    return {
        field.name: _field_json(field, value, prefix + field.name)
        for field, value in message.ListFields()
        if field.name not in exclude
    }


def _field_json(field: FieldDescriptor, value: Any, path: str) -> JSON:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        item = field.message_type.fields_by_name["value"]
        return {key: _single_json(item, value[key], f"{path}.{key}") for key in value}
    if field.is_repeated:
        items = [_single_json(field, item, f"{path}[{i}]") for i, item in enumerate(value)]
        return "*" if field.name in _ALL_NODES_FIELDS and items == ["*"] else items
    return _single_json(field, value, path)


def _single_json(field: FieldDescriptor, value: Any, path: str) -> JSON:
    if field.message_type is not None:
        to_json = _JSON_TYPES.get(field.message_type.full_name)
        return to_json(value, path) if to_json else _message_json(value, (), path + ".")
    if field.enum_type is not None:
        return enum_spelling(field, value, path)
    if isinstance(value, float) and not math.isfinite(value):
        raise NotJSONError(path, "NaN" if math.isnan(value) else "Infinity")
    return value


def enum_spelling(field: FieldDescriptor, number: int, path: str) -> str:
    """ON_DISCONNECT_CANCEL -> "cancel": the value's name less the enum's prefix, lower-cased."""
    enum = field.enum_type
    assert enum is not None
    value = enum.values_by_number.get(number)
    if value is None:  # a client built from a newer .proto than ours
        raise errors.invalid_argument(f"{path} has no value {number} in {enum.full_name}", path)
    prefix = "".join(f"_{c}" if c.isupper() else c for c in enum.name).lstrip("_").upper() + "_"
    return str(value.name).removeprefix(prefix).lower()


def encode_body(body: JSON) -> bytes:
    """The upstream request's JSON body, written by orjson as langgraph-sdk writes its own. (orjson
    would write NaN and Infinity as null: they never get here, refused as INVALID_ARGUMENT where the
    request became JSON, by _field_json and jsonvalue.)"""
    return wire.right_sized(orjson.dumps(body))  # kept while the upstream answers: a stream's life


def raw_json_wanted(request: Any) -> bool:
    return bool(request.data_format == runs_pb2.DATA_FORMAT_JSON)


def event_message(event: ServerSentEvent, cls: type[EventMessage], raw: bool = False) -> EventMessage:
    """One SSE event as one message: name as sent, data parsed (or raw), name split for convenience."""
    return _fill_event(cls(), event, raw)


def stream_message(event: ServerSentEvent, raw: bool = False) -> runs_pb2.StreamRunResponse:
    return event_message(event, runs_pb2.StreamRunResponse, raw)


def coalesced_messages(
    batch: list[ServerSentEvent], cls: type[StreamMessage], raw: bool = False, limit: int | None = None
) -> Iterator[StreamMessage]:
    """The batch as messages of several events each, in order, for clients that asked for
    coalesce_events; with a send `limit` (bytes), each message stays under it (an event larger
    than the limit alone goes alone, and gRPC refuses it with RESOURCE_EXHAUSTED)."""
    message = cls()
    if not limit:
        for event in batch:
            _fill_event(message.events.add(), event, raw)
        yield message
        return
    size = 0
    for event in batch:
        item = _fill_event(runs_pb2.StreamEvent(), event, raw)
        item_size = item.ByteSize() + 6  # the field's tag and length prefix
        if size and size + item_size > limit:
            yield message
            message, size = cls(), 0
        message.events.append(item)
        size += item_size
    yield message


def _fill_event(item: EventMessage, event: ServerSentEvent, raw: bool) -> EventMessage:
    """Write one event into a message of the event's shape (a stream message or a StreamEvent)."""
    mode, *namespace = event.event.split("|")
    item.event, item.id, item.mode = event.event, event.id, mode
    item.namespace.extend(namespace)
    if raw:
        item.data_json = event.data
    elif event.data.strip():
        json_to_value(parse_json(event.data, f"event {event.event!r}"), item.data)
    return item


def parse_json(raw: bytes, what: str) -> JSON:
    """The upstream's JSON, read as langgraph-sdk reads it: with orjson, and bytes that are not
    UTF-8 read again with the bad bytes replaced (U+FFFD). What orjson refuses (NaN, Infinity,
    a number beyond a double, a lone surrogate, nesting past 1024) is a protocol error here as it
    is an error for the SDK."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            return orjson.loads(raw.decode(errors="replace"))
        except orjson.JSONDecodeError:
            raise errors.protocol_error(f"upstream sent {what} whose data is not JSON: {exc}") from exc


def event_wire(event: ServerSentEvent, raw: bool = False) -> bytes:
    """One SSE event as one stream message's wire bytes (a stream's events: EventWriter)."""
    return EventWriter(raw)(event)


# The least entries of an object worth remembering as an array event's last item: smaller ones
# are read and written about as fast as their JSON is compared.
_TAIL_ENTRIES: Final = 8
_DECODING: Final = (orjson.JSONDecodeError, UnicodeEncodeError, OverflowError, RecursionError)


class _Token:
    """A token event's JSON around its one new value, `[{"content":` + value + `suffix`, and the
    writer of its messages. (A class with its own __init__, not a dataclass: see
    sse.ServerSentEvent.)"""

    def __init__(self, head: bytes, suffix: bytes, messages: wire.TokenEvents) -> None:
        self.head: Final = head
        self.suffix: Final = suffix
        self.messages: Final = messages


class EventWriter:
    """One stream's events as its messages' wire bytes: event_message's message, never built as
    an object, and what the stream repeats written once.

    A token stream (`messages-tuple`) sends [chunk, metadata] for every token: the metadata is the
    same kilobyte each time, and the chunk's entries are the same but for its first, the token
    (`content`). So the writer keeps, from an event of that shape written as orjson writes it (as
    the LangGraph API writes it), its JSON around the token, and the rest written:
    - an event that starts and ends as that one did is read only in between: one JSON value, the
      new token, and the rest is reused;
    - else an event that ends with the same metadata is read only up to it: one JSON value, the
      new chunk.
    Anything else is read whole, which also says what was wrong with it. This holds because JSON
    has one reading: when the text in between is one JSON value, the event is that value in the
    place of the old one. A writer keeps two metadata endings (two nodes streaming at once), and
    one token's surroundings, for as long as its stream lasts.

        write = EventWriter(raw=False)
        for event in events:
            message_bytes = write(event)
    """

    __slots__ = ("_tails", "_token", "raw")

    def __init__(self, raw: bool = False) -> None:
        self.raw = raw
        self._tails: list[tuple[bytes, bytes]] = []  # (b"," + JSON + b"]", its list item), latest first
        self._token: _Token | None = None

    def __call__(self, event: ServerSentEvent) -> bytes:
        data = event.data
        if self.raw:
            return wire.event(event, data)
        token = self._token
        if token is not None and data.startswith(token.head) and data.endswith(token.suffix):
            try:
                # A slice, not a memoryview: a few bytes copied cost less than a view made.
                return token.messages.message(event, orjson.loads(data[len(token.head) : -len(token.suffix)]))
            except _DECODING:
                pass  # not one value in between, or not one protobuf can carry
        if self._tails and data.startswith(b"["):
            for tail, item in self._tails:
                if data.endswith(tail):
                    try:
                        first = orjson.loads(data[1 : -len(tail)])
                        return wire.pair_event(event, wire.fresh(first), item)
                    except _DECODING:
                        break
        return self._whole(event)

    def _whole(self, event: ServerSentEvent) -> bytes:
        data = event.data
        if not data or data.isspace():
            return wire.event(event, None)
        try:  # parse_json and _wired's common case, inline: this runs for most events
            parsed = orjson.loads(data)
            if type(parsed) is list and len(parsed) == 2:
                remembered = self._remember(event, parsed[0], parsed[1])
                if remembered is not None:
                    return remembered
            return wire.event(event, parsed)
        except _DECODING:
            what = f"event {event.event!r}"  # again, the long way: it says what was wrong
            return _wired(wire.event, event, parse_json(data, what), what=what)

    def _remember(self, event: ServerSentEvent, first: JSON, last: JSON) -> bytes | None:
        """Keeps what the next events may repeat of this one, its data [first, last], and returns
        its message written from the parts kept (each part written once); None if nothing was
        kept."""
        if not isinstance(last, dict) or len(last) < _TAIL_ENTRIES:
            return None
        data = event.data
        try:
            chunk = orjson.dumps(first)
        except TypeError:  # what orjson cannot write (nested too deeply): not remembered
            return None
        # The data starts with the first item as orjson writes it (as the LangGraph API does),
        # then a comma: what follows is the last item's JSON as the upstream wrote it, and "]".
        # (A JSON value ends where its text does: the comma cannot be inside it.)
        start = 1 + len(chunk)
        if not (data.startswith(b"[") and data.startswith(chunk, 1) and data[start : start + 1] == b","):
            return None  # written some other way: not comparable
        tail = data[start:]
        item = wire.list_item(last)
        self._tails = [(tail, item), *[kept for kept in self._tails if kept[0] != tail][:1]]
        if not (isinstance(first, dict) and len(first) > 1):
            return wire.pair_event(event, wire.fresh(first), item)
        entries = list(first.items())
        key, token = entries[0]
        head = b"[{" + orjson.dumps(key) + b":"
        suffix = chunk[len(head) - 1 + len(orjson.dumps(token)) :] + tail
        self._token = _Token(head, suffix, wire.TokenEvents(key, wire.entries_like(entries[1:]), item))
        return self._token.messages.message(event, token)


def _wired(encode: Callable[..., bytes], *args: Any, what: str) -> bytes:
    try:
        return encode(*args)
    except (UnicodeEncodeError, OverflowError) as exc:  # orjson refuses these first; kept as a guard
        raise errors.protocol_error(f"upstream sent {what} that protobuf cannot carry: {exc}") from exc
    except RecursionError as exc:
        raise errors.protocol_error(f"upstream sent {what} nested too deeply to relay") from exc


def run_error(event: ServerSentEvent) -> errors.GatewayError | None:
    """The failure an `error` event reports, or None for any other event."""
    if event.event != "error":
        return None
    data = parse_json(event.data, "an error event") if event.data.strip() else {}
    return errors.run_failed(data)


def ends_stream(failure: errors.GatewayError, *, run_failures: bool = True) -> bool:
    """Whether an `error` event's failure ends its stream: a request the upstream refused (a run
    it could not find) always does; a run that failed does when `run_failures` (a run's own
    stream), not on a thread's stream, which goes on to the thread's next runs."""
    return run_failures or failure.reason != "RUN_FAILED"


def upto_error(
    batch: list[ServerSentEvent], *, run_failures: bool = True
) -> tuple[list[ServerSentEvent], errors.GatewayError | None]:
    """The batch up to and including the first `error` event that ends the stream (ends_stream),
    and that event's failure (or None)."""
    for index, event in enumerate(batch):
        if (failure := run_error(event)) and ends_stream(failure, run_failures=run_failures):
            return batch[: index + 1], failure
    return batch, None


def check_final_values(values: JSON) -> None:
    """A run that failed answers 200 with {"__error__": {...}}: that is the call's error."""
    if isinstance(values, dict) and isinstance(values.get("__error__"), dict):
        raise errors.run_failed(values["__error__"])


def wait_response(values: JSON, run_id: str, thread_id: str) -> bytes:
    """The answer of /runs/wait as WaitRunResponse's wire bytes; a failed run (200 with
    `__error__`) raises its error instead."""
    check_final_values(values)
    return _wired(wire.wait_response, values, run_id, thread_id, what="a /runs/wait answer")


def final_values_raw(raw: bytes) -> bytes:
    """The raw form of a final state: checked for `__error__` only when the bytes could hold one."""
    if b'"__error__"' in raw:
        check_final_values(parse_json(raw, "the final state"))
    return raw.strip()
