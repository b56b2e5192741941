"""Access log lines, Prometheus metrics scraped after real calls, and OpenTelemetry traces."""

from __future__ import annotations

import json
import logging
import pathlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_sdk.client import LangGraphClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from .gates import gate, open_gate
from .production_support import eventually, read_all, sleep_run, user
from .scripted_upstream import Script, ScriptedUpstream, sse
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, gateway_for, stream_request

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "langgraph_grpc_gateway.access"]


@pytest_asyncio.fixture(loop_scope="session")
async def observed(upstream_url: str) -> AsyncIterator[Gateway]:
    gateway = Gateway(Settings(upstream=upstream_url, listen="127.0.0.1:0", metrics_listen="127.0.0.1:0"))
    await gateway.start()
    yield gateway
    await gateway.stop(0)


async def test_one_json_access_line_per_call(observed: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "langgraph_grpc_gateway.access")
    async with grpc.aio.insecure_channel(f"127.0.0.1:{observed.port}") as channel:
        runs = runs_pb2_grpc.RunsServiceStub(channel)
        stream = runs.StreamRun(sleep_run(1))
        run_id = dict(await stream.initial_metadata())["x-langgraph-run-id"]
        messages = await read_all(stream)
        with pytest.raises(grpc.aio.AioRpcError):
            await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="no-such-graph", input=user("hi")))
    streamed, failed = access_lines(caplog)
    assert streamed["method"] == "/langgraph_gateway.v1.RunsService/StreamRun"
    assert streamed["code"] == "OK" and streamed["run_id"] == run_id
    assert streamed["messages_sent"] == len(messages) > 0
    assert isinstance(streamed["duration_ms"], float) and str(streamed["peer"]).startswith("ipv4:127.0.0.1:")
    assert "client" not in streamed  # no client certificate without mTLS
    assert failed["method"] == "/langgraph_gateway.v1.RunsService/WaitRun"
    assert failed["code"] in ("NOT_FOUND", "INVALID_ARGUMENT") and failed["messages_sent"] == 0


async def test_a_cancelled_call_is_logged_cancelled(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "langgraph_grpc_gateway.access")
    stall = Script(headers=STREAM_HEADERS, chunks=EVENTS[:1], ending="stall")
    async with gateway_for(stall) as (upstream, runs):
        stream = runs.StreamRun(stream_request())
        await stream.read()
        stream.cancel()
        await upstream.hung_up.wait()
    [line] = access_lines(caplog)
    assert line["code"] == "CANCELLED" and line["messages_sent"] == 1


async def test_in_process_access_lines_reach_a_real_handler(gateway_log: pathlib.Path) -> None:
    """conftest's gateway_log: every in-process gateway's access lines are built and formatted
    by a real handler under pytest (its own capture does not stand in the way)."""
    offset = log_size(gateway_log)
    async with gateway_for(Script(headers=STREAM_HEADERS, chunks=EVENTS)) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream_request()))
    access = " INFO langgraph_grpc_gateway.access "
    [line] = [line for line in lines_after(gateway_log, offset) if access in line]
    fields = json.loads(line.split(access, 1)[1])
    assert error is None and fields["code"] == "OK" and fields["messages_sent"] == len(messages)


def log_size(path: pathlib.Path) -> int:
    return path.stat().st_size


def lines_after(path: pathlib.Path, offset: int) -> list[str]:
    return path.read_bytes()[offset:].decode().splitlines()


def scrape(gateway: Gateway) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"http://127.0.0.1:{gateway.metrics_port}/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items())


async def test_metrics_after_real_calls(observed: Gateway, sdk: LangGraphClient) -> None:
    stream_labels = {"grpc_service": "langgraph_gateway.v1.RunsService", "grpc_method": "StreamRun"}
    before = scrape(observed)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{observed.port}") as channel, gate(sdk) as name:
        runs = runs_pb2_grpc.RunsServiceStub(channel)
        # A run that waits at the gate: the stream is surely in flight until the test opens it.
        request = runs_pb2.StreamRunRequest(
            assistant_id="agent", input=user(f"WAIT {name}"), stream_mode=["custom"]
        )
        stream = runs.StreamRun(request)
        await stream.read()
        during = scrape(observed)
        await open_gate(sdk, name)
        messages = 1 + len(await read_all(stream))
        with pytest.raises(grpc.aio.AioRpcError):
            await runs.GetRun(runs_pb2.GetRunRequest(thread_id=str(uuid.uuid4()), run_id=str(uuid.uuid4())))
    after = scrape(observed)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert (
        value(during, "langgraph_gateway_streams_in_flight")
        == value(before, "langgraph_gateway_streams_in_flight") + 1
    )
    assert value(after, "langgraph_gateway_streams_in_flight") == value(
        before, "langgraph_gateway_streams_in_flight"
    )
    assert grew("grpc_server_started_total", grpc_type="server_stream", **stream_labels) == 1
    assert grew("grpc_server_handled_total", grpc_code="OK", **stream_labels) == 1
    assert grew("grpc_server_handled_total", grpc_method="GetRun", grpc_code="NOT_FOUND") == 1
    assert grew("grpc_server_msg_sent_total", **stream_labels) == messages
    assert grew("grpc_server_handling_seconds_count", **stream_labels) == 1
    assert grew("langgraph_gateway_time_to_first_event_seconds_count", **stream_labels) == 1
    assert grew("langgraph_gateway_upstream_requests_total", method="POST", status="200") == 1
    assert grew("langgraph_gateway_upstream_requests_total", method="GET", status="404") == 1
    assert grew("langgraph_gateway_upstream_request_seconds_count") == 2


async def test_metrics_are_off_by_default(gateway: Gateway) -> None:
    assert gateway.metrics is None and gateway.metrics_port == 0


async def test_one_trace_from_the_caller_through_the_gateway_to_the_upstream() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    async with ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=EVENTS)) as upstream:
        settings = Settings(upstream=upstream.url, listen="127.0.0.1:0", tracing=True)
        gateway = Gateway(settings, tracer_provider=provider)
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                runs = runs_pb2_grpc.RunsServiceStub(channel)
                call = runs.StreamRun(stream_request(), metadata=(("traceparent", TRACEPARENT),))
                messages, error = await collect(call)
        finally:
            await gateway.stop(0)
    assert error is None and len(messages) == 2
    spans = exporter.get_finished_spans()
    server = [s for s in spans if s.kind == trace.SpanKind.SERVER]
    client = [s for s in spans if s.kind == trace.SpanKind.CLIENT]
    assert len(server) == 1 and len(client) == 1, spans
    assert server[0].context.trace_id == client[0].context.trace_id == int(CALLER_TRACE, 16)
    assert client[0].parent is not None and client[0].parent.span_id == server[0].context.span_id
    sent = upstream.requests[0].headers["traceparent"]
    assert sent.split("-")[1] == CALLER_TRACE  # the upstream continues the caller's trace
    assert sent.split("-")[2] == format(client[0].context.span_id, "016x")


async def test_spans_of_calls_the_client_left_end_in_their_own_task(caplog: pytest.LogCaptureFixture) -> None:
    """A client that leaves mid-stream, and one whose deadline passes: each server span ends with
    CANCELLED / DEADLINE_EXCEEDED, and the tracing context is detached where it was attached (a span
    ended in another task logs "Failed to detach context")."""
    caplog.set_level(logging.INFO)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    many = [EVENTS[0], *[sse("updates", {"seq": n, "pad": "x" * 300}) for n in range(2000)]]
    async with ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=many, ending="stall")) as upstream:
        settings = Settings(upstream=upstream.url, listen="127.0.0.1:0", tracing=True)
        gateway = Gateway(settings, tracer_provider=provider)
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                runs = runs_pb2_grpc.RunsServiceStub(channel)
                for _ in range(5):
                    left = runs.StreamRun(stream_request())
                    await left.read()  # the first message, then leave while the gateway sends
                    left.cancel()
                    with pytest.raises(grpc.aio.AioRpcError) as raised:
                        await read_all(runs.StreamRun(stream_request(), timeout=0.5))
                    assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
                spans = await eventually(lambda: _server_spans(exporter, 10))
        finally:
            await gateway.stop(0)
    codes = sorted(CODE_NAMES[s.attributes["rpc.grpc.status_code"]] for s in spans)  # type: ignore[index]
    assert codes == ["CANCELLED"] * 5 + ["DEADLINE_EXCEEDED"] * 5
    assert [line["code"] for line in access_lines(caplog)].count("DEADLINE_EXCEEDED") == 5
    assert not [r for r in caplog.records if "detach" in r.getMessage() or r.exc_info], caplog.text


CODE_NAMES = {code.value[0]: code.name for code in grpc.StatusCode}


async def _server_spans(exporter: InMemorySpanExporter, count: int) -> list[Any]:
    spans = [s for s in exporter.get_finished_spans() if s.kind == trace.SpanKind.SERVER]
    return spans if len(spans) >= count else []
