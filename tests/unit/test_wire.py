"""wire.py's bytes decode to the very messages the protobuf objects would make."""

from __future__ import annotations

import tracemalloc
from typing import Any

import orjson
import pytest
from google.protobuf import struct_pb2
from hypothesis import given
from hypothesis import strategies as st
from langgraph_gateway.v1 import runs_pb2, threads_pb2
from langgraph_grpc_gateway import translate, wire
from langgraph_grpc_gateway.jsonvalue import json_to_value
from langgraph_grpc_gateway.sse import ServerSentEvent, SSEDecoder

from . import recordings
from .pure import pure

# JSON as orjson gives it: text with no lone surrogates, doubles, integers within 64 bits.
TEXT = st.text(st.characters(exclude_categories=("Cs",)))
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=30,
)
# Objects of many entries, which wire.py remembers whole (wire._MANY and up).
WIDE_OBJECTS = st.dictionaries(TEXT, JSON_VALUES, min_size=8, max_size=14)
STREAM_MESSAGES = [
    runs_pb2.StreamRunResponse,
    runs_pb2.JoinStreamResponse,
    threads_pb2.JoinThreadStreamResponse,
    runs_pb2.StreamEvent,
]


@given(JSON_VALUES)
def test_a_value_is_what_the_objects_make(obj: Any) -> None:
    assert struct_pb2.Value.FromString(wire.value(obj)) == json_to_value(obj)


@pytest.mark.parametrize(
    "obj", [None, "", 0, 0.0, -0.0, False, True, {}, [], [{}], {"": ""}, "x" * 20000, 2**64 - 1]
)
def test_a_value_set_to_its_default_is_still_set(obj: Any) -> None:
    """A Value's kind is a oneof: null, "", 0 and false are sent, not left out."""
    decoded = struct_pb2.Value.FromString(wire.value(obj))
    assert decoded == json_to_value(obj) and decoded.WhichOneof("kind") is not None


def test_struct_keys_keep_the_upstreams_order() -> None:
    encoded = wire.value({"b": 1, "a": 2, "c": 3})
    assert encoded.index(b"b") < encoded.index(b"a") < encoded.index(b"c")


@given(st.integers(0, 2**64 - 1))
def test_varint(number: int) -> None:
    assert wire.varint(number) == _reference_varint(number)


def _reference_varint(number: int) -> bytes:
    from google.protobuf.internal import encoder  # protobuf's own, for this check only

    return bytes(encoder._VarintBytes(number))


def _recorded_events() -> list[ServerSentEvent]:
    events = []
    for name in recordings.event_stream_names():
        events += SSEDecoder().feed(recordings.load(name).body)
    return events


EVENTS = [
    *_recorded_events(),
    ServerSentEvent("updates|outer:1|inner:2", b'{"a": 1}', "7"),
    ServerSentEvent("values", b"", ""),
    ServerSentEvent("", b"{}", ""),
    ServerSentEvent("end", b"  ", "3"),
]


@pytest.mark.parametrize("raw", [False, True], ids=["Value", "raw JSON"])
@pytest.mark.parametrize("cls", STREAM_MESSAGES, ids=lambda cls: cls.__name__)
def test_every_recorded_event_is_the_message_the_objects_make(cls: Any, raw: bool) -> None:
    """Every event of every recorded stream, as each message that carries one event."""
    for event in EVENTS:
        assert cls.FromString(translate.event_wire(event, raw)) == translate.event_message(event, cls, raw)


@pytest.mark.parametrize("ids", [("r-1", "t-1"), ("r-1", ""), ("", "")])
@pytest.mark.parametrize("values", [{"messages": [{"type": "human"}]}, None, [], b'{"a": 1}', b""])
def test_wait_response(values: Any, ids: tuple[str, str]) -> None:
    expected = runs_pb2.WaitRunResponse(run_id=ids[0], thread_id=ids[1])
    if isinstance(values, bytes):
        expected.values_json = values
    else:
        json_to_value(values, expected.values)
    assert runs_pb2.WaitRunResponse.FromString(wire.wait_response(values, *ids)) == expected


@given(WIDE_OBJECTS, JSON_VALUES)
def test_a_remembered_object_is_what_the_objects_make(obj: dict[str, Any], other: Any) -> None:
    """Written twice (the second time from the memo), then changed in one entry: right each time."""
    for _ in range(2):
        assert struct_pb2.Value.FromString(wire.value(obj)) == json_to_value(obj)
    changed = {**obj, next(iter(obj)): other}
    assert struct_pb2.Value.FromString(wire.value([changed, obj])) == json_to_value([changed, obj])


def test_remembered_entries_tell_empty_values_apart() -> None:
    """null, {} and [] entries are remembered by their type: never mistaken for each other, for
    false, 0 or "", or for a string that spells them."""
    values = [None, {}, [], False, 0, 0.0, "", "{}", "[]", "null", {"x": None}, [None]]
    for _ in range(2):
        for item in values:
            obj = {"field": item}
            assert struct_pb2.Value.FromString(wire.value(obj)) == json_to_value(obj), item


def test_a_remembered_object_tells_numbers_and_keys_apart() -> None:
    base = {f"k{n}": n for n in range(8)}
    for variant in (base, {**base, "k0": 0.5}, {**base, "k0": True}, {**base, "k0": "0"}, {"K0": 0, **base}):
        assert struct_pb2.Value.FromString(wire.value(variant)) == json_to_value(variant)


def test_an_object_orjson_cannot_write_still_says_why() -> None:
    with pytest.raises(UnicodeEncodeError):
        wire.value({**{f"k{n}": n for n in range(8)}, "bad": "\ud800"})


def test_the_object_memos_stay_bounded_and_keep_no_large_object() -> None:
    for n in range(3 * wire._KEPT_OBJECTS):
        obj = {f"k{i}": f"run-{n}" for i in range(wire._MANY)}
        for _ in range(3):  # new, seen again (moved to _OBJECTS), remembered
            assert struct_pb2.Value.FromString(wire.value(obj)) == json_to_value(obj)
    assert len(wire._OBJECTS) <= wire._KEPT_OBJECTS and len(wire._FRESH) <= wire._KEPT_OBJECTS
    wire._OBJECTS.clear(), wire._FRESH.clear()
    large = {f"k{i}": "x" * (wire._OBJECT_BYTES // wire._MANY) for i in range(wire._MANY)}
    for _ in range(2):
        assert struct_pb2.Value.FromString(wire.value(large)) == json_to_value(large)
    assert not wire._OBJECTS and not wire._FRESH


def _held(make: Any) -> int:
    """Bytes of memory what make() returns holds, as the allocator gave them (tracemalloc sees
    orjson's whole buffer where len() sees the JSON)."""
    tracemalloc.start()
    try:
        kept = make()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return held


def test_what_is_kept_of_orjson_output_holds_its_own_length() -> None:
    """orjson 3.12 and later hand over their 4 KiB buffer as the bytes: kept a thousand times,
    that is 4 MiB. What the gateway keeps holds its own length whichever orjson is installed."""
    small = {"assistant_id": "agent", "input": {"n": 1}}
    assert _held(lambda: [wire.right_sized(orjson.dumps(small)) for _ in range(1000)]) < 1000 * 256
    assert _held(lambda: [translate.encode_body(small) for _ in range(1000)]) < 1000 * 256
    assert wire.right_sized(orjson.dumps(small)) == orjson.dumps(small)


def test_the_object_memos_keys_hold_their_own_length() -> None:
    wire._OBJECTS.clear(), wire._FRESH.clear()

    def remember() -> None:
        for n in range(200):
            obj = {f"k{i}": f"run-{n}" for i in range(wire._MANY)}
            for _ in range(2):  # new (kept in _FRESH), seen again (moved to _OBJECTS)
                wire.value(obj)

    held = _held(remember)  # the memos' keys and values, and what the other memos keep
    keys = [*wire._OBJECTS, *wire._FRESH]
    assert len(keys) >= 200 and held < len(keys) * 4096  # orjson's buffers alone would be more
    wire._OBJECTS.clear(), wire._FRESH.clear()


def test_objects_seen_once_never_push_out_one_that_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    """A token stream: each event's chunk is new, its metadata the same as the last event's. The
    metadata is encoded once, however many new chunks come between its repeats."""
    source = pure("wire")
    metadata = {f"k{i}": "the run's" for i in range(source._MANY)}
    encoded: list[dict[str, Any]] = []
    write = source.fresh
    monkeypatch.setattr(source, "fresh", lambda obj: encoded.append(obj) or write(obj))
    for n in range(3 * source._KEPT_OBJECTS):
        chunk = {f"k{i}": f"token {n}" for i in range(source._MANY)}
        event = [chunk, metadata]
        assert struct_pb2.Value.FromString(source.value(event)) == json_to_value(event)
    assert sum(obj is metadata for obj in encoded) == 1


def test_the_memos_stay_bounded_and_right() -> None:
    """Keys and strings that are data (a new id every event) never grow the memos past their
    bound, and what is encoded after a memo was emptied is still right."""
    for n in range(3 * wire._KEPT):
        obj = {f"key-{n}": f"value-{n}", "type": "AIMessageChunk"}
        assert struct_pb2.Value.FromString(wire.value(obj)) == json_to_value(obj)
    assert max(len(wire._KEYS), len(wire._STRINGS), len(wire._ENTRIES)) <= wire._KEPT


@given(st.dictionaries(TEXT, JSON_VALUES, min_size=1, max_size=8), st.data())
def test_an_object_written_like_the_last_one_is_what_the_objects_make(obj: dict[str, Any], data: Any) -> None:
    """The next run's metadata: the same first key, some entries the same, some changed (to any
    value, of any type). Each entry reused from the last object is one written alike."""
    first = next(iter(obj))
    changed = {key: data.draw(JSON_VALUES) if data.draw(st.booleans()) else item for key, item in obj.items()}
    for written in (obj, changed, obj):
        assert struct_pb2.Value.FromString(wire.fresh(written)) == json_to_value(written)
        assert wire.fresh(written) == wire._struct(written)  # byte for byte: -0.0 is not 0.0
    assert first in wire._LIKE


ALIKE_OR_NOT = [  # values Python finds equal, written apart
    (1, True),
    (1, 1.0),
    (0, False),
    (0.0, -0.0),
    ([1], [True]),
    ([0.0], [-0.0]),
    ({"a": 1}, {"a": 1.0}),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
    ({}, []),
    (None, {}),
    ("", None),
]


@pytest.mark.parametrize(("before", "after"), ALIKE_OR_NOT, ids=[repr(pair) for pair in ALIKE_OR_NOT])
def test_an_entry_equal_in_python_but_written_apart_is_written_anew(before: Any, after: Any) -> None:
    for first, second in ((before, after), (after, before)):
        for written in ({"id": "x", "v": first}, {"id": "x", "v": second}):
            assert struct_pb2.Value.FromString(wire.fresh(written)) == json_to_value(written)
            assert wire.fresh(written) == wire._struct(written)  # byte for byte: -0.0 is not 0.0


def test_objects_written_like_others_stay_bounded_and_keep_no_large_object() -> None:
    for n in range(3 * wire._KEPT_OBJECTS):
        wire.fresh({f"first-{n}": n})
    assert len(wire._LIKE) <= wire._KEPT_OBJECTS
    wire._LIKE.clear()
    wire.fresh({"large": "x" * wire._OBJECT_BYTES})
    assert not wire._LIKE


EVENT_NAMES = st.sampled_from(["messages", "messages|sub:1", "messages|a:1|b:2", ""])


@given(
    TEXT,
    st.dictionaries(TEXT, JSON_VALUES, max_size=4),
    JSON_VALUES,
    st.lists(st.tuples(JSON_VALUES | TEXT, TEXT, EVENT_NAMES), max_size=8),
)
def test_token_events_are_token_event_byte_for_byte(
    key: str, rest: dict[str, Any], last: Any, tokens: list[tuple[Any, str, str]]
) -> None:
    """A stream's token messages, each head kept by its token's length, are the bytes token_event
    writes from the same parts: any token (a string of any length, or any other value), with an
    id or none, under any event name."""
    fields, item = wire.fields(rest), wire.list_item(last)
    write = wire.TokenEvents(key, fields, item)  # its heads may be another example's: kept
    for token, ident, name in tokens:
        sse = ServerSentEvent(name, b"", ident)
        expected = wire.token_event(sse, wire.entry(key, token), fields, item)
        assert write.message(sse, token) == expected
        assert write.message(sse, token) == expected  # again, from the head kept
        message = runs_pb2.StreamRunResponse.FromString(expected)
        assert message.data == json_to_value([{key: token, **rest}, last])


def test_token_heads_and_event_names_stay_bounded() -> None:
    write = wire.TokenEvents("content", b"", wire.list_item(None))
    for size in range(3 * wire._KEPT_HEADS):
        sse = ServerSentEvent(f"messages|task:{size}", b"")
        token = "x" * size
        expected = wire.token_event(sse, wire.entry("content", token), b"", write.last)
        assert write.message(sse, token) == expected
    assert len(write._heads) <= wire._KEPT_HEADS
    for rest in range(3 * wire._KEPT):  # every stream's heads, kept for the next streams
        wire.TokenEvents("content", b"x" * rest, b"").message(ServerSentEvent("messages"), "token")
    assert len(wire._TOKEN_HEADS) <= wire._KEPT
    for n in range(3 * wire._KEPT_NAMES):
        wire.event(ServerSentEvent(f"updates|task:{n}", b""), None)
    assert len(wire._NAMES) <= wire._KEPT_NAMES
