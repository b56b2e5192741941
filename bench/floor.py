"""The gRPC libraries' own floor: the targets' figures for a do-nothing server, in the same run.

bench/bare_server.py stands where the gateway stands (same core, same clients, same requests)
but answers from canned messages: no upstream call, no SSE, no JSON. Whatever it cannot reach,
no gateway built on grpc.aio in one Python process can; the gap between it and the gateway is
the gateway's own cost. The direct side reads the fast upstream, as in the other scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import concurrency
import latency
import throughput
from procs import Bare, Upstream
from report import Panel, Section, Table
from stats import Spread

SDK, SDK_ASYNC = "direct: langgraph-sdk (sync)", "direct: langgraph-sdk (async)"
WAIT = {
    "gateway: grpc WaitRun (Value)": ("sync grpc WaitRun (Value)", SDK),
    "gateway: grpc WaitRun (raw JSON)": ("sync grpc WaitRun (raw JSON)", SDK),
    "gateway: grpc.aio WaitRun (Value)": ("grpc.aio WaitRun (Value)", SDK_ASYNC),
}
RELAYED = "gateway: grpc WaitRun (raw JSON)"
STREAM = {
    "gateway grpc: Value, one event per message": "sync grpc StreamRun, Value, one event per message",
    "gateway grpc: raw JSON, one event per message": "sync grpc StreamRun, raw JSON, one event per message",
}


@dataclass
class Config:
    wait: latency.Config
    throughput: throughput.Config
    concurrency: concurrency.Config  # its last level is the one measured


LIBRARIES = {"grpc.aio": "grpcio", "grpclib": "grpclib"}  # shown as: --library


def section(upstream: Upstream, config: Config) -> Section:
    rows, problems, events = [], [], {}
    for shown, library in LIBRARIES.items():
        found = _measure(upstream, config, library)
        problems += found["problems"]
        events[shown] = found["rates"]
        server = [f"bare {shown}"]
        rows += [server + row for row in _wait_rows(found["waited"])]
        rows += [server + row for row in _relay_rows(found["relayed"])]
        rows += [server + row for row in _stream_rows(found["rates"], found["cpu"])]
        rows += [server + row for row in _level_rows(found["level"])]
    text = (
        "bench/bare_server.py is a server with the gateway's RunsService that answers from canned "
        "messages (the same shapes the gateway sends) and calls nothing: no upstream, no SSE, no JSON "
        "(for WaitRun, a second one relays each call to the fast upstream with one aiohttp POST and "
        "answers its body untouched: the least any proxy does). It runs where the gateway runs "
        "(pinned to the same core, on the same event loop), under the same clients and settings as the "
        "scenarios above, in this same run, once on grpcio's grpc.aio (the gateway's server) and once "
        "on grpclib (asyncio's API with the pure-Python h2). What it measures is what the gRPC "
        "library in one Python process costs for the calls the targets name, with nothing of the "
        "gateway's own in it: where the grpc.aio floor alone misses a target, no grpc.aio gateway "
        "can meet it on this machine, and the distance from the floor to the gateway's figure is the "
        "gateway's own cost. Server CPU is the bare server's CPU per call or per event."
    )
    if problems:
        text += "\n\n**Incomplete streams:** " + "; ".join(problems)
    columns = ["server", "target", "measured", "the floor alone meets it", "server CPU"]
    direct = Spread.of(events["grpc.aio"][throughput.DIRECT])
    labels, bars = ["direct httpx-sse"], [direct]
    for shown, rates in events.items():
        labels += [f"{shown}: {_short(label)}" for label in STREAM.values()]
        bars += [Spread.of(rates[name]) for name in STREAM]
    panel = Panel(
        "one stream, events/s (median, bars: lowest-highest)",
        "events/s",
        labels=labels,
        values=[bar.median for bar in bars],
        lows=[bar.low for bar in bars],
        highs=[bar.high for bar in bars],
    )
    return Section("floor", "gRPC libraries' own floor", text, [Table(columns, rows)], [], [panel])


def _measure(upstream: Upstream, config: Config, library: str) -> dict[str, Any]:
    with Bare(library=library) as bare:
        waits = {
            name: timer
            for name, timer in latency.wait_clients(upstream, bare).items()
            if name in WAIT or name in (SDK, SDK_ASYNC)
        }
        waited = latency.measure(waits, config.wait, bare)
        streams = {
            name: run
            for name, run in throughput.clients(upstream, bare, config.throughput.events).items()
            if name in STREAM or name == throughput.DIRECT
        }
        rates, cpu, problems = throughput.measure(streams, config.throughput, bare)
    with Bare(relay=upstream.url, library=library) as relay:
        timers = latency.wait_clients(upstream, relay)
        relays = {name: timers[name] for name in (SDK, RELAYED)}
        relayed = latency.measure(relays, config.wait, relay)
    level = concurrency.level(
        upstream, config.concurrency.levels[-1], config.concurrency, server=lambda: Bare(library=library)
    )
    return {
        "waited": waited,
        "relayed": relayed,
        "rates": rates,
        "cpu": cpu,
        "problems": [f"{library}: {problem}" for problem in problems],
        "level": level,
    }


def _short(label: str) -> str:
    return label.replace("sync grpc StreamRun, ", "bare: ")


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def _wait_rows(found: dict[str, dict[str, list[float]]]) -> list[list[str]]:
    return [_wait_row(found, name, base_name, label) for name, (label, base_name) in WAIT.items()]


def _relay_rows(found: dict[str, dict[str, list[float]]]) -> list[list[str]]:
    label = "sync grpc WaitRun through the least proxy: one aiohttp POST, the body relayed untouched"
    return [_wait_row(found, RELAYED, SDK, label)]


def _wait_row(found: dict[str, dict[str, list[float]]], name: str, base_name: str, label: str) -> list[str]:
    p50, base = (Spread.of(found[key]["p50"]).median for key in (name, base_name))
    return [
        f"WaitRun p50 <= 1.25x {base_name.removeprefix('direct: ')} p50 ({label})",
        f"{p50 / base:.2f}x ({p50 * 1000:.3f} ms vs {base * 1000:.3f} ms)",
        _yes(p50 / base <= 1.25),
        f"{Spread.of(found[name]['cpu']).median * 1e6:.0f} us/call",
    ]


def _stream_rows(rates: dict[str, list[float]], cpu: dict[str, list[float]]) -> list[list[str]]:
    direct = Spread.of(rates[throughput.DIRECT]).median
    rows = []
    for name, label in STREAM.items():
        rate = Spread.of(rates[name]).median
        rows.append(
            [
                f"one stream >= 90% of direct httpx-sse ({label})",
                f"{rate / direct:.0%} ({rate:.0f} vs {direct:.0f} events/s)",
                _yes(rate / direct >= 0.9),
                f"{Spread.of(cpu[name]).median * 1e6:.1f} us/event",
            ]
        )
    return rows


def _level_rows(found: dict[str, Any]) -> list[list[str]]:
    streams, through = found["streams"], found["gateway"]
    cpu = found["observed"].get("cpu", float("nan"))
    per_event = f"{cpu / 100 / (streams * found['rate']) * 1e6:.0f} us/offered event ({cpu:.0f}% of a core)"
    errors = concurrency.errors_of(through)
    p99 = concurrency.p99_target(found, side="bare server")
    return [
        [
            f"{streams} concurrent streams of {found['rate']:g} events/s with no errors",
            f"errors: {errors} (load generator's core {found['observed'].get('other_cores', 0):.0f}% busy)",
            _yes(errors == "0"),
            per_event,
        ],
        [p99.goal, p99.measured, _yes(bool(p99.met)), ""],
    ]
