"""A streaming call closes every upstream answer it opened, and every generator it read, before
its handler returns.

Python's `async for` does not close the generator it reads when the loop is left early, so a
generator whose consumer stops (the client left, the call was cancelled) is closed only when it
is collected: asyncio then closes it in a task of its own, after the call has ended. Each of the
gateway's layers closes the one it reads instead, so the upstream request is closed in the
call's own task, before its stream slot is given back and its access line written.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import pytest
from langgraph_gateway.v1 import runs_pb2, threads_pb2
from langgraph_grpc_gateway import errors
from langgraph_grpc_gateway.services.runs import RunsService
from langgraph_grpc_gateway.services.threads import ThreadsService

from .streaming_call import SETTINGS, Context, Upstream, event, handler

BROKEN = errors.GatewayError(errors.Code.UNAVAILABLE, "connection lost", reason="UPSTREAM_STREAM_BROKEN")
EVENTS = [event(n) for n in range(5)]


class Leaving(Context):
    """A client that leaves once it has `leave_after` messages: grpc cancels the call's task,
    which the handler sees at its next write."""

    def __init__(self, leave_after: int) -> None:
        self.leave_after, self.got = leave_after, 0

    async def write(self, message: object) -> None:
        if self.got == self.leave_after:
            raise asyncio.CancelledError
        self.got += 1


@pytest.mark.parametrize(
    "request_",
    [
        runs_pb2.StreamRunRequest(assistant_id="agent"),
        runs_pb2.StreamRunRequest(assistant_id="agent", coalesce_events=True),
        runs_pb2.StreamRunRequest(assistant_id="agent", heartbeat_seconds=60),
    ],
    ids=["one event a message", "coalesced", "heartbeats"],
)
async def test_a_client_that_leaves_a_run_closes_its_upstream_answer(request_: Any) -> None:
    upstream = Upstream(EVENTS)
    with pytest.raises(asyncio.CancelledError):
        await handler(RunsService(upstream, SETTINGS), "StreamRun")(request_, Leaving(1))  # type: ignore[arg-type]
    assert [answer.closed for answer in upstream.opened] == [True]


async def test_a_client_that_leaves_a_resumed_run_closes_the_answer_it_reads() -> None:
    """A thread's run whose connection broke, reopened: the reopened answer is the one open."""
    upstream = Upstream([EVENTS[0], BROKEN], EVENTS[1:], location="/threads/t/runs/r/stream")
    request = runs_pb2.StreamRunRequest(assistant_id="agent", thread_id="t")
    with pytest.raises(asyncio.CancelledError):
        await handler(RunsService(upstream, SETTINGS), "StreamRun")(request, Leaving(2))  # type: ignore[arg-type]
    assert [answer.closed for answer in upstream.opened] == [True, True]


@pytest.mark.parametrize(
    ("service", "method", "request_"),
    [
        (RunsService, "JoinStream", runs_pb2.JoinStreamRequest(thread_id="t", run_id="r")),
        (ThreadsService, "JoinThreadStream", threads_pb2.JoinThreadStreamRequest(thread_id="t")),
    ],
)
async def test_a_client_that_leaves_a_join_closes_its_upstream_answer(
    service: Any, method: str, request_: Any
) -> None:
    upstream = Upstream(EVENTS)
    with pytest.raises(asyncio.CancelledError):
        await handler(service(upstream, SETTINGS), method)(request_, Leaving(1))
    assert [answer.closed for answer in upstream.opened] == [True]


async def test_a_stream_that_ends_has_closed_its_upstream_answer() -> None:
    upstream = Upstream(EVENTS)
    request = runs_pb2.StreamRunRequest(assistant_id="agent")
    await handler(RunsService(upstream, SETTINGS), "StreamRun")(request, Leaving(-1))  # type: ignore[arg-type]
    assert [answer.closed for answer in upstream.opened] == [True]


@contextlib.contextmanager
def generators_started() -> Iterator[list[AsyncGenerator[Any, Any]]]:
    """Every async generator first iterated inside the block, the event loop's own hooks still
    called for each (they are how asyncio closes a generator collected unclosed)."""
    found: list[AsyncGenerator[Any, Any]] = []
    hooks = sys.get_asyncgen_hooks()

    def firstiter(generator: AsyncGenerator[Any, Any]) -> None:
        found.append(generator)
        if hooks.firstiter is not None:
            hooks.firstiter(generator)

    sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=hooks.finalizer)
    try:
        yield found
    finally:
        sys.set_asyncgen_hooks(*hooks)


RESUMABLE = "/threads/t/runs/r/stream"  # a thread's run: its first answer breaks, it is reopened
CALLS = {
    "a run": (RunsService, "StreamRun", runs_pb2.StreamRunRequest(assistant_id="agent"), None),
    "with heartbeats": (
        RunsService,
        "StreamRun",
        runs_pb2.StreamRunRequest(assistant_id="agent", heartbeat_seconds=60),
        None,
    ),
    "a resumed thread run": (
        RunsService,
        "StreamRun",
        runs_pb2.StreamRunRequest(assistant_id="agent", thread_id="t"),
        RESUMABLE,
    ),
    "a join": (RunsService, "JoinStream", runs_pb2.JoinStreamRequest(thread_id="t", run_id="r"), None),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("leave_after", [2, -1], ids=["the client leaves", "the stream ends"])
async def test_every_generator_a_call_reads_is_closed_when_its_handler_returns(
    call: tuple[Any, str, Any, str | None], leave_after: int
) -> None:
    """Not only those that hold an answer: a generator left to asyncio's finalizer is closed in
    a task of its own after the call, with whatever it still refers to."""
    service, method, request, location = call
    upstream = Upstream([EVENTS[0], BROKEN], EVENTS[1:], location=location) if location else Upstream(EVENTS)
    with generators_started() as started, contextlib.suppress(asyncio.CancelledError):
        await handler(service(upstream, SETTINGS), method)(request, Leaving(leave_after))
    assert started
    assert [g.__qualname__ for g in started if g.ag_frame is not None] == []
