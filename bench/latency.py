"""WaitRun latency and StreamRun time to first event: the gateway against direct HTTP.

Every client makes the same calls one after another on a warm connection; the repetitions
interleave the clients, so a burst of noise on the shared machine hits them all alike.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import grpc
import httpx
from google.protobuf import json_format, struct_pb2
from httpx_sse import connect_sse
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_client import get_sync_client as grpc_sync_client
from langgraph_sdk import get_client, get_sync_client
from procs import Gateway, Upstream
from report import Panel, Section, Table, Target
from stats import Spread, percentile

ASSISTANT = "agent"
WAIT_INPUT = {"wait_bytes": 300}
STREAM_INPUT = {"events": 3, "mode": "updates"}


def value(data: object) -> struct_pb2.Value:
    return json_format.ParseDict(data, struct_pb2.Value())


def sync_channel(target: str) -> grpc.Channel:
    """The sync grpc client's channel: clients/python's sync client's own, which reads streams on
    the caller's thread (grpcio's SingleThreadedUnaryStream). grpcio's usual hand-over of each
    message from the channel's own thread costs the client about as much as the gateway spends
    on the message (see the "grpcio's default channel" row of the one-stream scenario)."""
    return grpc_sync_client(target, api_key=None).channel


@dataclass
class Config:
    calls: int
    repetitions: int
    warmup: int = 30


# Each client is `calls(n) -> list of n durations in seconds` (or, for streams, pairs).
Timer = Callable[[int], list[float]]


def sync_timer(call: Callable[[], object]) -> Timer:
    def run(n: int) -> list[float]:
        durations = []
        for _ in range(n):
            started = time.perf_counter()
            call()
            durations.append(time.perf_counter() - started)
        return durations

    return run


def wait_clients(upstream: Upstream, gateway: Gateway) -> dict[str, Timer]:
    sdk = get_sync_client(url=upstream.url, api_key=None)
    plain = httpx.Client(base_url=upstream.url)
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(gateway.target))
    request = runs_pb2.WaitRunRequest(assistant_id=ASSISTANT, input=value(WAIT_INPUT))
    raw_request = runs_pb2.WaitRunRequest(
        assistant_id=ASSISTANT, input=value(WAIT_INPUT), data_format=runs_pb2.DATA_FORMAT_JSON
    )
    body = {"assistant_id": ASSISTANT, "input": WAIT_INPUT}
    return {
        "direct: langgraph-sdk (sync)": sync_timer(lambda: sdk.runs.wait(None, ASSISTANT, input=WAIT_INPUT)),
        "direct: langgraph-sdk (async)": lambda n: asyncio.run(_sdk_async_wait(upstream.url, n)),
        "direct: httpx POST /runs/wait": sync_timer(lambda: plain.post("/runs/wait", json=body).json()),
        "gateway: grpc WaitRun (Value)": sync_timer(lambda: stub.WaitRun(request).values),
        "gateway: grpc WaitRun (raw JSON)": sync_timer(
            lambda: json.loads(stub.WaitRun(raw_request).values_json)
        ),
        "gateway: grpc.aio WaitRun (Value)": lambda n: asyncio.run(_aio_wait(gateway.target, request, n)),
    }


async def _sdk_async_wait(url: str, n: int) -> list[float]:
    client = get_client(url=url, api_key=None)
    durations = []
    for _ in range(n):
        started = time.perf_counter()
        await client.runs.wait(None, ASSISTANT, input=WAIT_INPUT)
        durations.append(time.perf_counter() - started)
    await client.aclose()
    return durations


async def _aio_wait(target: str, request: runs_pb2.WaitRunRequest, n: int) -> list[float]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = runs_pb2_grpc.RunsServiceStub(channel)
        durations = []
        for _ in range(n):
            started = time.perf_counter()
            (await stub.WaitRun(request)).values  # noqa: B018
            durations.append(time.perf_counter() - started)
        return durations


def measure(clients: dict[str, Timer], config: Config, gateway: Gateway) -> dict[str, dict[str, list[float]]]:
    """Per client: p50 and p99 of each repetition, and the gateway's CPU per call."""
    for run in clients.values():
        run(config.warmup)
    found: dict[str, dict[str, list[float]]] = {name: {"p50": [], "p99": [], "cpu": []} for name in clients}
    for _ in range(config.repetitions):
        for name, run in clients.items():
            before = gateway.meter.sample()
            durations = run(config.calls)
            after = gateway.meter.sample()
            found[name]["p50"].append(percentile(durations, 50))
            found[name]["p99"].append(percentile(durations, 99))
            found[name]["cpu"].append((after.cpu - before.cpu) / config.calls)
    return found


def wait_section(upstream: Upstream, gateway: Gateway, config: Config) -> Section:
    found = measure(wait_clients(upstream, gateway), config, gateway)
    base = {kind: Spread.of(found["direct: langgraph-sdk (sync)"][kind]).median for kind in ("p50", "p99")}
    async_base = Spread.of(found["direct: langgraph-sdk (async)"]["p50"]).median
    rows = []
    for name, figures in found.items():
        p50, p99 = Spread.of(figures["p50"]), Spread.of(figures["p99"])
        cpu = Spread.of(figures["cpu"]).median * 1e6 if name.startswith("gateway") else None
        rows.append(
            [
                name,
                p50.show(" ms", 1000, 3),
                p99.show(" ms", 1000, 3),
                f"{p50.median / base['p50']:.2f}x",
                f"{p99.median / base['p99']:.2f}x",
                f"{cpu:.0f} us" if cpu is not None else "",
            ]
        )
    sync_ratio = Spread.of(found["gateway: grpc WaitRun (Value)"]["p50"]).median / base["p50"]
    aio_ratio = Spread.of(found["gateway: grpc.aio WaitRun (Value)"]["p50"]).median / async_base
    targets = [
        Target(
            "WaitRun p50 <= 1.25x langgraph-sdk p50 (sync grpc vs sync sdk)",
            f"{sync_ratio:.2f}x",
            sync_ratio <= 1.25,
        ),
        Target(
            "WaitRun p50 <= 1.25x langgraph-sdk p50 (grpc.aio vs async sdk)",
            f"{aio_ratio:.2f}x",
            aio_ratio <= 1.25,
        ),
    ]
    medians = {name: Spread.of(figures["p50"]) for name, figures in found.items()}
    panel = Panel(
        "p50 per call (median of repetitions, bars: lowest-highest)",
        "ms",
        labels=[_short(name) for name in medians],
        values=[s.median * 1000 for s in medians.values()],
        lows=[s.low * 1000 for s in medians.values()],
        highs=[s.high * 1000 for s in medians.values()],
    )
    text = (
        f"{config.calls} sequential calls per client and repetition, {config.repetitions} repetitions "
        f"(interleaved), after {config.warmup} warm-up calls; each call answers about 350 bytes of final "
        "state. Figures are the median over repetitions with the lowest-highest in brackets; ratios are "
        "against the sync langgraph-sdk p50/p99. Gateway CPU is the gateway process's CPU time per call."
    )
    columns = ["client", "p50", "p99", "p50 vs sdk", "p99 vs sdk", "gateway CPU/call"]
    return Section("wait", "WaitRun latency", text, [Table(columns, rows)], targets, [panel])


# --- time to first event -------------------------------------------------------------------------


def first_event_clients(
    upstream: Upstream, gateway: Gateway
) -> dict[str, Callable[[int], list[tuple[float, float]]]]:
    plain = httpx.Client(base_url=upstream.url)
    sdk = get_sync_client(url=upstream.url, api_key=None)
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(gateway.target))
    request = runs_pb2.StreamRunRequest(
        assistant_id=ASSISTANT, input=value(STREAM_INPUT), stream_mode=["updates"]
    )
    raw = runs_pb2.StreamRunRequest()
    raw.CopyFrom(request)
    raw.data_format = runs_pb2.DATA_FORMAT_JSON
    body = {"assistant_id": ASSISTANT, "input": STREAM_INPUT, "stream_mode": ["updates"]}

    def httpx_sse() -> list[str]:
        with connect_sse(plain, "POST", "/runs/stream", json=body) as source:
            return [sse.event for sse in source.iter_sse()]

    def sdk_stream() -> list[str]:
        return [
            part.event for part in sdk.runs.stream(None, ASSISTANT, input=STREAM_INPUT, stream_mode="updates")
        ]

    return {
        "direct: httpx-sse": _first_times(httpx_sse),
        "direct: langgraph-sdk (sync)": _first_times(sdk_stream),
        "gateway: grpc StreamRun (Value)": _first_times(lambda: (m.event for m in stub.StreamRun(request))),
        "gateway: grpc StreamRun (raw JSON)": _first_times(lambda: (m.event for m in stub.StreamRun(raw))),
    }


def _first_times(events: Callable[[], object]) -> Callable[[int], list[tuple[float, float]]]:
    """Seconds from the request to the metadata event and to the first event after it."""

    def run(n: int) -> list[tuple[float, float]]:
        found = []
        for _ in range(n):
            started = time.perf_counter()
            metadata = first = 0.0
            for event in events():  # type: ignore[attr-defined]
                now = time.perf_counter() - started
                if event == "metadata" and not metadata:
                    metadata = now
                elif not first:
                    first = now
            found.append((metadata, first))
        return found

    return run


def first_event_section(upstream: Upstream, gateway: Gateway, config: Config) -> Section:
    clients = first_event_clients(upstream, gateway)
    for run in clients.values():
        run(config.warmup)
    found: dict[str, dict[str, list[float]]] = {
        name: {"meta": [], "first": [], "first99": []} for name in clients
    }
    for _ in range(config.repetitions):
        for name, run in clients.items():
            times = run(config.calls)
            found[name]["meta"].append(percentile([t[0] for t in times], 50))
            found[name]["first"].append(percentile([t[1] for t in times], 50))
            found[name]["first99"].append(percentile([t[1] for t in times], 99))
    direct = {kind: Spread.of(found["direct: httpx-sse"][kind]).median for kind in ("meta", "first")}
    rows = []
    for name, figures in found.items():
        meta, first, first99 = (Spread.of(figures[k]) for k in ("meta", "first", "first99"))
        rows.append(
            [
                name,
                meta.show(" ms", 1000, 3),
                first.show(" ms", 1000, 3),
                first99.show(" ms", 1000, 3),
                f"{(meta.median - direct['meta']) * 1000:+.3f} ms",
                f"{(first.median - direct['first']) * 1000:+.3f} ms",
            ]
        )
    targets = []
    for name in ("gateway: grpc StreamRun (Value)", "gateway: grpc StreamRun (raw JSON)"):
        added = Spread.of(found[name]["first"]).median - direct["first"]
        targets.append(
            Target(
                f"time to first event added <= 1 ms at p50 ({name.split(': ', 1)[1]} vs httpx-sse)",
                f"{added * 1000:+.3f} ms",
                added <= 0.001,
            )
        )
    text = (
        f"A stream of 3 `updates` events, {config.calls} streams per client and repetition, "
        f"{config.repetitions} repetitions. Two clocks, both from the start of the request: to the "
        "`metadata` event (the first message; it carries the run id) and to the first event after it "
        '(the first `updates` event, the run\'s first output). The targets use the latter. "added" is '
        "the p50 minus direct httpx-sse's p50 (medians over repetitions)."
    )
    columns = [
        "client",
        "p50 to metadata",
        "p50 to first event",
        "p99 to first event",
        "added to metadata",
        "added to first event",
    ]
    spreads = {name: Spread.of(figures["first"]) for name, figures in found.items()}
    panel = Panel(
        "p50 time to first event (after metadata)",
        "ms",
        labels=[_short(name) for name in spreads],
        values=[s.median * 1000 for s in spreads.values()],
        lows=[s.low * 1000 for s in spreads.values()],
        highs=[s.high * 1000 for s in spreads.values()],
    )
    return Section(
        "first_event", "StreamRun time to first event", text, [Table(columns, rows)], targets, [panel]
    )


def _short(name: str) -> str:
    return (
        name.replace("direct: ", "")
        .replace("gateway: ", "gw ")
        .replace("StreamRun ", "")
        .replace("WaitRun ", "")
    )
