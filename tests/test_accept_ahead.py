"""Accept-ahead (accept_ahead.py): new StreamRun and WaitRun calls asked of grpc several at a time.

It reaches into grpc.aio's private internals, so the first test fails when a grpcio release drops
them (the gateway then still serves, one call at a time, as the last tests show)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import accept_ahead
from langgraph_grpc_gateway.server import Gateway

from .scripted_upstream import Request, Script, ScriptedUpstream
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, serving

CALLS = 40  # of each method at once: more than the requests kept pending (32 each by default)


def answer(request: Request) -> Script:
    if request.path.endswith("/wait"):
        values = request.json()["input"]  # each wait answers its own input
        return Script(headers={"content-type": "application/json"}, chunks=[json.dumps(values).encode()])
    return Script(headers=STREAM_HEADERS, chunks=EVENTS)


@contextlib.asynccontextmanager
async def served(**settings: Any) -> AsyncIterator[tuple[Gateway, runs_pb2_grpc.RunsServiceStub]]:
    async with serving(ScriptedUpstream(answer), **settings) as (_, in_process, runs):
        yield in_process, runs


async def burst(runs: runs_pb2_grpc.RunsServiceStub) -> None:
    """CALLS streams and CALLS waits at once, each answered in full and as its own."""

    async def wait(n: int) -> None:
        request = runs_pb2.WaitRunRequest(assistant_id="agent")
        request.input.struct_value.update({"n": n})
        answer = await runs.WaitRun(request)
        assert answer.values.struct_value["n"] == n

    async def stream() -> None:
        messages, error = await collect(runs.StreamRun(runs_pb2.StreamRunRequest(assistant_id="agent")))
        assert error is None
        assert [m.event for m in messages] == ["metadata", "updates"]

    await asyncio.gather(*(wait(n) for n in range(CALLS)), *(stream() for _ in range(CALLS)))


async def test_this_grpcio_has_what_accept_ahead_needs() -> None:
    async with served() as (gateway, _):
        assert gateway._server is not None
        assert accept_ahead.missing(gateway._server) == []
        assert gateway.accept_ahead is not None
        assert gateway.accept_ahead.pending == 2 * 32  # StreamRun and WaitRun, 32 each by default


async def test_calls_taken_in_ahead_are_served_like_any_other_and_the_requests_are_renewed() -> None:
    async with served() as (gateway, runs):
        ahead = gateway.accept_ahead
        assert ahead is not None
        await burst(runs)
        # grpc hands calls to pending requests first come, first served, and grpc.aio's own
        # request is renewed behind the ones asked ahead: calls after the first go through them.
        assert ahead.taken >= CALLS
        assert ahead.pending == 2 * 32
        await burst(runs)  # and again, on the renewed requests


async def test_stopping_ends_every_request_quietly(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    async with served() as (gateway, runs):
        ahead = gateway.accept_ahead
        assert ahead is not None
        await burst(runs)
    assert ahead.pending == 0
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_accept_ahead_0_leaves_grpc_aio_its_own_loop_alone() -> None:
    async with served(accept_ahead=0) as (gateway, runs):
        assert gateway.accept_ahead is None
        await burst(runs)


async def test_a_grpcio_without_the_internals_serves_one_call_at_a_time_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # As a later grpcio might: a name accept-ahead uses, gone (deleting one of grpc.aio's own
    # would break grpc.aio itself, which looks them up as it runs).
    monkeypatch.setattr(accept_ahead, "_INTERNALS", (*accept_ahead._INTERNALS, "_gone_in_a_later_grpcio"))
    caplog.set_level(logging.WARNING)
    async with served() as (gateway, runs):
        assert gateway.accept_ahead is None
        await burst(runs)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("accept-ahead is off" in w and "_gone_in_a_later_grpcio" in w for w in warnings), warnings
