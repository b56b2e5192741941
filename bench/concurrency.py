"""Many concurrent token streams (10 events/s each) through one gateway process, and direct.

For each level a fresh gateway starts (so its memory per stream is its own); the direct fleet
(aiohttp) runs first as the delay baseline, then the gRPC fleet (grpc.aio) through the gateway,
while the gateway's CPU and RSS are sampled with psutil once every stream is open.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import grpc
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from latency import ASSISTANT, value
from procs import BENCH, OTHER_CPUS, Gateway, Upstream, spawn
from report import Panel, Section, Table, Target


@dataclass
class Config:
    levels: list[int]
    seconds: float
    rate: float = 10
    raw: bool = True


def _fleet(argv: list[str], on_open: Any = None) -> tuple[dict[str, Any], Any]:
    """Run bench/fleet.py; call on_open() once its streams are open; its result and on_open's."""
    process = spawn(
        [sys.executable, str(BENCH / "fleet.py"), *argv], OTHER_CPUS, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    during = on_open() if process.stdout.readline().strip() == "open" and on_open else None
    out, _ = process.communicate(timeout=600)
    if process.returncode:
        raise RuntimeError(f"fleet.py {' '.join(argv)} failed with {process.returncode}")
    return json.loads(out.strip().splitlines()[-1]), during


def _warm(gateway: Gateway) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        stub = runs_pb2_grpc.RunsServiceStub(channel)
        for _ in range(20):
            request = runs_pb2.StreamRunRequest(
                assistant_id=ASSISTANT, input=value({"events": 5, "mode": "messages"})
            )
            list(stub.StreamRun(request))


def level(upstream: Upstream, streams: int, config: Config) -> dict[str, Any]:
    ramp = max(1.0, streams / 1000)
    common = [
        "--streams",
        str(streams),
        "--rate",
        str(config.rate),
        "--seconds",
        str(config.seconds),
        "--ramp",
        str(ramp),
    ]
    direct, _ = _fleet(["--via", "http", "--target", upstream.url, *common])
    with Gateway(upstream.url) as gateway:
        _warm(gateway)
        time.sleep(0.5)
        idle = gateway.meter.sample()

        def observe() -> dict[str, float]:
            first, up_first = gateway.meter.sample(), upstream.meter.sample()
            time.sleep(max(1.0, config.seconds - ramp - 1.5))
            last, up_last = gateway.meter.sample(), upstream.meter.sample()
            return {
                "cpu": last.cpu_percent_since(first),
                "rss": last.rss,
                "idle_rss": idle.rss,
                "per_stream": (last.rss - idle.rss) / streams,
                "upstream_cpu": up_last.cpu_percent_since(up_first),
            }

        raw = ["--raw"] if config.raw else []
        through, observed = _fleet(["--via", "grpc", "--target", gateway.target, *common, *raw], observe)
    return {"streams": streams, "direct": direct, "gateway": through, "observed": observed or {}}


def section(upstream: Upstream, config: Config) -> Section:
    results = [level(upstream, streams, config) for streams in config.levels]
    rows = []
    for found in results:
        direct, through, observed = found["direct"], found["gateway"], found["observed"]
        rows.append(
            [
                str(found["streams"]),
                _errors(direct),
                _errors(through),
                f"{direct['p50'] * 1000:.1f} / {direct['p99'] * 1000:.1f}",
                f"{through['p50'] * 1000:.1f} / {through['p99'] * 1000:.1f}",
                f"{(through['p50'] - direct['p50']) * 1000:+.1f} / "
                f"{(through['p99'] - direct['p99']) * 1000:+.1f}",
                f"{observed.get('cpu', float('nan')):.0f}%",
                f"{observed.get('rss', 0) / 2**20:.0f} MiB",
                f"{observed.get('per_stream', float('nan')) / 1024:.1f} KB",
                f"{direct['client_cpu_percent']:.0f}% / {through['client_cpu_percent']:.0f}%",
                f"{observed.get('upstream_cpu', float('nan')):.0f}%",
            ]
        )
    columns = [
        "streams",
        "errors direct",
        "errors gateway",
        "direct delay p50 / p99 (ms)",
        "gateway delay p50 / p99 (ms)",
        "added p50 / p99 (ms)",
        "gateway CPU",
        "gateway RSS",
        "RSS per stream",
        "client CPU direct / gateway",
        "upstream CPU",
    ]
    targets = _targets(results)
    form = "raw JSON (data_json)" if config.raw else "Value"
    text = (
        f"Levels of {', '.join(map(str, config.levels))} concurrent streams of `messages` events at "
        f"{config.rate:g} events/s each for {config.seconds:g} s, opened over a ramp of about 1 s per 1000 "
        f"streams, payload form {form}, one event per message. Each event carries the time the upstream "
        "wrote it; its delay is the receive time minus that (one machine, one clock), over every event of "
        'the level. The direct baseline is an aiohttp client reading the same upstream; "added" is the '
        "gateway path's percentile minus the direct one. Gateway CPU (100% = one core) and RSS are sampled "
        "while every stream is open; RSS per stream is (that RSS - the idle gateway's RSS) / streams, on a "
        "fresh gateway per level. The clients (one process each side, 1 gRPC channel per 100 streams) and "
        "the upstream share the other core, so a client CPU near 100% means the client, not the gateway, "
        "is late."
    )
    x = [float(found["streams"]) for found in results]
    panels = [
        Panel(
            "delay each event gains (ms)",
            "ms",
            x=x,
            xlabel="concurrent streams",
            series={
                "direct p99": [f["direct"]["p99"] * 1000 for f in results],
                "gateway p99": [f["gateway"]["p99"] * 1000 for f in results],
                "direct p50": [f["direct"]["p50"] * 1000 for f in results],
                "gateway p50": [f["gateway"]["p50"] * 1000 for f in results],
            },
        ),
        Panel(
            "gateway CPU and memory per stream",
            "% of a core / KB",
            x=x,
            xlabel="concurrent streams",
            series={
                "gateway CPU %": [f["observed"].get("cpu", float("nan")) for f in results],
                "RSS per stream (KB)": [
                    f["observed"].get("per_stream", float("nan")) / 1024 for f in results
                ],
            },
        ),
    ]
    return Section(
        "concurrency", "Many concurrent token streams", text, [Table(columns, rows)], targets, panels
    )


def _errors(found: dict[str, Any]) -> str:
    errors = found["errors"]
    return ", ".join(f"{name}: {count}" for name, count in errors.items()) if errors else "0"


def _targets(results: list[dict[str, Any]]) -> list[Target]:
    clean = [f for f in results if not f["gateway"]["errors"]]
    top = max((f["streams"] for f in clean), default=0)
    biggest = results[-1]
    added = (biggest["gateway"]["p99"] - biggest["direct"]["p99"]) * 1000
    per_stream = biggest["observed"].get("per_stream", float("nan")) / 1024
    return [
        Target(
            ">= 2000 concurrent streams with no errors",
            f"{top} streams without errors (largest level tried: {biggest['streams']})",
            top >= 2000,
        ),
        Target(
            f"<= 50 ms added at p99 (at {biggest['streams']} streams)",
            f"{added:+.1f} ms (gateway p99 {biggest['gateway']['p99'] * 1000:.1f} ms, direct "
            f"{biggest['direct']['p99'] * 1000:.1f} ms)",
            added <= 50 and biggest["streams"] >= 2000,
        ),
        Target(
            f"<= 50 KB per open stream (at {biggest['streams']} streams)",
            f"{per_stream:.1f} KB",
            per_stream <= 50 and biggest["streams"] >= 2000,
        ),
    ]
