"""Calls of the hot methods asked of grpc core several at a time, not one at a time.

grpc.aio's server asks grpc core for one call of a method at a time: its accept loop awaits the
next call, starts the call's task, then asks again, and each answer comes back through the
completion queue's poller thread and the event loop. On a loaded loop that round trip waits for
the loop's next turns, and new calls queue inside grpc meanwhile: at 2,000 token streams on one
core, the streams opened last waited 10-15 s for their first message, through the least proxy as
through the gateway (bench/NOTES.md, "Admission"). Here `depth` more requests of each hot method
stay pending in grpc core beside grpc.aio's own, so a busy loop takes in up to that many new calls
a turn; each call is then run exactly as grpc.aio's own loop runs it.

This reaches into grpc.aio's private server internals (cygrpc), which grpcio may change in any
release: `missing()` names what this grpcio lacks, and then the gateway logs it and runs on
grpc.aio's loop alone (tests/test_accept_ahead.py fails, so that CI sees it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import grpc
from grpc._cython import cygrpc  # type: ignore[attr-defined]  # no stubs: private

logger = logging.getLogger(__name__)

# The calls that come in bursts and that a client waits on to see anything: new runs.
HOT_METHODS = frozenset(
    {
        "/langgraph_gateway.v1.RunsService/StreamRun",
        "/langgraph_gateway.v1.RunsService/WaitRun",
    }
)

_INTERNALS = ("_MethodResolver", "_handle_rpc", "_schedule_rpc_coro", "_RequestCallError")


def missing(server: grpc.aio.Server) -> list[str]:
    """The internals this grpcio lacks (none: accept-ahead can run)."""
    lacking = [name for name in _INTERNALS if not hasattr(cygrpc, name)]
    core = getattr(server, "_server", None)
    if not hasattr(core, "_request_registered_call"):
        lacking.append("AioServer._request_registered_call")
    if not hasattr(core, "is_running"):
        lacking.append("AioServer.is_running")
    return lacking


class AcceptAhead:
    """`depth` pending requests for each of `handlers` (grpc registered methods, by full name),
    each re-asked as soon as its call has been started. Start once the server has started; the
    requests end when the server stops (grpc fails those still pending)."""

    def __init__(self, server: grpc.aio.Server, handlers: Mapping[str, Any], depth: int) -> None:
        self._core: Any = server._server  # type: ignore[attr-defined]  # cygrpc.AioServer
        self._handlers = dict(handlers)
        self._resolver = cygrpc._MethodResolver([], self._handlers)
        self._depth = depth
        self._accepting: set[asyncio.Task[None]] = set()
        self._calls: set[asyncio.Task[Any]] = set()  # the loop holds tasks weakly
        self.taken = 0
        """Calls taken in by these requests (the others came through grpc.aio's own)."""

    def start(self) -> None:
        for method in self._handlers:
            for _ in range(self._depth):
                task = asyncio.create_task(self._accept(method), name=f"accept-ahead {method}")
                self._accepting.add(task)
                task.add_done_callback(self._accepting.discard)

    @property
    def pending(self) -> int:
        """Requests pending in grpc core: `depth` per method while serving, 0 once stopped."""
        return len(self._accepting)

    async def stopped(self) -> None:
        """Returns once every request has ended (after the server's stop has begun)."""
        await asyncio.gather(*self._accepting, return_exceptions=True)

    async def _accept(self, method: str) -> None:
        name, loop = method.encode(), asyncio.get_running_loop()
        while self._core.is_running():
            try:
                state = await self._core._request_registered_call(name)
            except cygrpc._RequestCallError:
                # grpc failed the request: the server is stopping (the loop then ends), or grpc
                # refused this one (asked again, as grpc.aio's own loop does).
                continue
            except Exception:  # a grpc that does not take the request at all: do without
                if self._core.is_running():
                    logger.warning("accept-ahead for %s stopped", method, exc_info=True)
                return
            # What grpc.aio's own loop does with a call it accepts, with no interceptors (the
            # gateway wraps its handlers instead, calls.py) and no maximum_concurrent_rpcs (the
            # gateway limits streams itself, limits.StreamLimit).
            call = cygrpc._handle_rpc(method, self._resolver, (), state, loop, False)
            task = loop.create_task(cygrpc._schedule_rpc_coro(call, state, loop, method), name="rpc_task")
            self.taken += 1
            self._calls.add(task)
            task.add_done_callback(self._calls.discard)
