"""A streaming call closes every upstream answer it opened before its handler returns.

Python's `async for` does not close the generator it reads when the loop is left early, so a
generator whose consumer stops (the client left, the call was cancelled) is closed only when it
is collected: asyncio then closes it in a task of its own, after the call has ended. Each of the
gateway's layers closes the one it reads instead, so the upstream request is closed in the
call's own task, before its stream slot is given back and its access line written.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langgraph_gateway.v1 import runs_pb2, threads_pb2
from langgraph_grpc_gateway import calls, errors, streaming
from langgraph_grpc_gateway.config import Settings
from langgraph_grpc_gateway.services.runs import RunsService
from langgraph_grpc_gateway.services.threads import ThreadsService
from langgraph_grpc_gateway.sse import ServerSentEvent
from multidict import CIMultiDict, CIMultiDictProxy

BROKEN = errors.GatewayError(
    errors.Code.UNAVAILABLE, "upstream connection lost", reason="UPSTREAM_STREAM_BROKEN"
)


def event(n: int) -> ServerSentEvent:
    return ServerSentEvent("updates", b'{"node": {"n": %d}}' % n, f"{n}-0")


class Exchange:
    """One upstream answer, as Upstream.open gives it: its batches, or a broken connection."""

    def __init__(self, script: list[Any], location: str | None) -> None:
        found = {"content-location": "/threads/t/runs/r"}
        self.headers = CIMultiDictProxy(
            CIMultiDict({**found, **({"location": location} if location else {})})
        )
        self.script, self.closed = script, False

    async def __aenter__(self) -> Exchange:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.closed = True

    def expect_event_stream(self) -> None:
        pass

    async def batches(self) -> AsyncIterator[list[ServerSentEvent]]:
        for step in self.script:
            if isinstance(step, Exception):
                raise step
            yield [step]


class Upstream:
    """Answers each open() with the next script; keeps every answer it gave."""

    def __init__(self, *scripts: list[Any], location: str | None = None) -> None:
        self.scripts, self.location, self.opened = list(scripts), location, list[Exchange]()

    def open(self, *args: Any, **kwargs: Any) -> Exchange:
        self.opened.append(Exchange(self.scripts.pop(0), self.location))
        return self.opened[-1]


class Context:
    """grpc's context for a client that leaves once it has `leave_after` messages: grpc cancels
    the call's task, which the handler sees at its next write."""

    def __init__(self, leave_after: int) -> None:
        self.leave_after, self.got = leave_after, 0

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return ()

    def time_remaining(self) -> float | None:
        return None

    def peer(self) -> str:
        return "ipv4:127.0.0.1:53012"

    def auth_context(self) -> dict[str, list[bytes]]:
        return {}

    async def send_initial_metadata(self, metadata: object) -> None:
        pass

    async def write(self, message: object) -> None:
        if self.got == self.leave_after:
            raise asyncio.CancelledError
        self.got += 1


def handler(service: Any, method: str) -> Any:
    # No wait before reconnecting: these tests are about what is closed, not when it reconnects.
    service.relay = streaming.Relay(service.upstream, streaming.ReconnectPolicy(attempts=3, backoff=0))
    return calls._Method("pkg.Svc", method, guards=(), observers=()).stream(getattr(service, method))


SETTINGS = Settings(upstream="http://upstream")
EVENTS = [event(n) for n in range(5)]


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
        await handler(RunsService(upstream, SETTINGS), "StreamRun")(request_, Context(leave_after=1))  # type: ignore[arg-type]
    assert [answer.closed for answer in upstream.opened] == [True]


async def test_a_client_that_leaves_a_resumed_run_closes_the_answer_it_reads() -> None:
    """A thread's run whose connection broke, reopened: the reopened answer is the one open."""
    upstream = Upstream([EVENTS[0], BROKEN], EVENTS[1:], location="/threads/t/runs/r/stream")
    request = runs_pb2.StreamRunRequest(assistant_id="agent", thread_id="t")
    with pytest.raises(asyncio.CancelledError):
        await handler(RunsService(upstream, SETTINGS), "StreamRun")(request, Context(leave_after=2))  # type: ignore[arg-type]
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
        await handler(service(upstream, SETTINGS), method)(request_, Context(leave_after=1))
    assert [answer.closed for answer in upstream.opened] == [True]


async def test_a_stream_that_ends_has_closed_its_upstream_answer() -> None:
    upstream = Upstream(EVENTS)
    request = runs_pb2.StreamRunRequest(assistant_id="agent")
    await handler(RunsService(upstream, SETTINGS), "StreamRun")(request, Context(leave_after=-1))  # type: ignore[arg-type]
    assert [answer.closed for answer in upstream.opened] == [True]
