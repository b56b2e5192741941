"""The SSE decoder: table cases from the WHATWG rules, and every real recording of the upstream
cut at every byte, compared with itself and with langgraph-sdk's own decoder."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langgraph_grpc_gateway.sse import LineDecoder, ServerSentEvent, SSEDecoder
from langgraph_sdk import sse as sdk_sse

from . import recordings

E = ServerSentEvent
BOM = b"\xef\xbb\xbf"


def decode(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    events += decoder.flush()
    return events


def lines(chunks: list[bytes]) -> list[bytes]:
    decoder = LineDecoder()
    out: list[bytes] = []
    for chunk in chunks:
        out += decoder.feed(chunk)
    return out + decoder.flush()


# --- LineDecoder -----------------------------------------------------------------------------

LINE_CASES = {
    "lf": ([b"a\nb\n"], [b"a", b"b"]),
    "cr": ([b"a\rb\r"], [b"a", b"b"]),
    "crlf": ([b"a\r\nb\r\n"], [b"a", b"b"]),
    "mixed": ([b"a\rb\nc\r\nd\n"], [b"a", b"b", b"c", b"d"]),
    "blank lines": ([b"\n\r\n\r"], [b"", b"", b""]),
    "cr | lf across chunks is one line end": ([b"a\r", b"\nb\n"], [b"a", b"b"]),
    "cr | lf | lf: the second lf is a blank line": ([b"a\r", b"\n", b"\n"], [b"a", b""]),
    "cr | lf | cr lf": ([b"a\r", b"\n", b"\r\n"], [b"a", b""]),
    "cr | empty chunk | lf": ([b"a\r", b"", b"\nb\n"], [b"a", b"b"]),
    "cr | cr": ([b"a\r", b"\r"], [b"a", b""]),
    "lf | lf": ([b"a\n", b"\n"], [b"a", b""]),
    "line across chunks": ([b"ab", b"c", b"d\n"], [b"abcd"]),
    "unterminated last line is flushed": ([b"a\nbc"], [b"a", b"bc"]),
    "nothing": ([b""], []),
    "form feed and vertical tab are not line ends": ([b"a\x0cb\x0bc\n"], [b"a\x0cb\x0bc"]),
    "unicode line separators are not line ends in bytes": ([b"a\xe2\x80\xa8b\n"], [b"a\xe2\x80\xa8b"]),
}


@pytest.mark.parametrize(("chunks", "expected"), LINE_CASES.values(), ids=LINE_CASES.keys())
def test_line_decoder(chunks: list[bytes], expected: list[bytes]) -> None:
    assert lines(chunks) == expected


@settings(max_examples=500, deadline=None)
@given(
    text=st.lists(st.sampled_from([b"a", b"bc", b"\r", b"\n", b"\r\n", b"\n\r", b":"])).map(b"".join),
    cuts=st.lists(st.integers(min_value=0, max_value=64)),
)
def test_any_split_of_any_line_ends_gives_the_lines_of_the_whole(text: bytes, cuts: list[int]) -> None:
    """However the bytes come in chunks, the lines are those of the whole text, split at CR, LF
    and CRLF (bytes.splitlines splits at exactly these)."""
    bounds = sorted({0, len(text), *(cut for cut in cuts if cut < len(text))})
    chunks = [text[a:b] for a, b in itertools.pairwise(bounds)]
    assert lines(chunks) == text.splitlines()


# --- SSEDecoder table --------------------------------------------------------------------------

SSE_CASES: dict[str, tuple[list[bytes], list[ServerSentEvent]]] = {
    # line ends
    "lf": ([b"event: a\ndata: 1\n\n"], [E("a", b"1")]),
    "cr": ([b"event: a\rdata: 1\r\r"], [E("a", b"1")]),
    "crlf": ([b"event: a\r\ndata: 1\r\n\r\n"], [E("a", b"1")]),
    "mixed line ends": ([b"event: a\rdata: 1\r\n\n"], [E("a", b"1")]),
    "cr at end of chunk, lf at start of next": (
        [b"data: 1\r", b"\n\r", b"\ndata: 2\r\n\r\n"],
        [E("", b"1"), E("", b"2")],
    ),
    "cr | lf | lf: crlf then a bare lf blank line": (
        [b"data: 1\r", b"\n", b"\n", b"data: 2\n\n"],
        [E("", b"1"), E("", b"2")],
    ),
    "cr | lf | crlf": ([b"data: 1\r", b"\n", b"\r\n"], [E("", b"1")]),
    "cr | empty chunk | lf": ([b"data: 1\r", b"", b"\n\r\n"], [E("", b"1")]),
    "cr | cr: two line ends": ([b"data: 1\r", b"\r"], [E("", b"1")]),
    # comments
    "comment only": ([b": heartbeat\r\n\r\n"], []),
    "comment between events": (
        [b"data: 1\n\n: heartbeat\n\ndata: 2\n\n"],
        [E("", b"1"), E("", b"2")],
    ),
    "comment inside an event": ([b"event: a\n: note\ndata: 1\n\n"], [E("a", b"1")]),
    "bare colon is a comment": ([b":\n\n"], []),
    # byte order mark
    "leading bom": ([BOM + b"data: 1\n\n"], [E("", b"1")]),
    "bom alone in first chunk": ([BOM, b"data: 1\n\n"], [E("", b"1")]),
    "bom split 1+2": ([BOM[:1], BOM[1:] + b"data: 1\n\n"], [E("", b"1")]),
    "bom split 2+1": ([BOM[:2], BOM[2:] + b"data: 1\n\n"], [E("", b"1")]),
    "bom split byte by byte": ([BOM[:1], BOM[1:2], BOM[2:], b"data: 1\n\n"], [E("", b"1")]),
    "empty chunk before bom": ([b"", BOM, b"data: 1\n\n"], [E("", b"1")]),
    "only one bom is removed": ([BOM + BOM + b"data: 1\n\n"], []),
    "bom later in the stream is not removed": ([b"data: 1\n\n" + BOM + b"data: 2\n\n"], [E("", b"1")]),
    "bom in a second chunk is not removed": ([b"data: 1\n\n", BOM + b"data: 2\n\n"], [E("", b"1")]),
    "partial bom followed by other bytes is kept": ([BOM[:2], b"data: 1\n\n"], []),
    # fields
    "data without space": ([b"data:1\n\n"], [E("", b"1")]),
    "only one space is removed": ([b"data:  1\n\n"], [E("", b" 1")]),
    "colon in value": ([b'data: {"a":"b:c"}\n\n'], [E("", b'{"a":"b:c"}')]),
    "field name without colon is an empty value": ([b"data\n\n"], [E("", b"")]),
    "empty data line": ([b"data:\n\n"], [E("", b"")]),
    "multi-line data joined with lf": ([b"data: a\ndata: b\r\ndata: c\n\n"], [E("", b"a\nb\nc")]),
    "empty data line in the middle": ([b"data: a\ndata:\ndata: b\n\n"], [E("", b"a\n\nb")]),
    "event name without data is dispatched": ([b"event: end\n\n"], [E("end", b"")]),
    "event type does not carry over": (
        [b"event: a\ndata: 1\n\ndata: 2\n\n"],
        [E("a", b"1"), E("", b"2")],
    ),
    "last event line wins": ([b"event: a\nevent: b\ndata: 1\n\n"], [E("b", b"1")]),
    "unknown field ignored": ([b"foo: bar\ndata: 1\n\n"], [E("", b"1")]),
    "block of unknown fields only is no event": ([b"foo: bar\n\n"], []),
    "field names are case-sensitive": ([b"Data: 1\nEVENT: x\n\n"], []),
    "space before colon makes another field": ([b"data : 1\n\n"], []),
    "retry is not data": ([b"retry: 1000\ndata: 1\n\n"], [E("", b"1")]),
    "blank lines alone are no events": ([b"\n\n\r\n\r"], []),
    "data is raw bytes, not decoded": ([b"data: \xff\xfe\n\n"], [E("", b"\xff\xfe")]),
    "event name is decoded with replacement": ([b"event: a\xff\ndata: 1\n\n"], [E("a\ufffd", b"1")]),
    # ids
    "id": ([b"id: 7\ndata: 1\n\n"], [E("", b"1", "7")]),
    "id after data": ([b"data: 1\nid: 7\n\n"], [E("", b"1", "7")]),
    "id is the event's own, not carried over": (
        [b"id: 7\ndata: 1\n\ndata: 2\n\n"],
        [E("", b"1", "7"), E("", b"2", "")],
    ),
    "id containing nul is ignored": ([b"id: a\0b\ndata: 1\n\n"], [E("", b"1", "")]),
    "id containing nul keeps an earlier id": ([b"id: 5\nid: a\0b\ndata: 1\n\n"], [E("", b"1", "5")]),
    "id without space": ([b"id:9\ndata: 1\n\n"], [E("", b"1", "9")]),
    # end of stream
    "unterminated event is discarded": ([b"event: a\ndata: 1"], []),
    "event without its blank line is discarded": ([b"event: a\ndata: 1\n"], []),
    "complete events before an unterminated one are kept": (
        [b"data: 1\n\ndata: 2\n"],
        [E("", b"1")],
    ),
}


@pytest.mark.parametrize(("chunks", "expected"), SSE_CASES.values(), ids=SSE_CASES.keys())
def test_sse_decoder(chunks: list[bytes], expected: list[ServerSentEvent]) -> None:
    assert decode(chunks) == expected


@pytest.mark.parametrize(("chunks", "expected"), SSE_CASES.values(), ids=SSE_CASES.keys())
def test_sse_decoder_byte_by_byte(chunks: list[bytes], expected: list[ServerSentEvent]) -> None:
    stream = b"".join(chunks)
    assert decode([stream[i : i + 1] for i in range(len(stream))]) == expected


def test_flush_returns_nothing_and_resets() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: a\ndata: 1") == []
    assert decoder.flush() == []
    # the discarded event leaves nothing behind for what follows
    assert decoder.feed(b"\n\ndata: 2\n\n") == [E("", b"2")]


def test_event_defaults() -> None:
    assert ServerSentEvent() == ServerSentEvent("", b"", "")


# --- recordings ---------------------------------------------------------------------------------

STREAMS = recordings.event_stream_names()


def test_recordings_present() -> None:
    known = {
        "runs_stream_allmodes.txt",
        "runs_stream_default_mode.txt",  # body only, no status line
        "runs_stream_nodeerror.txt",
        "runs_stream_subgraphs.txt",
        "resumable_part2.txt",
        "stream_heartbeat.txt",
        "thread_stream_interrupt.txt",
    }
    assert known <= set(STREAMS)
    assert len(STREAMS) >= 19


def _reference(name: str) -> tuple[bytes, list[ServerSentEvent]]:
    body = recordings.load(name).body
    events = decode([body])
    assert events, f"{name}: no events decoded"
    return body, events


@pytest.mark.parametrize("name", STREAMS)
def test_recording_split_at_every_byte(name: str) -> None:
    body, expected = _reference(name)
    bad = [cut for cut in range(len(body) + 1) if decode([body[:cut], body[cut:]]) != expected]
    assert bad == [], f"{name}: decoding differs when cut at byte(s) {bad[:20]}"


@pytest.mark.parametrize("name", STREAMS)
def test_recording_byte_by_byte(name: str) -> None:
    body, expected = _reference(name)
    assert decode([body[i : i + 1] for i in range(len(body))]) == expected


@pytest.mark.parametrize("name", STREAMS)
def test_recording_matches_langgraph_sdk(name: str) -> None:
    body, ours = _reference(name)
    line_decoder = sdk_sse.BytesLineDecoder()
    decoder = sdk_sse.SSEDecoder()
    theirs = []
    for line in [*line_decoder.decode(body), *line_decoder.flush()]:
        part = decoder.decode(bytes(line))
        if part is not None:
            theirs.append((part.event, part.data, part.id))
    # the SDK parses data and keeps the last id seen (the reconnect cursor); we keep raw bytes
    # and each event's own id line
    expected, last_id = [], None
    for event in ours:
        last_id = event.id or last_id
        expected.append((event.event, json.loads(event.data) if event.data.strip() else None, last_id))
    assert theirs == expected


# resumable_part2 is a resumption (GET .../stream with Last-Event-ID): it starts mid-run
@pytest.mark.parametrize("name", [name for name in STREAMS if name != "resumable_part2.txt"])
def test_recording_first_event_is_metadata(name: str) -> None:
    _, events = _reference(name)
    first = events[0]
    assert first.event == "metadata"
    assert set(json.loads(first.data)) == {"run_id", "attempt"}


def test_recording_node_error_exact() -> None:
    events = decode([recordings.load("runs_stream_nodeerror.txt").body])
    assert events == [
        E("metadata", b'{"run_id":"01a21395-21d0-76d7-9761-fe9ba98067f4","attempt":1}'),
        E("custom", b'{"stage":"echo-start","text":"FAIL now"}'),
        E("error", b'{"error":"ValueError","message":"boom: FAIL now"}'),
    ]


def test_recording_heartbeat_comments_are_not_events() -> None:
    recording = recordings.load("stream_heartbeat.txt")
    assert b": heartbeat" in recording.body
    assert [e.event for e in decode([recording.body])] == ["metadata", "updates", "updates"]


def test_recording_resumable_ids() -> None:
    events = decode([recordings.load("resumable_part2.txt").body])
    assert [(e.event, e.id) for e in events] == [
        ("custom", "1795624906629-0"),
        ("custom", "1795624907628-0"),
        ("custom", "1795624908630-0"),
        ("updates", "1795624908631-0"),
        ("updates", "1795624908632-0"),
    ]


def test_recording_without_resumable_has_no_ids() -> None:
    events = decode([recordings.load("runs_stream_allmodes.txt").body])
    assert events
    assert {e.id for e in events} == {""}
