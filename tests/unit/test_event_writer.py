"""translate.EventWriter: a stream's events as the very messages event_message makes, with what a
token stream repeats (its metadata, its chunk's entries) read and written once."""

from __future__ import annotations

import json
import types
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from langgraph_gateway.v1 import runs_pb2
from langgraph_grpc_gateway import errors, translate
from langgraph_grpc_gateway.sse import ServerSentEvent

from .pure import pure
from .test_wire import JSON_VALUES, TEXT

METADATA = {
    "created_by": "system",
    "assistant_id": "08b733c1-2d26-51bb-85d3-cbe6636ceb52",
    "run_attempt": 1,
    "langgraph_version": "1.2.24",
    "run_id": "01a21394-c8a0-718e-934e-5fc64c0c93c2",
    "thread_id": "01a21394-c8a0-718e-934e-5fc729763e98",
    "graph_id": "fakellm",
    "langgraph_step": 1,
    "langgraph_node": "llm",
    "langgraph_triggers": ["branch:to:llm"],
    "langgraph_checkpoint_ns": "llm:01aad98c-7aa7-3cda-c4d2-da57bbbfe9fe",
    "ls_provider": "genericfakechatmodel",
    "lc_versions": {"langchain-core": "1.8.3"},
}


def chunk(content: Any, **changes: Any) -> dict[str, Any]:
    """A message chunk as langchain-core writes one in a `messages-tuple` event."""
    return {
        "content": content,
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "AIMessageChunk",
        "name": None,
        "id": "lc_run--01a21394-cc83-7403-b93b-9f4f5bbeb216",
        "tool_calls": [],
        "invalid_tool_calls": [],
        "usage_metadata": None,
        "tool_call_chunks": [],
        "chunk_position": None,
        **changes,
    }


def token_event(content: Any, metadata: dict[str, Any] = METADATA, **changes: Any) -> ServerSentEvent:
    return ServerSentEvent("messages", orjson.dumps([chunk(content, **changes), metadata]))


def assert_same_messages(events: list[ServerSentEvent]) -> None:
    write = translate.EventWriter()
    for event in events:
        expected = translate.event_message(event, runs_pb2.StreamRunResponse)
        assert runs_pb2.StreamRunResponse.FromString(write(event)) == expected, event.data


def the_error(call: Any) -> str:
    with pytest.raises(errors.GatewayError) as raised:
        call()
    return str(raised.value)


def test_a_token_stream_is_the_messages_event_message_makes() -> None:
    other_node = {**METADATA, "langgraph_node": "other", "langgraph_step": 2}
    assert_same_messages(
        [
            ServerSentEvent("metadata", b'{"run_id":"r","attempt":1}'),
            *(
                token_event(token)
                for token in ["hello", " from", " the", "", ' "quoted\\"', "\u00e9\U0001f600"]
            ),
            token_event(["a", {"type": "text"}]),  # content blocks: not a string
            token_event(None),
            token_event("x", usage_metadata={"input_tokens": 3}),  # the chunk's rest changes
            token_event("y"),
            token_event("z", metadata=other_node),  # another node's tokens, interleaved
            token_event("w"),
            token_event("v", metadata=other_node),
            ServerSentEvent("values", b'{"messages":[]}'),
            ServerSentEvent(
                "messages", b"[" + orjson.dumps(chunk("a")) + b"," + orjson.dumps(METADATA) + b"]"
            ),
        ]
    )


def test_a_resumable_subgraphs_token_stream_keeps_its_ids_and_names() -> None:
    """A thread run's stream (stream_resumable) numbers every event, and a subgraph's tokens come
    under its namespace: each token's message carries its own id and the name it came under."""
    events = [
        ServerSentEvent(name, token_event(token).data, str(number))
        for number, (token, name) in enumerate(
            [("hello", "messages|sub:1"), (" from", "messages|sub:1"), (" é", "messages"), ("", "messages")]
        )
    ]
    assert_same_messages(events)


def test_what_is_not_one_value_before_the_metadata_is_read_whole() -> None:
    meta = orjson.dumps(METADATA)
    rest = token_event("@").data.replace(b'"@"', b"@")  # a token event, its token left out
    assert_same_messages(
        [
            token_event("hello"),
            ServerSentEvent("messages", b"[1,2," + meta + b"]"),  # two values before it
            ServerSentEvent("messages", b'[{"content":1,"x":2},' + meta + b"]"),
            ServerSentEvent("messages", b'[{"content":1,"content":2},' + meta + b"]"),  # a key twice
            token_event("b"),
            ServerSentEvent("messages", rest.replace(b"@", b'1,"content":2')),
            ServerSentEvent("messages", rest.replace(b"@", b'"c","tool_calls":[1]')),
            ServerSentEvent("messages", b"[" + meta + b"]"),
            ServerSentEvent(
                "messages", b" [" + orjson.dumps(chunk("b")) + b" , " + meta + b" ]"
            ),  # other spacing
        ]
    )


@given(st.lists(st.tuples(JSON_VALUES, st.sampled_from(["same", "rest", "meta"]), TEXT), max_size=12))
def test_any_token_stream_is_the_messages_event_message_makes(tokens: list[tuple[Any, str, str]]) -> None:
    events = []
    for content, change, text in tokens:
        if change == "rest":
            events.append(token_event(content, name=text))
        elif change == "meta":
            events.append(token_event(content, metadata={**METADATA, "langgraph_node": text}))
        else:
            events.append(token_event(content))
    assert_same_messages(events)


@pytest.mark.parametrize(
    "between",
    [b'"unterminated', b'"a","b"', b"", b'"\\ud800"', b"NaN", b"1e999"],
    ids=["unterminated", "two values", "nothing", "lone surrogate", "NaN", "beyond a double"],
)
def test_bad_json_between_says_what_the_whole_event_would(between: bytes) -> None:
    write = translate.EventWriter()
    write(token_event("hello"))
    data = token_event("hello").data
    head = b'[{"content":'
    bad = ServerSentEvent("messages", head + between + data[len(head) + len(b'"hello"') :])
    assert the_error(lambda: write(bad)) == the_error(lambda: translate.event_wire(bad))


def reading_writer(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[bytes]]:
    """An EventWriter run from translate's source, and the list of every text its orjson reads."""
    read: list[bytes] = []

    def loads(data: Any) -> Any:
        read.append(bytes(data))
        return orjson.loads(data)

    source = pure("translate")
    monkeypatch.setattr(source, "orjson", types.SimpleNamespace(loads=loads, dumps=orjson.dumps))
    return source.EventWriter(), read


def test_token_events_after_the_first_read_only_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes the writer cheap: once it has a stream's first token, it reads each next one
    alone, not the kilobyte around it."""
    write, read = reading_writer(monkeypatch)
    for token in ["hello", " from", " the", " fake", " model"]:
        write(token_event(token))
    assert read[1:] == [b'" from"', b'" the"', b'" fake"', b'" model"']
    read.clear()
    write(token_event("!", usage_metadata={"input_tokens": 3}))  # a new chunk: read up to the metadata
    assert read == [orjson.dumps(chunk("!", usage_metadata={"input_tokens": 3}))]


def test_metadata_written_any_way_is_remembered_after_a_chunk_written_as_orjson_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the chunk is compared with orjson's writing: the metadata after it is kept as the
    upstream wrote it (here with spaces), and the next tokens are read alone all the same."""
    spaced = json.dumps(METADATA).encode()
    events = [
        ServerSentEvent("messages", b"[" + orjson.dumps(chunk(token)) + b", " + spaced + b" ]")
        for token in ["hello", " from", " the"]
    ]
    assert_same_messages(events)
    write, read = reading_writer(monkeypatch)
    for event in events:
        write(event)
    assert read[1:] == [b'" from"', b'" the"']


def test_a_raw_writer_sends_the_data_as_it_came() -> None:
    event = token_event("hello")
    message = runs_pb2.StreamRunResponse.FromString(translate.EventWriter(raw=True)(event))
    assert message.data_json == event.data
    assert message == translate.event_message(event, runs_pb2.StreamRunResponse, raw=True)
