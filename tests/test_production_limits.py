"""Limits: concurrent streams, message sizes, connection age; refused before the upstream is asked."""

from __future__ import annotations

import asyncio
import json
import logging

import grpc
import pytest
from google.protobuf import struct_pb2
from langgraph_gateway.v1 import runs_pb2

from .production_support import eventually
from .scripted_upstream import Script, sse
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, error_info, gateway_for, stream_request

STALLING = Script(headers=STREAM_HEADERS, chunks=EVENTS[:1], ending="stall")


async def test_streams_beyond_the_maximum_are_resource_exhausted_until_a_slot_frees() -> None:
    async with gateway_for(STALLING, max_concurrent_streams=2) as (upstream, runs):
        open_streams = [runs.StreamRun(stream_request()) for _ in range(2)]
        for stream in open_streams:
            assert (await stream.read()).event == "metadata"
        messages, error = await collect(runs.StreamRun(stream_request()))
        assert messages == [] and error is not None
        assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert error.details() == "the gateway is serving its maximum of 2 concurrent streams; retry later"
        assert error_info(error).reason == "TOO_MANY_STREAMS"
        assert len(upstream.requests) == 2  # the refused call never reached the upstream
        # Unary calls are not streams: they still pass.
        with pytest.raises(grpc.aio.AioRpcError) as unary:
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"), timeout=0.5)
        assert unary.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED  # it reached the stalling upstream
        open_streams[0].cancel()
        await upstream.hung_up.wait()

        async def admitted() -> bool:
            stream = runs.StreamRun(stream_request())
            try:
                return (await stream.read()).event == "metadata"
            except grpc.aio.AioRpcError:
                return False
            finally:
                stream.cancel()

        await eventually(admitted)  # the freed slot: at once, or as soon as the call's cleanup ran
        open_streams[1].cancel()


async def test_request_larger_than_the_receive_limit_is_refused() -> None:
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=EVENTS), max_receive_message_bytes=1024) as (
        upstream,
        runs,
    ):
        big = stream_request(input=struct_pb2.Value(string_value="x" * 4096))
        _messages, error = await collect(runs.StreamRun(big))
        assert error is not None and error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        small, ok = await collect(runs.StreamRun(stream_request()))
        assert ok is None and len(small) == 2
    assert len(upstream.requests) == 1


async def test_message_larger_than_the_send_limit_ends_the_call() -> None:
    big_event = sse("updates", {"text": "y" * 4096})
    script = Script(headers=STREAM_HEADERS, chunks=[EVENTS[0], big_event])
    async with gateway_for(script, max_send_message_bytes=1024) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
    assert [m.event for m in messages] == ["metadata"]
    assert error is not None and error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_connections_older_than_the_max_age_are_replaced(caplog: pytest.LogCaptureFixture) -> None:
    """The server sends GOAWAY when a connection is old, the client opens a new one: calls keep
    working, on other connections (as an L7 balancer or a client's resolver needs to rebalance)."""
    script = Script(headers=STREAM_HEADERS, chunks=EVENTS)
    caplog.set_level(logging.INFO, "langgraph_grpc_gateway.access")

    def peers() -> set[str]:
        return {json.loads(r.getMessage())["peer"] for r in caplog.records if r.name.endswith(".access")}

    async with gateway_for(script, max_connection_age=0.3, max_connection_age_grace=5) as (_, runs):

        async def served_on_a_new_connection() -> bool:
            messages, error = await collect(runs.StreamRun(stream_request()))
            assert error is None and len(messages) == 2
            return len(peers()) > 1

        await eventually(served_on_a_new_connection, within=60, every=0.1)


async def test_a_stream_outliving_connection_age_and_grace_is_ended() -> None:
    # The upstream sends one event, then nothing: the stream outlives any age and grace.
    ages = {"max_connection_age": 0.2, "max_connection_age_grace": 0.5}
    async with gateway_for(STALLING, **ages) as (upstream, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
        await asyncio.wait_for(upstream.hung_up.wait(), 30)  # the upstream request was closed too
    assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    # What came before the end was delivered (the one event, unless the grace ran out first).
    assert [m.event for m in messages] == ["metadata"][: len(messages)]
