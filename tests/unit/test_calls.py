"""The Call record: read once from grpc's context, then the only source for everything at the end
of a call (access log, metrics, tracing), and how the code a call ended with is decided."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from langgraph_grpc_gateway import access_log, calls, tracing
from langgraph_grpc_gateway.calls import Call

C = grpc.StatusCode
MUTUAL_TLS = {
    "x509_common_name": [b"svc-a"],
    "x509_subject_alternative_name": [b"svc-a.example"],
    "transport_security_type": [b"ssl"],
}


class LiveContext:
    """Answers like grpc's context while the call is live; counts every read."""

    def __init__(self, remaining: float | None, auth: dict[str, list[bytes]] | None = None) -> None:
        self.remaining, self.auth, self.reads = remaining, auth or {}, 0

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return ()

    def time_remaining(self) -> float | None:
        self.reads += 1
        return self.remaining

    def peer(self) -> str:
        self.reads += 1
        return "ipv4:127.0.0.1:53012"

    def auth_context(self) -> dict[str, list[bytes]]:
        self.reads += 1
        return self.auth


class GoneContext:
    """grpc's context after the call was freed: any use would crash the real one."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"context.{name} used after the call ended")


def captured(remaining: float | None = None, **auth: list[bytes]) -> Call:
    context = LiveContext(remaining, auth)
    call = calls.capture("pkg.Svc", "StreamRun", "server_stream", (("k", "v"),), context)  # type: ignore[arg-type]
    assert context.reads == 3
    return call


def test_capture_reads_peer_identity_and_deadline_once() -> None:
    before = time.monotonic()
    call = captured(remaining=2.0, **MUTUAL_TLS)
    assert call.peer == "ipv4:127.0.0.1:53012"
    assert call.client == "svc-a"
    assert call.metadata == (("k", "v"),)
    assert call.deadline is not None and before + 2.0 <= call.deadline <= time.monotonic() + 2.0


def test_capture_skips_the_certificate_where_the_listener_asks_for_none() -> None:
    context = LiveContext(None, MUTUAL_TLS)
    call = calls.capture("pkg.Svc", "WaitRun", "unary", (), context, identify=False)  # type: ignore[arg-type]
    assert context.reads == 2  # peer and deadline; auth_context() never called
    assert call.client is None and call.peer == "ipv4:127.0.0.1:53012"


def test_capture_without_deadline_or_client_certificate() -> None:
    call = captured(remaining=None, transport_security_type=[b"insecure"])
    assert call.deadline is None and call.client is None
    assert not call.past_deadline()


@pytest.mark.parametrize(
    ("auth", "identity"),
    [
        ({}, None),
        ({"x509_subject_alternative_name": [b"spiffe://a/b"]}, "spiffe://a/b"),
        (MUTUAL_TLS, "svc-a"),
        ({"x509_common_name": [b"\xff"]}, "\ufffd"),
    ],
)
def test_client_identity(auth: dict[str, list[bytes]], identity: str | None) -> None:
    assert calls.client_identity(auth) == identity


@pytest.mark.parametrize(
    ("remaining", "error", "code"),
    [
        (None, asyncio.CancelledError(), C.CANCELLED),
        (30.0, asyncio.CancelledError(), C.CANCELLED),
        (0.0, asyncio.CancelledError(), C.DEADLINE_EXCEEDED),
        (0.0, GeneratorExit(), C.DEADLINE_EXCEEDED),
        (None, grpc.aio.UsageError("RPC already finished."), C.CANCELLED),
        (0.0, grpc.aio.UsageError("RPC already finished."), C.DEADLINE_EXCEEDED),
        (None, ValueError("a bug"), C.UNKNOWN),
        (0.0, ValueError("a bug"), C.UNKNOWN),
    ],
)
def test_the_code_a_call_ends_with(remaining: float | None, error: BaseException, code: C) -> None:
    assert calls._ended_code(captured(remaining), error) == code


def test_an_abort_keeps_the_code_it_was_recorded_with() -> None:
    call = captured(remaining=0.0)
    call.code = C.NOT_FOUND
    assert calls._ended_code(call, grpc.aio.AbortError()) == C.NOT_FOUND


def test_the_end_of_a_call_reads_only_the_record() -> None:
    """What runs when a call ends (the access line, the span's attributes) never needs grpc's
    context: the record holds it all, even with the context gone."""
    call = captured(remaining=1.0, **MUTUAL_TLS)
    call.code, call.run_id = C.DEADLINE_EXCEEDED, "r1"
    recording = calls._Recording(GoneContext(), call)  # type: ignore[arg-type]
    assert recording.invocation_metadata() == (("k", "v"),)
    line = access_log.record(call)
    assert line["code"] == "DEADLINE_EXCEEDED"
    assert (line["peer"], line["client"], line["run_id"]) == ("ipv4:127.0.0.1:53012", "svc-a", "r1")


def test_an_access_line_is_the_same_whichever_way_it_goes(caplog: pytest.LogCaptureFixture) -> None:
    """Straight to a writer (the command line's stderr: one write per whole line) or as a record
    of the access logger (a gateway embedded in a program), the line is one JSON document."""
    call = captured(remaining=None)
    call.run_id = "r1"
    written: list[bytes] = []
    access_log.AccessLog(written.append).finished(call)
    with caplog.at_level(logging.INFO, logger="langgraph_grpc_gateway.access"):
        access_log.AccessLog().finished(call)
    [record] = [r for r in caplog.records if r.name == "langgraph_grpc_gateway.access"]
    [line] = written
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    fields, logged = json.loads(line), json.loads(record.getMessage())
    assert fields.keys() == logged.keys() == access_log.record(call).keys()
    assert {**fields, "duration_ms": 0} == {**logged, "duration_ms": 0}  # time went on in between


@pytest.mark.parametrize(
    ("peer", "address"),
    [
        ("ipv4:127.0.0.1:53012", {"net.peer.ip": "127.0.0.1", "net.peer.port": "53012"}),
        ("ipv6:[::1]:53012", {"net.peer.ip": "[::1]", "net.peer.port": "53012"}),
        ("ipv6:%5B::1%5D:53012", {"net.peer.ip": "[::1]", "net.peer.port": "53012"}),
        ("unix:/tmp/gateway.sock", {}),
        ("", {}),
    ],
)
def test_span_attributes(peer: str, address: dict[str, str]) -> None:
    call = Call("pkg.Svc", "WaitRun", "unary", (("user-agent", "grpc-go/1.7"), ("x-bin", b"\x00")), peer)
    assert tracing.span_attributes(call) == {
        "rpc.system": "grpc",
        "rpc.service": "pkg.Svc",
        "rpc.method": "WaitRun",
        "rpc.user_agent": "grpc-go/1.7",
        **address,
    }


class WriteFails(LiveContext):
    """A live call whose every write grpc refuses with `error`."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(remaining=None)
        self.error = error

    async def write(self, message: object) -> None:
        raise self.error


async def _one_message(request: object, context: object) -> AsyncIterator[bytes]:
    yield b"a message"


async def stream_into(context: WriteFails) -> None:
    handle = calls._Method("pkg.Svc", "StreamRun", guards=(), observers=(access_log.AccessLog(),)).stream(
        _one_message
    )
    await handle(object(), context)


@pytest.mark.parametrize(
    "error", [grpc.aio.UsageError("RPC already finished."), grpc.aio.InternalError("batch failed")]
)
async def test_a_write_grpc_refuses_ends_the_call_quietly(error: BaseException) -> None:
    """grpc's error from a write means the call is over: it ends as a cancelled call does, which
    grpc does not log as a servicer error."""
    with pytest.raises(asyncio.CancelledError) as raised:
        await stream_into(WriteFails(error))
    assert raised.value.__cause__ is error


async def test_an_abort_is_not_taken_for_the_end_of_the_call() -> None:
    with pytest.raises(grpc.aio.AbortError):
        await stream_into(WriteFails(grpc.aio.AbortError()))
