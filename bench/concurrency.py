"""Many concurrent token streams (10 events/s each) through one gateway process, and direct.

For each level a fresh gateway starts (so its memory per stream is its own); the direct fleet
(HTTP/1.1 + SSE) runs first as the delay baseline, then the gRPC fleet through the gateway, while
the gateway's CPU and RSS are sampled (procs.Meter) once every stream is open. Both fleets are one
Go process each (bench/fleet, built by .ci/setup into .ci/bin/fleet).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
import psutil
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from latency import ASSISTANT, value
from procs import BENCH, OTHER_CPUS, Gateway, Upstream, spawn
from report import Panel, Section, Table, Target


@dataclass
class Config:
    levels: list[int]
    seconds: float  # of steady state, once every stream is open
    open_rate: float = 200  # streams opened per second
    rate: float = 10
    raw: bool = True
    deadline: float = 0  # seconds, each gRPC call's deadline (0: none)
    # The largest level again, opened at these (slower) rates: how fast one process admits new
    # streams while it carries the others.
    other_open_rates: list[float] = dataclasses.field(default_factory=list)


FLEET = BENCH.parent / ".ci" / "bin" / "fleet"


def _fleet(argv: list[str], on_open: Any = None) -> tuple[dict[str, Any], Any]:
    """Run the fleet; call on_open() once its streams are open; its result and on_open's."""
    if not FLEET.exists():
        raise RuntimeError(f"{FLEET} is missing: `bash .ci/setup` builds it from bench/fleet")
    process = spawn([str(FLEET), *argv], OTHER_CPUS, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    during = on_open() if process.stdout.readline().strip() == "open" and on_open else None
    out, _ = process.communicate(timeout=600)
    if process.returncode:
        raise RuntimeError(f"fleet {' '.join(argv)} failed with {process.returncode}")
    found = json.loads(out.strip().splitlines()[-1])
    # No event, no percentile: the fleet writes null where Python has NaN.
    return {key: float("nan") if value is None else value for key, value in found.items()}, during


def _warm(gateway: Gateway) -> None:
    with grpc.insecure_channel(gateway.target) as channel:
        stub = runs_pb2_grpc.RunsServiceStub(channel)
        for _ in range(20):
            request = runs_pb2.StreamRunRequest(
                assistant_id=ASSISTANT, input=value({"events": 5, "mode": "messages"})
            )
            list(stub.StreamRun(request))


def level(
    upstream: Upstream,
    streams: int,
    config: Config,
    server: Callable[[], Gateway] | None = None,
    direct: bool = True,
) -> dict[str, Any]:
    """One level: the direct fleet (unless not `direct`: then "direct" is absent), then the gRPC
    fleet through a fresh `server()` (the gateway)."""
    ramp = max(0.5, streams / config.open_rate)
    common = [
        "--streams",
        str(streams),
        "--rate",
        str(config.rate),
        "--seconds",
        str(ramp + config.seconds),
        "--ramp",
        str(ramp),
    ]
    baseline = _fleet(["--via", "http", "--target", upstream.url, *common])[0] if direct else None
    with (server or (lambda: Gateway(upstream.url)))() as gateway:
        _warm(gateway)
        time.sleep(0.5)
        idle = gateway.meter.sample()

        def observe() -> dict[str, float]:
            first, up_first = gateway.meter.sample(), upstream.meter.sample()
            psutil.cpu_percent(percpu=True)  # starts the window the next call measures
            time.sleep(max(1.0, config.seconds - 1.5))
            last, up_last = gateway.meter.sample(), upstream.meter.sample()
            cores = psutil.cpu_percent(percpu=True)
            return {
                "cpu": last.cpu_percent_since(first),
                "waited": last.wait_percent_since(first),
                "rss": last.rss,
                "idle_rss": idle.rss,
                "per_stream": (last.rss - idle.rss) / streams,
                "upstream_cpu": up_last.cpu_percent_since(up_first),
                "other_cores": sum(cores[cpu] for cpu in OTHER_CPUS) / len(OTHER_CPUS),
            }

        flags = ["--raw"] if config.raw else []
        if config.deadline:
            flags += ["--deadline", f"{config.deadline:g}s"]
        through, observed = _fleet(["--via", "grpc", "--target", gateway.target, *common, *flags], observe)
    found = {
        "streams": streams,
        "rate": config.rate,
        "open_rate": config.open_rate,
        "gateway": through,
        "observed": observed or {},
    }
    return {**found, "direct": baseline} if baseline is not None else found


def _ms(found: dict[str, Any], key: str) -> str:
    return f"{found[key] * 1000:.1f}"


def added(found: dict[str, Any], key: str) -> float:
    """The gateway path's figure minus the direct one, in ms (e.g. key "steady_p99")."""
    return float((found["gateway"][key] - found["direct"][key]) * 1000)


def _row(found: dict[str, Any]) -> list[str]:
    direct, through, observed = found["direct"], found["gateway"], found["observed"]
    return [
        str(found["streams"]),
        errors_of(direct),
        errors_of(through),
        f"{_ms(direct, 'steady_p50')} / {_ms(direct, 'steady_p99')}",
        f"{_ms(through, 'steady_p50')} / {_ms(through, 'steady_p99')}",
        f"{added(found, 'steady_p50'):+.1f} / {added(found, 'steady_p99'):+.1f}",
        f"{_ms(direct, 'p99')} / {_ms(through, 'p99')}",
        f"{_ms(direct, 'open_p50')} / {_ms(direct, 'open_p99')}",
        f"{_ms(through, 'open_p50')} / {_ms(through, 'open_p99')}",
        f"{observed.get('cpu', float('nan')):.0f}%",
        f"{observed.get('waited', float('nan')):.0f}%",
        f"{observed.get('cpu', float('nan')) / 100 / (found['streams'] * found['rate']) * 1e6:.0f} us",
        f"{observed.get('rss', 0) / 2**20:.0f} MiB",
        f"{observed.get('per_stream', float('nan')) / 1024:.1f} KB",
        f"{direct['client_cpu_percent']:.0f}% / {through['client_cpu_percent']:.0f}%",
        f"{observed.get('upstream_cpu', float('nan')):.0f}%",
        f"{observed.get('other_cores', float('nan')):.0f}%",
    ]


COLUMNS = [
    "streams",
    "errors direct",
    "errors gateway",
    "direct delay p50 / p99 (ms)",
    "gateway delay p50 / p99 (ms)",
    "added p50 / p99 (ms)",
    "p99 with the opening ramp, direct / gateway (ms)",
    "first message after the call, direct p50 / p99 (ms)",
    "first message after the call, gateway p50 / p99 (ms)",
    "gateway CPU",
    "gateway waiting for a CPU",
    "gateway CPU per offered event",
    "gateway RSS",
    "RSS per stream",
    "client CPU direct / gateway",
    "upstream CPU",
    "load generator's core busy",
]


def section(upstream: Upstream, config: Config) -> Section:
    results = [level(upstream, streams, config) for streams in config.levels]
    slower = [
        level(upstream, config.levels[-1], dataclasses.replace(config, open_rate=rate))
        for rate in config.other_open_rates
    ]
    form = "raw JSON (data_json)" if config.raw else "Value"
    text = (
        f"Levels of {', '.join(map(str, config.levels))} concurrent streams of `messages` events at "
        f"{config.rate:g} events/s each, opened at {config.open_rate:g} streams/s (clients arriving, not one "
        f"burst), each lasting {config.seconds:g} s after the last one opened; payload form {form}, "
        "one event per message. The load comes from two Go programs (bench/fleet), one process per "
        "side: the direct fleet reads `/runs/stream` from the upstream with net/http (one HTTP/1.1 "
        "connection per stream); the gRPC fleet calls StreamRun through the gateway with the generated "
        "Go client and grpc-go's default settings (100 streams per connection; its BDP estimator pings "
        "the server as the data comes, as in a real Go service). Each event carries the time the "
        "upstream wrote it; its delay is the receive time minus that (one machine, one clock). The "
        "delays are those of the steady state (events received from 1 s after every stream was open); "
        "the p99 over every event, the opening ramp included, is shown apart. An event's delay starts "
        'when the upstream writes it, so it cannot show a stream the server admits late: "first '
        "message after the call\" is the time from a call's start to its first message (the run's "
        '`metadata` event), which does. "added" is the gateway path\'s percentile minus the direct '
        "one. Gateway CPU (100% = one core) and RSS are sampled while every stream is open; CPU per "
        "offered event divides that CPU by streams x rate (a gateway that falls behind delivers "
        "fewer); RSS per stream is (that RSS - the idle gateway's RSS) / streams, on a fresh gateway "
        "per level. Over loopback the sender's kernel also does the receiver's TCP work, so the "
        "gateway's CPU includes part of its clients' networking. The fleets and the upstream share "
        "the other core; \"load generator's core busy\" is that core's whole use (fleets, upstream, "
        "kernel networking) over the same window: near 100%, part of the delay is the load "
        "generator's. \"Waiting for a CPU\" is the time the gateway's threads (summed) were runnable "
        "but not running (/proc schedstat): its own threads waiting for each other on its one core, "
        "or other work there."
    )
    x = [float(found["streams"]) for found in results]
    delays, openings = _percentiles(results, "steady_"), _percentiles(results, "open_")
    usage = {
        "gateway CPU %": [f["observed"].get("cpu", float("nan")) for f in results],
        "RSS per stream (KB)": [f["observed"].get("per_stream", float("nan")) / 1024 for f in results],
    }
    panels = [
        Panel(
            "delay each event gains, steady state",
            "ms (log)",
            x=x,
            xlabel="concurrent streams",
            series=delays,
            log=True,
        ),
        Panel(
            "time from the call to its first message",
            "ms (log)",
            x=x,
            xlabel="concurrent streams",
            series=openings,
            log=True,
        ),
        Panel(
            "gateway CPU and memory per stream",
            "% of a core / KB",
            x=x,
            xlabel="concurrent streams",
            series=usage,
        ),
    ]
    tables = [Table(COLUMNS, [_row(found) for found in results])]
    targets = _targets(results)
    if slower:
        text += (
            "\n\nThe second table is the largest level again, its streams opened more slowly (the "
            f"first table's last row is the same level opened at {config.open_rate:g} streams/s): "
            "whether a gentler arrival changes how late one process admits new streams while it "
            "carries the others. The targets are judged on the first table; these rows are shown "
            "beside them."
        )
        rows = [_opening_row(found) for found in [*slower, results[-1]]]
        tables.append(Table(OPENING_COLUMNS, rows))
        targets += [
            p99_target(found, found["streams"] >= 2000, opened=found["open_rate"]) for found in slower
        ]
    return Section("concurrency", "Many concurrent token streams", text, tables, targets, panels)


OPENING_COLUMNS = [
    "streams",
    "opened per second",
    "errors gateway",
    "added to each event p50 / p99 (ms)",
    "first message after the call, direct p50 / p99 (ms)",
    "first message after the call, gateway p50 / p99 (ms)",
    "gateway CPU",
]


def _opening_row(found: dict[str, Any]) -> list[str]:
    direct, through, observed = found["direct"], found["gateway"], found["observed"]
    return [
        str(found["streams"]),
        f"{found['open_rate']:g}",
        errors_of(through),
        f"{added(found, 'steady_p50'):+.1f} / {added(found, 'steady_p99'):+.1f}",
        f"{_ms(direct, 'open_p50')} / {_ms(direct, 'open_p99')}",
        f"{_ms(through, 'open_p50')} / {_ms(through, 'open_p99')}",
        f"{observed.get('cpu', float('nan')):.0f}%",
    ]


def _percentiles(results: list[dict[str, Any]], prefix: str) -> dict[str, list[float]]:
    """Plot series: p50 and p99 (ms) of the figure named `prefix`p50/p99, each side, per level."""
    return {
        f"{side} {q}": [f[side][f"{prefix}{q}"] * 1000 for f in results]
        for side in ("direct", "gateway")
        for q in ("p50", "p99")
    }


def p99_target(
    found: dict[str, Any], big: bool = True, side: str = "gateway", opened: float | None = None
) -> Target:
    """<= 50 ms added at p99, to each event and to each stream's first message: a stream the
    server admits late delays every event of it, while the events' own delays (from the time the
    upstream wrote them) cannot show it. `opened`: say the rate the streams opened at."""
    events, first = added(found, "steady_p99"), added(found, "open_p99")
    at = f"{found['streams']} streams" + (f" opened at {opened:g}/s" if opened else "")
    return Target(
        f"<= 50 ms added at p99 (at {at}), to each event and to the first message",
        f"events {events:+.1f} ms ({side} p99 {_ms(found['gateway'], 'steady_p99')} ms, direct "
        f"{_ms(found['direct'], 'steady_p99')} ms); first message {first:+.1f} ms ({side} p99 "
        f"{_ms(found['gateway'], 'open_p99')} ms, direct {_ms(found['direct'], 'open_p99')} ms)",
        events <= 50 and first <= 50 and big,
    )


def errors_of(found: dict[str, Any]) -> str:
    errors = found["errors"]
    return ", ".join(f"{name}: {count}" for name, count in errors.items()) if errors else "0"


def _targets(results: list[dict[str, Any]]) -> list[Target]:
    clean = [f for f in results if not f["gateway"]["errors"]]
    top = max((f["streams"] for f in clean), default=0)
    biggest = results[-1]
    big = biggest["streams"] >= 2000
    per_stream = biggest["observed"].get("per_stream", float("nan")) / 1024
    return [
        Target(
            ">= 2000 concurrent streams with no errors",
            f"{top} streams without errors (largest level tried: {biggest['streams']})",
            top >= 2000,
        ),
        p99_target(biggest, big),
        Target(
            f"<= 50 KB per open stream (at {biggest['streams']} streams)",
            f"{per_stream:.1f} KB",
            per_stream <= 50 and big,
        ),
    ]
