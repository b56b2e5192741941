"""Resumption of the joined streams (JoinStream, JoinThreadStream) against a scripted upstream that
cuts on cue: the reconnection asks for what the first request asked (its query parameters), from
after the last event delivered; and a thread's stream relays a run's `error` event and goes on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc, threads_pb2, threads_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings

from .scripted_upstream import Request, Script, ScriptedUpstream, sse
from .test_scripted_upstream import collect

THREAD, RUN = "t-1", "r-1"
STREAM = {"content-type": "text/event-stream; charset=utf-8"}
EVENTS = [
    sse("metadata", {"run_id": RUN, "attempt": 1}, id="1-0"),
    sse("custom", {"n": 1}, id="2-0"),
    sse("error", {"error": "ValueError", "message": "boom"}, id="3-0"),
    sse("metadata", {"status": "run_done", "run_id": RUN}, id="4-0"),
    sse("state_update", {"thread_id": THREAD}, id="5-0"),
]


@asynccontextmanager
async def gateway_for(
    upstream: ScriptedUpstream,
) -> AsyncIterator[tuple[runs_pb2_grpc.RunsServiceStub, threads_pb2_grpc.ThreadsServiceStub]]:
    async with upstream:
        gateway = Gateway(Settings(upstream=upstream.url, listen="127.0.0.1:0"))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                yield runs_pb2_grpc.RunsServiceStub(channel), threads_pb2_grpc.ThreadsServiceStub(channel)
        finally:
            await gateway.stop(0)


def cut_after(first: int) -> Any:
    """The first answer ends abruptly after `first` events; the next answers from Last-Event-ID."""

    def script(request: Request) -> Script:
        last = request.headers.get("last-event-id")
        if last in (None, "-"):
            return Script(headers=STREAM, chunks=EVENTS[:first], ending="close")
        ids = [f"{n}-0" for n in range(1, len(EVENTS) + 1)]
        return Script(headers=STREAM, chunks=EVENTS[ids.index(last) + 1 :], ending="complete")

    return script


async def test_join_stream_reconnects_with_its_stream_modes() -> None:
    upstream = ScriptedUpstream(cut_after(2))
    async with gateway_for(upstream) as (runs, _):
        request = runs_pb2.JoinStreamRequest(
            thread_id=THREAD, run_id=RUN, stream_mode=["custom", "updates"], cancel_on_disconnect=True
        )
        messages, error = await collect(runs.JoinStream(request))
    # A run's stream ends with its failed run: the error event is sent, then the call fails.
    assert [m.id for m in messages] == ["1-0", "2-0", "3-0"]
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL
    query = "?stream_mode=custom&stream_mode=updates&cancel_on_disconnect=true"
    assert [r.path for r in upstream.requests] == [f"/threads/{THREAD}/runs/{RUN}/stream{query}"] * 2
    assert [r.headers.get("last-event-id") for r in upstream.requests] == [None, "2-0"]


async def test_join_thread_stream_reconnects_and_goes_on_past_a_failed_run() -> None:
    upstream = ScriptedUpstream(cut_after(3))
    async with gateway_for(upstream) as (_, threads):
        request = threads_pb2.JoinThreadStreamRequest(
            thread_id=THREAD, last_event_id="-", stream_modes=["run_modes", "state_update"]
        )
        messages, error = await collect(threads.JoinThreadStream(request))
    assert error is None
    assert [(m.event, m.id) for m in messages] == [
        ("metadata", "1-0"),
        ("custom", "2-0"),
        ("error", "3-0"),
        ("metadata", "4-0"),
        ("state_update", "5-0"),
    ]
    query = "?stream_modes=run_modes,state_update"
    assert [r.path for r in upstream.requests] == [f"/threads/{THREAD}/stream{query}"] * 2
    assert [r.headers.get("last-event-id") for r in upstream.requests] == ["-", "3-0"]


async def test_join_thread_stream_ends_on_a_request_error() -> None:
    """An `error` event that stands for an HTTP error (the upstream's stream failed, not a run)
    ends the thread's stream with that status, after the event."""
    not_found = sse("error", {"error": "HTTPException", "message": "404: Thread not found"}, id="1-0")
    upstream = ScriptedUpstream(Script(headers=STREAM, chunks=[not_found], ending="complete"))
    async with gateway_for(upstream) as (_, threads):
        request = threads_pb2.JoinThreadStreamRequest(thread_id=THREAD)
        messages, error = await collect(threads.JoinThreadStream(request))
    assert [m.event for m in messages] == ["error"]
    assert error is not None and error.code() == grpc.StatusCode.NOT_FOUND
    assert error.details() == "Thread not found"
