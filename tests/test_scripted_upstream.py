"""What the real server cannot show on demand, against a scripted upstream: every mapped HTTP
status, lost connections, unreachable upstreams, metadata passing, exact request bodies, and
that a cancelled or timed-out call hangs up on the upstream at once."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings, calls

from .conftest import free_port
from .scripted_upstream import Script, ScriptedUpstream, sse
from .status_details import error_info

RUN_ID = "01a21394-985c-7762-ad8d-fa77f4727fd6"
THREAD_ID = "01a21394-dbcd-75e6-8e72-18176e81fe72"
STREAM_HEADERS = {
    "content-type": "text/event-stream; charset=utf-8",
    "content-location": f"/threads/{THREAD_ID}/runs/{RUN_ID}",
    "location": f"/threads/{THREAD_ID}/runs/{RUN_ID}/stream",
}
EVENTS = [sse("metadata", {"run_id": RUN_ID, "attempt": 1}), sse("updates", {"post": {"count": 1}})]


@contextlib.asynccontextmanager
async def gateway_for(
    script: Script | ScriptedUpstream, **settings: Any
) -> AsyncIterator[tuple[ScriptedUpstream, runs_pb2_grpc.RunsServiceStub]]:
    async with serving(script, **settings) as (upstream, _, runs):
        yield upstream, runs


@contextlib.asynccontextmanager
async def serving(
    script: Script | ScriptedUpstream, **settings: Any
) -> AsyncIterator[tuple[ScriptedUpstream, Gateway, runs_pb2_grpc.RunsServiceStub]]:
    """gateway_for, with the in-process gateway itself too (for tests that look inside it)."""
    upstream = script if isinstance(script, ScriptedUpstream) else ScriptedUpstream(script)
    async with upstream:
        gateway = Gateway(Settings(upstream=upstream.url, listen="127.0.0.1:0", **settings))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                yield upstream, gateway, runs_pb2_grpc.RunsServiceStub(channel)
        finally:
            await gateway.stop(0)


def stream_request(**fields: Any) -> runs_pb2.StreamRunRequest:
    return runs_pb2.StreamRunRequest(assistant_id="agent", **fields)


async def collect(call: Any) -> tuple[list[runs_pb2.StreamRunResponse], grpc.aio.AioRpcError | None]:
    messages = []
    try:
        async for message in call:
            messages.append(message)
    except grpc.aio.AioRpcError as exc:
        return messages, exc
    return messages, None


STATUS_CASES = [
    (400, grpc.StatusCode.INVALID_ARGUMENT),
    (401, grpc.StatusCode.UNAUTHENTICATED),
    (403, grpc.StatusCode.PERMISSION_DENIED),
    (404, grpc.StatusCode.NOT_FOUND),
    (409, grpc.StatusCode.ABORTED),
    (422, grpc.StatusCode.INVALID_ARGUMENT),
    (429, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (500, grpc.StatusCode.INTERNAL),
    (501, grpc.StatusCode.UNIMPLEMENTED),
    (502, grpc.StatusCode.UNAVAILABLE),
    (503, grpc.StatusCode.UNAVAILABLE),
    (504, grpc.StatusCode.DEADLINE_EXCEEDED),
]


@pytest.mark.parametrize(("http_status", "code"), STATUS_CASES)
async def test_error_status_maps_the_same_for_stream_and_wait(
    http_status: int, code: grpc.StatusCode
) -> None:
    script = Script(
        status=http_status,
        headers={"content-type": "application/json"},
        chunks=[b'{"detail":"scripted failure"}'],
    )
    async with gateway_for(script) as (_, runs):
        messages, stream_error = await collect(runs.StreamRun(stream_request()))
        with pytest.raises(grpc.aio.AioRpcError) as wait_error:
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"))
    assert messages == []
    for error in (stream_error, wait_error.value):
        assert error is not None
        assert error.code() == code
        assert error.details() == "scripted failure"
        info = error_info(error)
        assert (info.reason, info.domain) == ("UPSTREAM_HTTP_ERROR", "langgraph-grpc-gateway")
        assert info.metadata["http_status"] == str(http_status)


async def test_html_error_body_becomes_the_message() -> None:
    script = Script(status=502, headers={"content-type": "text/html"}, chunks=[b"<html>bad gateway</html>"])
    async with gateway_for(script) as (_, runs):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"))
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert error.value.details() == "<html>bad gateway</html>"


async def test_unreachable_upstream_is_unavailable() -> None:
    gateway = Gateway(Settings(upstream=f"http://127.0.0.1:{free_port()}", listen="127.0.0.1:0"))
    await gateway.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            runs = runs_pb2_grpc.RunsServiceStub(channel)
            messages, error = await collect(runs.StreamRun(stream_request()))
            with pytest.raises(grpc.aio.AioRpcError) as wait_error:
                await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"))
    finally:
        await gateway.stop(0)
    assert messages == []
    for exc in (error, wait_error.value):
        assert exc is not None and exc.code() == grpc.StatusCode.UNAVAILABLE
        assert error_info(exc).reason == "UPSTREAM_UNAVAILABLE"


@pytest.mark.parametrize("ending", ["close", "reset"])
async def test_connection_lost_mid_stream_keeps_sent_messages_then_unavailable(ending: str) -> None:
    script = Script(headers=STREAM_HEADERS, chunks=EVENTS, ending=ending)  # type: ignore[arg-type]
    async with gateway_for(script) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
        # The gateway stays healthy and serves the next call.
        again, _ = await collect(runs.StreamRun(stream_request()))
    assert [m.event for m in messages] == ["metadata", "updates"]
    assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    assert error_info(error).reason == "UPSTREAM_STREAM_BROKEN"
    assert [m.event for m in again] == ["metadata", "updates"]


async def test_ids_go_out_as_initial_metadata_before_the_first_event() -> None:
    # The upstream answers its headers, then sends nothing: the ids must arrive all the same.
    upstream = ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=[], ending="stall"))
    async with gateway_for(upstream) as (_, runs):
        call = runs.StreamRun(stream_request(thread_id=THREAD_ID))
        metadata = dict(await asyncio.wait_for(call.initial_metadata(), timeout=10))
        call.cancel()
    assert metadata["x-langgraph-run-id"] == RUN_ID
    assert metadata["x-langgraph-thread-id"] == THREAD_ID


WAIT_HEADERS = {"content-type": "application/json", "content-location": f"/threads/{THREAD_ID}/runs/{RUN_ID}"}
IDS = {"x-langgraph-run-id": RUN_ID, "x-langgraph-thread-id": THREAD_ID}


async def test_wait_run_padded_body_and_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked to (notify_run_created), the gateway sends the ids as initial metadata while the run
    goes on, before the answer. Here the body is held back until the gateway has sent them. (A
    grpc.aio client cannot see a unary call's initial metadata before its response: both come in
    one batch of its own.)"""
    hold = asyncio.Event()
    send = calls._Recording.send_initial_metadata

    async def sent_then_open(self: Any, metadata: Any) -> None:
        await send(self, metadata)
        hold.set()

    monkeypatch.setattr(calls._Recording, "send_initial_metadata", sent_then_open)
    chunks = [b"\n", b"\n", b'{"count": 2, "big": 12345678901}']
    script = Script(headers=WAIT_HEADERS, chunks=chunks, hold=hold)
    async with gateway_for(script) as (_, runs):
        call = runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent", notify_run_created=True))
        response = await call
        metadata = dict(await call.initial_metadata())
    assert (response.run_id, response.thread_id) == (RUN_ID, THREAD_ID)
    assert response.values.struct_value.fields["count"].number_value == 2
    assert IDS.items() <= metadata.items()


@pytest.mark.parametrize("data_format", [runs_pb2.DATA_FORMAT_VALUE, runs_pb2.DATA_FORMAT_JSON])
@pytest.mark.parametrize("at_once", [True, False], ids=["whole", "padded"])
async def test_wait_run_sends_the_ids_with_the_answer(data_format: int, at_once: bool) -> None:
    """Not asked for them early, the gateway sends the ids with the answer, in one write: as
    trailing metadata (and in the response), none as initial metadata of their own, whether the
    answer came whole with the headers or after padding."""
    chunks = [b'{"count": 2}'] if at_once else [b"\n", b"\n", b'{"count": 2}']
    script = Script(headers=WAIT_HEADERS, chunks=chunks, at_once=at_once)
    async with gateway_for(script) as (_, runs):
        call = runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent", data_format=data_format))
        response = await call
        initial, trailing = dict(await call.initial_metadata()), dict(await call.trailing_metadata())
    assert (response.run_id, response.thread_id) == (RUN_ID, THREAD_ID)
    assert IDS.items() <= trailing.items() and not IDS.keys() & initial.keys()
    assert (
        response.values_json == b'{"count": 2}'
        or response.values.struct_value.fields["count"].number_value == 2
    )


async def test_wait_run_whose_run_failed_names_the_run_in_its_trailers() -> None:
    """RUN_FAILED's trailers carry the ids beside the error's details: the abort keeps the
    trailing metadata set before it."""
    failed = b'{"__error__": {"error": "ValueError", "message": "boom"}}'
    script = Script(headers=WAIT_HEADERS, chunks=[b"\n", failed])
    async with gateway_for(script) as (_, runs):
        call = runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"))
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert error_info(caught.value).reason == "RUN_FAILED"
    assert IDS.items() <= dict(caught.value.trailing_metadata()).items()


async def test_only_allow_listed_metadata_reaches_the_upstream() -> None:
    sent = [
        ("authorization", "Bearer caller"),
        ("x-request-id", "req-1"),
        ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        ("tracestate", "vendor=1"),
        ("baggage", "k=v"),
        ("x-tenant", "acme"),
        ("x-secret", "do-not-forward"),
        ("cookie", "session=1"),
    ]
    async with gateway_for(
        Script(headers=STREAM_HEADERS, chunks=EVENTS), forward_metadata=_with("x-tenant")
    ) as (
        upstream,
        runs,
    ):
        await collect(runs.StreamRun(stream_request(), metadata=sent))
    headers = upstream.requests[0].headers
    assert headers["authorization"] == "Bearer caller"
    assert headers["x-request-id"] == "req-1"
    assert headers["traceparent"].startswith("00-0af7651916cd43dd")
    assert (headers["tracestate"], headers["baggage"], headers["x-tenant"]) == ("vendor=1", "k=v", "acme")
    assert "x-secret" not in headers and "cookie" not in headers


def _with(*extra: str) -> frozenset[str]:
    from langgraph_grpc_gateway.headers import forwarded_names

    return forwarded_names(extra)


async def test_configured_api_key_replaces_the_callers() -> None:
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=EVENTS), upstream_api_key="gateway-key") as (
        upstream,
        runs,
    ):
        await collect(runs.StreamRun(stream_request(), metadata=[("x-api-key", "caller-key")]))
    assert upstream.requests[0].headers["x-api-key"] == "gateway-key"


async def test_request_path_and_body_carry_only_what_was_set() -> None:
    request = stream_request(thread_id=THREAD_ID, stream_mode=["updates", "messages-tuple"], on_disconnect=1)
    request.input.struct_value.fields["n"].number_value = 3
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=EVENTS)) as (upstream, runs):
        await collect(runs.StreamRun(request))
        await collect(runs.StreamRun(stream_request(thread_id="")))
    first, second = upstream.requests
    assert (first.method, first.path) == ("POST", f"/threads/{THREAD_ID}/runs/stream")
    assert first.json() == {
        "assistant_id": "agent",
        "input": {"n": 3},
        "stream_mode": ["updates", "messages-tuple"],
        "on_disconnect": "cancel",
    }
    assert (second.path, second.json()) == ("/runs/stream", {"assistant_id": "agent"})


async def test_bad_input_never_reaches_the_upstream() -> None:
    nan_input = stream_request()
    nan_input.input.number_value = float("nan")
    cases = [nan_input, stream_request(thread_id="../assistants"), runs_pb2.StreamRunRequest()]
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=EVENTS)) as (upstream, runs):
        for request in cases:
            _, error = await collect(runs.StreamRun(request))
            assert error is not None and error.code() == grpc.StatusCode.INVALID_ARGUMENT, request
        with pytest.raises(grpc.aio.AioRpcError) as wait_error:
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent", thread_id="a/../../b"))
    assert wait_error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert upstream.requests == []


async def test_cancelled_stream_hangs_up_on_the_upstream() -> None:
    upstream = ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=EVENTS, ending="stall"))
    async with gateway_for(upstream) as (_, runs):
        call = runs.StreamRun(stream_request())
        assert (await call.read()).event == "metadata"
        call.cancel()
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=10)


async def test_deadline_bounds_the_upstream_request() -> None:
    # Two events at once, then a stall that only the deadline ends (2 s: ample for the events).
    upstream = ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=EVENTS, ending="stall"))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request(), timeout=2))
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=10)
    assert len(messages) == 2
    assert error is not None and error.code() == grpc.StatusCode.DEADLINE_EXCEEDED


async def test_wait_deadline_hangs_up_too() -> None:
    script = Script(headers={"content-type": "application/json"}, chunks=[b"\n"], ending="stall")
    upstream = ScriptedUpstream(script)
    async with gateway_for(upstream) as (_, runs):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"), timeout=1)
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=10)
    assert error.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


async def test_event_data_that_is_not_json_ends_the_call_after_the_good_events() -> None:
    script = Script(headers=STREAM_HEADERS, chunks=[EVENTS[0], b"event: updates\r\ndata: {not json\r\n\r\n"])
    async with gateway_for(script) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
    assert [m.event for m in messages] == ["metadata"]
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL
    assert error_info(error).reason == "UPSTREAM_PROTOCOL_ERROR"


async def test_coalesced_messages_carry_every_event_once_in_order() -> None:
    many = [EVENTS[0], *(sse("custom", {"seq": n}) for n in range(500))]
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=many)) as (_, runs):
        for data_format in (runs_pb2.DATA_FORMAT_VALUE, runs_pb2.DATA_FORMAT_JSON):
            request = stream_request(coalesce_events=True, data_format=data_format)
            messages, error = await collect(runs.StreamRun(request))
            assert error is None
            assert all(not m.event and m.events for m in messages)
            events = [e for m in messages for e in m.events]
            assert [e.event for e in events] == ["metadata"] + ["custom"] * 500
            if data_format == runs_pb2.DATA_FORMAT_JSON:
                seqs = [json.loads(e.data_json)["seq"] for e in events[1:]]
            else:
                seqs = [int(e.data.struct_value.fields["seq"].number_value) for e in events[1:]]
            assert seqs == list(range(500))


async def test_coalesced_error_event_ends_the_batch_and_the_call() -> None:
    failing = [EVENTS[0], sse("custom", {"n": 1}), sse("error", {"error": "ValueError", "message": "boom"})]
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=[b"".join(failing)])) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request(coalesce_events=True)))
    assert [e.event for m in messages for e in m.events] == ["metadata", "custom", "error"]
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL
    assert error_info(error).metadata["error"] == "ValueError"


async def test_a_json_answer_where_an_event_stream_was_expected_is_a_protocol_error() -> None:
    script = Script(headers={"content-type": "application/json"}, chunks=[b'{"values": 1}'])
    async with gateway_for(script) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
    assert messages == []
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL
    assert error_info(error).reason == "UPSTREAM_PROTOCOL_ERROR"
    assert "application/json where an event stream was expected" in error.details()
