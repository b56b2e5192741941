"""One stream's events per second: the gateway against direct httpx-sse, in every payload form.

Every client parses each event's JSON once and reads its `seq` (direct: json.loads(sse.data);
raw form: json.loads(data_json); Value form: the data is already structured), so the work on
both sides is the same, and checks that every event arrived once, in order.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import grpc
import httpx
from httpx_sse import connect_sse
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_sdk import get_sync_client
from latency import ASSISTANT, sync_channel, value
from procs import Gateway, Upstream
from report import Panel, Section, Table, Target
from stats import Spread

DIRECT = "direct: httpx-sse"
# The same client on grpcio's default channel (each message handed over from the channel's thread).
DEFAULT_CHANNEL = "gateway grpc, grpcio's default channel: raw JSON, one event per message"
FORMS = {  # name: (data_format, coalesce_events)
    "Value, one event per message": (runs_pb2.DATA_FORMAT_VALUE, False),
    "raw JSON, one event per message": (runs_pb2.DATA_FORMAT_JSON, False),
    "raw JSON, coalesced": (runs_pb2.DATA_FORMAT_JSON, True),
    "Value, coalesced": (runs_pb2.DATA_FORMAT_VALUE, True),
}


@dataclass
class Config:
    events: int
    repetitions: int


def _seq(event: Any, raw: bool) -> float:
    if raw:
        return float(json.loads(event.data_json)["seq"])
    return float(event.data.struct_value.fields["seq"].number_value)


def _count(messages: Iterable[Any], raw: bool) -> tuple[int, float]:
    count, last = 0, -1.0
    for message in messages:
        for event in message.events or (message,):
            if event.event != "metadata":
                last = _seq(event, raw)
                count += 1
    return count, last


async def _acount(messages: Any, raw: bool) -> tuple[int, float]:
    count, last = 0, -1.0
    async for message in messages:
        for event in message.events or (message,):
            if event.event != "metadata":
                last = _seq(event, raw)
                count += 1
    return count, last


def clients(upstream: Upstream, gateway: Gateway, events: int) -> dict[str, Callable[[], tuple[int, float]]]:
    knobs = {"events": events, "mode": "updates", "size": 300}
    body = {"assistant_id": ASSISTANT, "input": knobs, "stream_mode": ["updates"]}
    plain = httpx.Client(base_url=upstream.url, timeout=None)
    sdk = get_sync_client(url=upstream.url, api_key=None, timeout=None)
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(gateway.target))
    default_stub = runs_pb2_grpc.RunsServiceStub(grpc.insecure_channel(gateway.target))

    def direct() -> tuple[int, float]:
        count, last = 0, -1.0
        with connect_sse(plain, "POST", "/runs/stream", json=body) as source:
            for sse in source.iter_sse():
                if sse.event != "metadata":
                    last = float(json.loads(sse.data)["seq"])
                    count += 1
        return count, last

    def sdk_stream() -> tuple[int, float]:
        count, last = 0, -1.0
        for part in sdk.runs.stream(None, ASSISTANT, input=knobs, stream_mode="updates"):
            if part.event != "metadata":
                last = float(part.data["seq"])
                count += 1
        return count, last

    found: dict[str, Callable[[], tuple[int, float]]] = {
        DIRECT: direct,
        "direct: langgraph-sdk (sync)": sdk_stream,
    }
    for form, (data_format, coalesce) in FORMS.items():
        request = runs_pb2.StreamRunRequest(
            assistant_id=ASSISTANT,
            input=value(knobs),
            stream_mode=["updates"],
            data_format=data_format,
            coalesce_events=coalesce,
        )
        raw = data_format == runs_pb2.DATA_FORMAT_JSON
        found[f"gateway grpc: {form}"] = lambda r=request, raw=raw: _count(stub.StreamRun(r), raw)
        found[f"gateway grpc.aio: {form}"] = lambda r=request, raw=raw: asyncio.run(
            _aio(gateway.target, r, raw)
        )
        if form == "raw JSON, one event per message":
            found[DEFAULT_CHANNEL] = lambda r=request: _count(default_stub.StreamRun(r), True)
    return found


async def _aio(target: str, request: runs_pb2.StreamRunRequest, raw: bool) -> tuple[int, float]:
    async with grpc.aio.insecure_channel(target) as channel:
        return await _acount(runs_pb2_grpc.RunsServiceStub(channel).StreamRun(request), raw)


def measure(
    runs: dict[str, Callable[[], tuple[int, float]]], config: Config, gateway: Gateway
) -> tuple[dict[str, list[float]], dict[str, list[float]], list[str]]:
    """Events/s and the gateway's CPU per event of each client, per repetition (interleaved),
    and the streams that did not deliver every event once, in order."""
    for run in runs.values():
        run()  # warm-up, and a first check
    rates: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    problems = []
    for _ in range(config.repetitions):
        for name, run in runs.items():
            before, started = gateway.meter.sample(), time.perf_counter()
            count, last = run()
            elapsed, after = time.perf_counter() - started, gateway.meter.sample()
            if (count, last) != (config.events, config.events - 1):
                problems.append(f"{name}: {count} events, last seq {last:.0f}")
            rates[name].append(count / elapsed)
            cpu[name].append((after.cpu - before.cpu) / max(count, 1))
    return rates, cpu, problems


def section(upstream: Upstream, gateway: Gateway, config: Config) -> Section:
    runs = clients(upstream, gateway, config.events)
    rates, cpu, problems = measure(runs, config, gateway)
    direct = Spread.of(rates[DIRECT]).median
    rows = []
    for name in runs:
        spread = Spread.of(rates[name])
        per_event = f"{Spread.of(cpu[name]).median * 1e6:.1f} us" if name.startswith("gateway") else ""
        rows.append([name, spread.show("", 1, 0), f"{spread.median / direct:.0%}", per_event])
    targets = []
    for form in (
        "Value, one event per message",
        "raw JSON, one event per message",
        "raw JSON, coalesced",
        "Value, coalesced",
    ):
        ratio = Spread.of(rates[f"gateway grpc: {form}"]).median / direct
        targets.append(
            Target(f"one stream >= 90% of direct httpx-sse (sync grpc, {form})", f"{ratio:.0%}", ratio >= 0.9)
        )
    text = (
        f"One stream of {config.events} `updates` events of about 300 bytes, sent by the upstream as "
        f"fast as the socket takes them; {config.repetitions} repetitions (interleaved), events/s as "
        "median (lowest-highest). The targets use the sync grpc client, whose channel reads a "
        "stream's messages on the caller's thread (grpcio's SingleThreadedUnaryStream option, as "
        "clients/python's sync client sets it); one row shows the same client on grpcio's default "
        "channel, where each message is handed over from the channel's own thread. grpc.aio client "
        "rows are shown too. Gateway CPU/event is the gateway process's CPU time over the stream "
        "divided by its events. The client and the upstream share one core; the gateway has the "
        "other, so in the coalesced forms the gateway path can beat direct: the SSE parsing moved "
        "off the client's core."
    )
    if problems:
        text += "\n\n**Incomplete streams:** " + "; ".join(problems)
    spreads = {name: Spread.of(values) for name, values in rates.items()}
    panel = Panel(
        "events/s on one stream (median, bars: lowest-highest)",
        "events/s",
        labels=[name.replace("gateway ", "").replace("direct: ", "") for name in spreads],
        values=[s.median for s in spreads.values()],
        lows=[s.low for s in spreads.values()],
        highs=[s.high for s in spreads.values()],
    )
    columns = ["client", "events/s", "vs direct httpx-sse", "gateway CPU/event"]
    return Section(
        "throughput", "One stream's events per second", text, [Table(columns, rows)], targets, [panel]
    )
