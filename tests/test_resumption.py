"""Transparent resumption of a dropped stream, against a scripted upstream that cuts on cue."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from langgraph_gateway.v1 import runs_pb2

from .scripted_upstream import Request, Script, ScriptedUpstream, sse
from .test_scripted_upstream import collect, error_info, gateway_for

THREAD, RUN = "t-1", "r-1"
RESUMABLE = {
    "content-type": "text/event-stream; charset=utf-8",
    "content-location": f"/threads/{THREAD}/runs/{RUN}",
    "location": f"/threads/{THREAD}/runs/{RUN}/stream",
}
EVENTS = [sse("metadata", {"run_id": RUN}, id="1-0")] + [
    sse("custom", {"n": n}, id=f"{n + 1}-0") for n in range(1, 6)
]


def cut_after(first: int, *, again: list[bytes] | None = None, cuts: int = 1) -> Any:
    """The first `cuts` answers end abruptly; each resumption answers from Last-Event-ID on."""
    answered = {"count": 0}

    def script(request: Request) -> Script:
        answered["count"] += 1
        if request.method == "POST":
            return Script(headers=RESUMABLE, chunks=EVENTS[:first], ending="close")
        last = request.headers["last-event-id"]
        rest = again if again is not None else EVENTS[[_id(e) for e in EVENTS].index(last) + 1 :]
        ending = "close" if answered["count"] <= cuts else "complete"
        return Script(headers=RESUMABLE, chunks=rest[:1] if ending == "close" else rest, ending=ending)

    return script


def _id(event: bytes) -> str:
    return event.split(b"id: ", 1)[1].split(b"\r\n", 1)[0].decode()


def thread_stream() -> runs_pb2.StreamRunRequest:
    return runs_pb2.StreamRunRequest(assistant_id="agent", thread_id=THREAD, stream_resumable=True)


async def test_dropped_resumable_stream_goes_on_without_gap_or_duplicate() -> None:
    upstream = ScriptedUpstream(cut_after(3))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert error is None
    assert [m.id for m in messages] == ["1-0", "2-0", "3-0", "4-0", "5-0", "6-0"]
    resumed = upstream.requests[1]
    assert (resumed.method, resumed.path) == ("GET", f"/threads/{THREAD}/runs/{RUN}/stream")
    assert resumed.headers["last-event-id"] == "3-0"


async def test_several_drops_in_a_row_are_survived() -> None:
    upstream = ScriptedUpstream(cut_after(2, cuts=3))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert error is None
    assert [m.id for m in messages] == ["1-0", "2-0", "3-0", "4-0", "5-0", "6-0"]
    assert [r.headers.get("last-event-id") for r in upstream.requests] == [None, "2-0", "3-0", "4-0"]


async def test_an_event_repeated_after_resumption_is_not_delivered_twice() -> None:
    upstream = ScriptedUpstream(cut_after(3, again=EVENTS[2:]))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert error is None
    assert [m.id for m in messages] == ["1-0", "2-0", "3-0", "4-0", "5-0", "6-0"]


async def test_resumption_gives_up_after_the_configured_attempts() -> None:
    def script(request: Request) -> Script:
        if request.method == "POST":
            return Script(headers=RESUMABLE, chunks=EVENTS[:2], ending="close")
        return Script(status=503, headers={"content-type": "application/json"}, chunks=[b'{"detail":"down"}'])

    upstream = ScriptedUpstream(script)
    async with gateway_for(upstream, reconnect_attempts=2) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert [m.id for m in messages] == ["1-0", "2-0"]
    assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    assert len(upstream.requests) == 1 + 1  # a 503 on resumption is an answer, not a dropped stream


@pytest.mark.parametrize(
    "headers",
    [
        {**RESUMABLE, "location": f"/runs/{RUN}/stream"},  # stateless: cannot be resumed upstream
        {
            **RESUMABLE,
            "location": "https://elsewhere.example/threads/x/runs/y/stream",
        },  # never another origin
    ],
)
async def test_streams_that_cannot_be_resumed_end_unavailable(headers: dict[str, str]) -> None:
    upstream = ScriptedUpstream(Script(headers=headers, chunks=EVENTS[:2], ending="close"))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert len(messages) == 2
    assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    assert error_info(error).reason == "UPSTREAM_STREAM_BROKEN"
    assert len(upstream.requests) == 1


async def test_a_stream_without_ids_is_not_resumed() -> None:
    plain = [sse("metadata", {"run_id": RUN}), sse("custom", {"n": 1})]
    upstream = ScriptedUpstream(Script(headers=RESUMABLE, chunks=plain, ending="reset"))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(thread_stream()))
    assert [m.event for m in messages] == ["metadata", "custom"]
    assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    assert len(upstream.requests) == 1


async def test_join_stream_resumes_too_and_sends_last_event_id() -> None:
    def script(request: Request) -> Script:
        last = request.headers.get("last-event-id")
        if last == "1-0":
            return Script(headers=RESUMABLE, chunks=EVENTS[1:3], ending="close")
        return Script(headers=RESUMABLE, chunks=EVENTS[3:], ending="complete")

    upstream = ScriptedUpstream(script)
    async with gateway_for(upstream) as (_, runs):
        request = runs_pb2.JoinStreamRequest(thread_id=THREAD, run_id=RUN, last_event_id="1-0")
        messages, error = await collect(runs.JoinStream(request))
    assert error is None
    assert [m.id for m in messages] == ["2-0", "3-0", "4-0", "5-0", "6-0"]
    assert [r.headers.get("last-event-id") for r in upstream.requests] == ["1-0", "3-0"]
