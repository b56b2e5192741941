"""What an open stream holds while it waits for its next event: none of the last.

A stream spends most of its life waiting upstream, and whatever each one holds then is held once
per open stream: the last chunk read, the last batch of events, the request sent long before.
Each layer lets go of them before it waits again (bench/NOTES.md: 42.6 KB to 40.2 KB per token
stream at 1,000 streams). These tests would fail if a layer kept a reference across its wait.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langgraph_gateway.v1 import runs_pb2, threads_pb2
from langgraph_grpc_gateway import streaming, upstream
from langgraph_grpc_gateway.services.runs import RunsService
from langgraph_grpc_gateway.services.threads import ThreadsService
from langgraph_grpc_gateway.sse import ServerSentEvent
from multidict import CIMultiDict, CIMultiDictProxy

from . import streaming_call
from .streaming_call import event

RAW = runs_pb2.DATA_FORMAT_JSON


class Batch(list[ServerSentEvent]):
    """A batch that can be watched: a weak reference says whether anyone still holds it."""


async def watched(count: int, dead: list[bool]) -> AsyncIterator[list[ServerSentEvent]]:
    """`count` batches; when asked for the next, notes whether the last one is already let go.
    It keeps no reference of its own to what it yielded."""
    last: weakref.ref[Batch] | None = None
    for n in range(count):
        dead.append(last is None or last() is None)
        batch = Batch([event(n)])
        last = weakref.ref(batch)
        yield batch
        del batch


@pytest.mark.parametrize("coalesce", [False, True])
async def test_the_relay_lets_a_batch_go_before_it_waits_for_the_next(coalesce: bool) -> None:
    relay = streaming.Relay(upstream=None, policy=streaming.ReconnectPolicy())  # type: ignore[arg-type]
    request = runs_pb2.StreamRunRequest(coalesce_events=coalesce)
    dead: list[bool] = []
    sent = [m async for m in relay.messages(watched(3, dead), request, runs_pb2.StreamRunResponse)]
    assert len(sent) == 3
    assert dead == [True, True, True]  # the first has nothing before it


class FakeAnswer:
    """A first answer whose stream can be resumed (it names its run), with watched batches."""

    def __init__(self, dead: list[bool]) -> None:
        self.headers = CIMultiDictProxy(CIMultiDict({"location": "/threads/t/runs/r/stream"}))
        self.dead = dead

    def batches(self) -> AsyncIterator[list[ServerSentEvent]]:
        return watched(3, self.dead)


async def test_a_resumable_stream_lets_a_batch_go_before_it_waits_for_the_next() -> None:
    dead: list[bool] = []
    policy = streaming.ReconnectPolicy(attempts=2)
    batches = streaming.resumed_batches(None, FakeAnswer(dead), {}, policy)  # type: ignore[arg-type]
    sizes = []
    async for batch in batches:
        sizes.append(len(batch))
        del batch  # as the relay does (above): this test's own hold is not the one in question
    assert sizes == [1, 1, 1]
    assert dead == [True, True, True]


class Content:
    """aiohttp's StreamReader, as far as Answer.batches reads it: chunks, then b"" at the end.
    On each read it notes how many references the chunk it returned last has beyond its own."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.returned: list[bytes] = []
        self.held: list[int] = []

    async def readany(self) -> bytes:
        if self.returned:
            # getrefcount's own argument, and self.returned's entry: nothing else.
            self.held.append(sys.getrefcount(self.returned[-1]) - 2)
        chunk = self.chunks.pop(0) if self.chunks else b""
        self.returned.append(chunk)
        return chunk


async def test_the_upstream_answer_lets_a_chunk_go_before_it_reads_the_next() -> None:
    # Chunks made at run time (not constants, which the code object holds as well).
    chunks = [b"".join([b"data: ", str(n).encode(), b"\n\n"]) for n in range(3)]
    content = Content(chunks)
    answer = upstream.Answer(response=type("Response", (), {"content": content})())  # type: ignore[arg-type]
    got = [[e.data for e in batch] async for batch in answer.batches()]
    assert got == [[b"0"], [b"1"], [b"2"]]
    assert content.held == [0, 0, 0]


class Session:
    """aiohttp.ClientSession's request(), answering 200 with an empty event stream."""

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        return type("Response", (), {"status": 200})()


async def test_an_exchange_lets_its_request_body_go_once_sent() -> None:
    body = b"".join([b'{"input": "', b"x" * 100_000, b'"}'])
    before = sys.getrefcount(body)
    exchange = upstream.Upstream(Session(), "http://upstream").open("POST", "/runs/stream", {}, body=body)  # type: ignore[arg-type]
    assert sys.getrefcount(body) == before + 1  # held until it is sent
    await exchange.__aenter__()
    assert sys.getrefcount(body) == before


class Consumer(streaming_call.Context):
    """grpc's end of the stream: keeps every message it gets. `note()`, called as the upstream
    is asked for its next batch, records how many references the last message has beyond this
    one: any is a layer between the upstream and grpc that still holds it."""

    def __init__(self) -> None:
        self.got: list[object] = []
        self.held: list[int] = []

    def note(self) -> None:
        if self.got:
            # getrefcount's own argument, and self.got's entry: nothing else.
            self.held.append(sys.getrefcount(self.got[-1]) - 2)

    async def write(self, message: object) -> None:
        self.got.append(message)


@pytest.mark.parametrize(
    ("service", "method", "request_"),
    [
        (RunsService, "StreamRun", runs_pb2.StreamRunRequest(assistant_id="agent")),
        (RunsService, "StreamRun", runs_pb2.StreamRunRequest(assistant_id="agent", coalesce_events=True)),
        (RunsService, "StreamRun", runs_pb2.StreamRunRequest(assistant_id="agent", data_format=RAW)),
        (RunsService, "JoinStream", runs_pb2.JoinStreamRequest(thread_id="t", run_id="r")),
        (ThreadsService, "JoinThreadStream", threads_pb2.JoinThreadStreamRequest(thread_id="t")),
    ],
)
async def test_no_layer_holds_a_sent_message_while_the_stream_waits(
    service: Any, method: str, request_: Any
) -> None:
    """From the upstream's answer to grpc's write, through the relay, the servicer, the boundary
    and the call's handler: when the upstream is asked for the next batch, the message written
    last is held by grpc (here, the consumer) alone."""
    consumer = Consumer()
    upstream = streaming_call.Upstream([event(n) for n in range(3)], before_read=consumer.note)
    await streaming_call.handler(service(upstream, streaming_call.SETTINGS), method)(request_, consumer)
    assert len(consumer.got) == 3
    assert consumer.held == [0, 0, 0]


async def test_the_relay_lets_a_coalesced_message_go_before_it_waits_for_the_next() -> None:
    """A coalesced message is an object until grpc's handler serializes it: the relay itself must
    not hold it either (above, grpc's end sees only the bytes)."""
    relay = streaming.Relay(upstream=None, policy=streaming.ReconnectPolicy())  # type: ignore[arg-type]
    request = runs_pb2.StreamRunRequest(coalesce_events=True)
    consumer = Consumer()
    answer = streaming_call.Exchange([event(n) for n in range(3)], None, consumer.note)
    async for message in relay.messages(answer.batches(), request, runs_pb2.StreamRunResponse):
        await consumer.write(message)
        del message  # this test's own hold is not the one in question
    assert len(consumer.got) == 3
    assert consumer.held == [0, 0, 0]
