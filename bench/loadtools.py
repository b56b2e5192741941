"""Load from tools that are not ours: ghz (gRPC, go install) against the gateway, and hey (HTTP,
Debian's package) against the upstream directly; then the same ghz load with --workers 1 and 2.

ghz reads the schema from protos/langgraph_gateway.protoset. With -z it stops at the deadline
and cancels the calls then in flight; those few are counted apart ("cut"), not as errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procs import BENCH, CPUS, OTHER_CPUS, Gateway, Upstream, spawn
from report import Panel, Section, Table
from stats import Spread

ROOT = BENCH.parent
PROTOSET = ROOT / "protos" / "langgraph_gateway.protoset"
SERVICE = "langgraph_gateway.v1.RunsService"
WAIT_BODY = {"assistant_id": "agent", "input": {"wait_bytes": 300}}
CUT = ("closing", "closed network connection", "context deadline exceeded")


@dataclass
class Config:
    seconds: float
    repetitions: int
    stream_events: int = 100


def ghz_path() -> str | None:
    local = ROOT / ".ci" / "bin" / "ghz"
    return str(local) if local.exists() else shutil.which("ghz")


@dataclass
class Load:
    """One load run: requests (or streams) per second, latency percentiles, problems."""

    rps: float
    p50: float
    p99: float
    ok: int
    errors: int
    cut: int = 0


def _run(argv: list[str], cpus: set[int] | None = None) -> str:
    process = spawn(argv, cpus or OTHER_CPUS, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=600)
    if process.returncode and not out:
        raise RuntimeError(f"{argv[0]} failed: {err[-500:]}")
    return str(out)


def ghz(
    target: str,
    method: str,
    body: dict[str, Any],
    concurrency: int,
    connections: int,
    seconds: float,
    cpus: set[int] | None = None,
) -> Load:
    found = json.loads(
        _run(
            [
                ghz_path() or "ghz",
                "--insecure",
                "--protoset",
                str(PROTOSET),
                "--call",
                f"{SERVICE}.{method}",
                "-d",
                json.dumps(body),
                "-c",
                str(concurrency),
                "--connections",
                str(connections),
                "-z",
                f"{seconds}s",
                "--format",
                "json",
                target,
            ],
            cpus,
        )
    )
    latencies = {
        entry["percentage"]: entry["latency"] / 1e9 for entry in found.get("latencyDistribution") or []
    }
    codes = found.get("statusCodeDistribution") or {}
    cut = sum(
        count
        for message, count in (found.get("errorDistribution") or {}).items()
        if any(word in message for word in CUT)
    )
    ok = codes.get("OK", 0)
    return Load(
        ok / (found["total"] / 1e9),
        latencies.get(50, float("nan")),
        latencies.get(99, float("nan")),
        ok,
        sum(codes.values()) - ok - cut,
        cut,
    )


def _hey_percentile(out: str, q: int) -> float:
    """hey's q-th percentile; hey leaves out the ones its few calls cannot give (a short run on a
    busy machine), and then the slowest call stands for them, or NaN when no call finished."""
    found = re.search(rf"{q}% in ([\d.]+) secs", out) or re.search(r"Slowest:\s+([\d.]+) secs", out)
    return float(found.group(1)) if found else float("nan")


def hey(url: str, body: dict[str, Any], concurrency: int, seconds: float) -> Load:
    out = _run(
        [
            "hey",
            "-c",
            str(concurrency),
            "-z",
            f"{seconds}s",
            "-m",
            "POST",
            "-T",
            "application/json",
            "-d",
            json.dumps(body),
            url,
        ]
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p99 = _hey_percentile(out, 50), _hey_percentile(out, 99)
    ok = sum(int(n) for n in re.findall(r"\[200\]\s+(\d+) responses", out))
    others = sum(int(n) for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out) if code != "200")
    _, _, failures = out.partition("Error distribution:")
    errors = sum(int(n) for n in re.findall(r"^\s*\[(\d+)\]\s", failures, re.M))
    return Load(rps, p50, p99, ok, others + errors)


def _measured(runs: list[tuple[Load, float, float]]) -> dict[str, Spread | int]:
    loads = [load for load, *_ in runs]
    return {
        "rps": Spread.of([load.rps for load in loads]),
        "p50": Spread.of([load.p50 for load in loads]),
        "p99": Spread.of([load.p99 for load in loads]),
        "cpu": Spread.of([cpu for _, cpu, _ in runs]),
        "waited": Spread.of([waited for *_, waited in runs]),
        "errors": sum(load.errors for load in loads),
        "cut": sum(load.cut for load in loads),
    }


def _with_cpu(gateway: Gateway | None, load: Any) -> tuple[Load, float, float]:
    """The load's result, the gateway's CPU % and the % of time it waited for a CPU meanwhile."""
    if gateway is None:
        return load(), float("nan"), float("nan")
    before = gateway.meter.sample()
    found = load()
    after = gateway.meter.sample()
    return found, after.cpu_percent_since(before), after.wait_percent_since(before)


def section(upstream: Upstream, gateway: Gateway, config: Config) -> Section:
    if not ghz_path() or not shutil.which("hey"):
        return Section(
            "load",
            "A load tool that is not ours (ghz, hey)",
            "Skipped: ghz (`.ci/setup`) or hey (Debian package `hey`) is not installed.",
            targets=[],
        )
    stream_body = {"assistant_id": "agent", "input": {"events": config.stream_events, "mode": "updates"}}
    raw_body = {**stream_body, "data_format": "DATA_FORMAT_JSON"}
    cases = {  # name: (gateway load, direct load)
        "WaitRun, 20 concurrent": (
            lambda: ghz(gateway.target, "WaitRun", WAIT_BODY, 20, 4, config.seconds),
            lambda: hey(upstream.url + "/runs/wait", WAIT_BODY, 20, config.seconds),
        ),
        f"StreamRun of {config.stream_events} events (Value), 4 concurrent": (
            lambda: ghz(gateway.target, "StreamRun", stream_body, 4, 4, config.seconds),
            lambda: hey(upstream.url + "/runs/stream", stream_body, 4, config.seconds),
        ),
        f"StreamRun of {config.stream_events} events (raw JSON), 4 concurrent": (
            lambda: ghz(gateway.target, "StreamRun", raw_body, 4, 4, config.seconds),
            lambda: hey(upstream.url + "/runs/stream", stream_body, 4, config.seconds),
        ),
    }
    rows, bars = [], {}
    for name, (through, direct) in cases.items():
        runs: dict[str, list[tuple[Load, float, float]]] = {"gateway": [], "direct": []}
        for _ in range(config.repetitions):
            runs["gateway"].append(_with_cpu(gateway, through))
            runs["direct"].append(_with_cpu(None, direct))
        gw, dr = _measured(runs["gateway"]), _measured(runs["direct"])
        per_call = gw["cpu"].median / 100 / gw["rps"].median * 1e6  # type: ignore[union-attr]
        rows.append(
            [
                name,
                gw["rps"].show("", 1, 0),
                dr["rps"].show("", 1, 0),  # type: ignore[union-attr]
                f"{gw['rps'].median / dr['rps'].median:.2f}x",  # type: ignore[union-attr]
                f"{gw['p50'].median * 1000:.2f} / {gw['p99'].median * 1000:.2f}",  # type: ignore[union-attr]
                f"{dr['p50'].median * 1000:.2f} / {dr['p99'].median * 1000:.2f}",  # type: ignore[union-attr]
                f"{gw['errors']} ({gw['cut']} cut)",
                str(dr["errors"]),
                f"{gw['cpu'].median:.0f}% ({per_call:.0f} us/call)",  # type: ignore[union-attr]
                f"{gw['waited'].median:.0f}%",  # type: ignore[union-attr]
            ]
        )
        bars[name] = (gw["rps"], dr["rps"])
    columns = [
        "load",
        "gateway calls/s (ghz)",
        "direct calls/s (hey)",
        "ratio",
        "gateway p50 / p99 (ms)",
        "direct p50 / p99 (ms)",
        "gateway errors",
        "direct errors",
        "gateway CPU",
        "gateway waiting for a CPU",
    ]
    text = (
        "ghz (gRPC, `go install`, schema from the protoset) against the gateway and hey (HTTP/1.1, "
        "Debian's `hey` package) against the upstream directly, the same concurrency, "
        f"{config.seconds:g} s each, {config.repetitions} repetitions (median, lowest-highest). A "
        "StreamRun call counts from the request to the stream's end; hey reads the whole `/runs/stream` "
        "body (it does not parse the events). The load "
        'tools and the upstream share one core, the gateway has the other. "cut" calls are those ghz '
        'cancels at its -z deadline. "Waiting for a CPU": the time the gateway was runnable but not '
        "running (other work on its core)."
    )
    labels = [label for name in bars for label in (f"gw {name}", f"direct {name}")]
    values = [spread.median for pair in bars.values() for spread in pair]
    panel = Panel(
        "calls per second (ghz through the gateway, hey direct)",
        "calls/s",
        labels=[label.split(",")[0] for label in labels],
        values=values,
        lows=[spread.low for pair in bars.values() for spread in pair],
        highs=[spread.high for pair in bars.values() for spread in pair],
    )
    return Section(
        "load", "A load tool that is not ours (ghz, hey)", text, [Table(columns, rows)], [], [panel]
    )


def workers_section(upstream_url: str, config: Config) -> Section:
    if not ghz_path():
        return Section(
            "workers", "Workers: --workers 1 and 2", "Skipped: ghz is not installed (`.ci/setup`)."
        )
    stream_body = {
        "assistant_id": "agent",
        "input": {"events": 1000, "mode": "updates"},
        "data_format": "DATA_FORMAT_JSON",
    }
    rows, found = [], {}
    for workers in (1, 2):
        with Gateway(upstream_url, workers=workers, cpus=set(CPUS)) as gateway:
            before = gateway.meter.split()
            unary = [
                _with_cpu(
                    gateway,
                    lambda g=gateway: ghz(g.target, "WaitRun", WAIT_BODY, 50, 8, config.seconds, set(CPUS)),
                )
                for _ in range(config.repetitions)
            ]
            streams = [
                _with_cpu(
                    gateway,
                    lambda g=gateway: ghz(
                        g.target, "StreamRun", stream_body, 8, 8, config.seconds, set(CPUS)
                    ),
                )
                for _ in range(config.repetitions)
            ]
            after = gateway.meter.split()
        shares = sorted((after[pid] - before.get(pid, 0) for pid in after), reverse=True)
        split = " / ".join(
            f"{100 * share / sum(shares):.0f}%" for share in shares if share > 0.01 * sum(shares)
        )
        rps = Spread.of([load.rps for load, *_ in unary])
        events = Spread.of([load.rps * 1000 for load, *_ in streams])
        found[workers] = (rps, events)
        rows.append(
            [
                str(workers),
                split,
                rps.show("", 1, 0),
                f"{Spread.of([cpu for _, cpu, _ in unary]).median:.0f}%",
                events.show("", 1, 0),
                f"{Spread.of([cpu for _, cpu, _ in streams]).median:.0f}%",
                str(sum(load.errors for load, *_ in unary + streams)),
            ]
        )
    growth = [found[2][0].median / found[1][0].median, found[2][1].median / found[1][1].median]
    rows.append(["2 vs 1", "", f"{growth[0]:.2f}x", "", f"{growth[1]:.2f}x", "", ""])
    columns = [
        "workers",
        "share of gateway CPU by process",
        "WaitRun calls/s (ghz, 50 concurrent)",
        "gateway CPU",
        "stream events/s (ghz, 8 streams of 1000 raw JSON events)",
        "gateway CPU",
        "errors",
    ]
    text = (
        "One gateway command with `--workers N` (N processes on one port, SO_REUSEPORT); ghz opens 8 "
        f"connections so the kernel spreads them. {config.seconds:g} s per run, {config.repetitions} "
        "repetitions. Here nothing is pinned: the gateway's processes, ghz and the upstream all share the "
        "machine's two cores, so with two workers the gateway competes with its own load generator and "
        "upstream; the growth shown is a floor for a machine with spare cores. Gateway CPU is the sum over "
        "its processes (100% = one core); the share by process shows the kernel spreading connections."
    )
    panel = Panel(
        "throughput by workers",
        "per second",
        x=[1.0, 2.0],
        xlabel="workers",
        series={
            "WaitRun calls/s": [found[1][0].median, found[2][0].median],
            "stream events/s / 10": [found[1][1].median / 10, found[2][1].median / 10],
        },
    )
    return Section("workers", "Workers: --workers 1 and 2", text, [Table(columns, rows)], [], [panel])


def available() -> dict[str, bool]:
    return {
        "ghz": ghz_path() is not None,
        "hey": shutil.which("hey") is not None,
        "protoset": Path(PROTOSET).exists(),
    }
