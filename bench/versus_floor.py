"""The gateway's own cost: every figure a ratio to the least proxy (bench/least_proxy.py), the floor.

The gateway (default flags: access log on) and the floor run side by side in this one run, pinned
to the same core, fed by the same fast upstream, under the same clients, repetitions interleaved.
CPU is the server process's CPU time (procs.cpu_seconds, to the nanosecond). Each target's ratio
is taken, as the performance issue asks, between the least figure of each side (noise adds CPU
time), with the spread shown beside it. On this VM noise also slows whole stretches of seconds,
so the least of a few long repetitions is whichever side met the quietest stretch: many short
repetitions give each side more such chances; within each, the WaitRun clients take turns of a
few calls, so that a slow stretch falls on every server alike; and each ratio is also shown
paired (the median of each repetition's own ratio, its two sides measured over the same
seconds). A second floor, measured as one more client, shows in the same run how far two
identical servers read apart by either view: the method's own noise (bench/NOTES.md).

Where a target is missed, the same run says why: (with py-spy installed) a profile of the gateway
under the same calls, and (with valgrind) its instructions per call beside the floor's.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import math
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import concurrency
import instructions
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from latency import ASSISTANT, WAIT_INPUT, sync_channel, value
from procs import Floor, Gateway, Upstream
from report import Panel, Section, Table, Target
from stats import Spread, percentile

GATEWAY, FLOOR, FLOOR_AGAIN = "gateway", "floor (least proxy)", "floor again (A/A)"
VALUE, RAW = runs_pb2.DATA_FORMAT_VALUE, runs_pb2.DATA_FORMAT_JSON


@dataclass
class Config:
    events: int  # of one stream
    calls: int  # sequential WaitRuns per repetition
    repetitions: int
    admission: concurrency.Config  # its last level is the one measured
    admission_repetitions: int = 4
    profile_seconds: float = 8
    counted_calls: int = 200  # of each kind under callgrind (instructions.py); 0: none


def _stream(target: str, events: int, data_format: int) -> Callable[[], int]:
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(target))
    knobs = {"events": events, "mode": "updates", "size": 300}
    request = runs_pb2.StreamRunRequest(
        assistant_id=ASSISTANT, input=value(knobs), stream_mode=["updates"], data_format=data_format
    )
    return lambda: sum(1 for message in stub.StreamRun(request) if message.event == "updates")


def _waits(target: str, calls: int, data_format: int) -> Callable[[], list[float]]:
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(target))
    request = runs_pb2.WaitRunRequest(
        assistant_id=ASSISTANT, input=value(WAIT_INPUT), data_format=data_format
    )

    def run() -> list[float]:
        durations = []
        for _ in range(calls):
            started = time.perf_counter()
            answer = stub.WaitRun(request)
            durations.append(time.perf_counter() - started)
            assert answer.HasField("values") or answer.values_json
        return durations

    return run


FORMS = {"Value": VALUE, "raw JSON": RAW}


SLICE = 10  # WaitRuns each wait client makes in its turn


def _measure(
    servers: dict[str, tuple[Gateway, dict[str, int]]], config: Config
) -> dict[str, dict[str, list[float]]]:
    """Per client: CPU per event of one stream, and WaitRun p50 and CPU per call, per repetition."""
    clients: dict[str, tuple[Gateway, str, Callable[[], Any]]] = {}
    for name, (server, forms) in servers.items():
        for form, data_format in forms.items():
            label = f"{name}: {form}" if form else name
            clients[f"stream {label}"] = (
                server,
                "stream",
                _stream(server.target, config.events, data_format),
            )
            clients[f"wait {label}"] = (server, "wait", _waits(server.target, SLICE, data_format))
    streams = [name for name, (_, kind, _) in clients.items() if kind == "stream"]
    waits = [name for name in clients if name not in streams]
    _repetition(clients, streams, waits, config)  # warm-up
    found: dict[str, dict[str, list[float]]] = {name: collections.defaultdict(list) for name in clients}
    for _ in range(config.repetitions):
        for name, figures in _repetition(clients, streams, waits, config).items():
            for key, figure in figures.items():
                found[name][key].append(figure)
        streams = streams[1:] + streams[:1]  # so that no client always runs after the same other
    return found


def _repetition(
    clients: dict[str, tuple[Gateway, str, Callable[[], Any]]],
    streams: list[str],
    waits: list[str],
    config: Config,
) -> dict[str, dict[str, float]]:
    """One repetition: each stream client in turn, then the WaitRun clients taking turns of SLICE
    calls (the order rotated each turn) until each has made `config.calls`: a slow stretch of
    the machine, seconds long, then falls on every server's WaitRuns alike, not on one."""
    figures: dict[str, dict[str, float]] = {}
    for name in streams:
        server, _, run = clients[name]
        received, spent = _with_cpu(server, run)
        figures[name] = {"cpu": spent / max(received, 1), "complete": float(received == config.events)}
    spent_on = dict.fromkeys(waits, 0.0)
    durations: dict[str, list[float]] = {name: [] for name in waits}
    for _ in range(math.ceil(config.calls / SLICE)):
        for name in waits:
            server, _, run = clients[name]
            taken, spent = _with_cpu(server, run)
            durations[name] += taken
            spent_on[name] += spent
        waits = waits[1:] + waits[:1]
    for name in spent_on:
        figures[name] = {"cpu": spent_on[name] / len(durations[name]), "p50": percentile(durations[name], 50)}
    return figures


def _with_cpu(server: Gateway, run: Callable[[], Any]) -> tuple[Any, float]:
    """What `run()` returns, and the CPU seconds `server` spent meanwhile (CPU alone: a sample
    with memory is read thousands of times a run, between turns)."""
    before = sum(server.meter.split().values())
    result = run()
    return result, sum(server.meter.split().values()) - before


TOKENS = 10


def _token_stream(target: str, data_format: int) -> Callable[[], int]:
    """One run's token stream: `metadata`, then 10 `messages` events as langgraph dev sends them
    for a chat model in `messages-tuple` mode (a chunk and its metadata, about 1 KB)."""
    stub = runs_pb2_grpc.RunsServiceStub(sync_channel(target))
    request = runs_pb2.StreamRunRequest(
        assistant_id=ASSISTANT,
        input=value({"events": TOKENS, "mode": "messages"}),
        stream_mode=["messages-tuple"],
        data_format=data_format,
    )

    def run() -> int:
        received = sum(1 for _ in stub.StreamRun(request, timeout=120))
        assert received == TOKENS + 1, received
        return received

    return run


def _instructions(upstream: Upstream, calls: int) -> list[list[str]]:
    """Instructions per call (callgrind) of WaitRun and of a token StreamRun: the gateway in
    both forms and the floor, each server started once under callgrind."""
    if not calls or not instructions.available():
        return []
    counts: dict[tuple[str, str], float] = {}
    for name, server, forms in (
        (GATEWAY, Gateway, FORMS),
        (FLOOR, Floor, {"": RAW}),
    ):
        with instructions.counted(server)(upstream.url) as counted:
            for form, data_format in forms.items():
                label = f"{name}: {form}" if form else name
                waits = _waits(counted.target, 1, data_format)
                counts["WaitRun", label] = instructions.instructions(counted, waits, calls)
                stream = _token_stream(counted.target, data_format)
                counts["StreamRun, token stream", label] = instructions.instructions(counted, stream, calls)
    return [
        [kind, label, f"{count / 1e3:.0f} k", f"{count / counts[kind, FLOOR]:.2f}x"]
        for (kind, label), count in counts.items()
    ]


def _ratio(found: dict[str, dict[str, list[float]]], name: str, floor: str, key: str) -> float:
    return min(found[name][key]) / min(found[floor][key])


def _paired(found: dict[str, dict[str, list[float]]], name: str, floor: str, key: str) -> float:
    """The median over repetitions of each repetition's ratio: a second view, which a slow
    moment shared by the neighbours of one repetition does not move."""
    return statistics.median(a / b for a, b in zip(found[name][key], found[floor][key], strict=True))


def _profile(gateway: Gateway, run: Callable[[], Any], seconds: float) -> list[list[str]]:
    """py-spy's samples of the gateway under `run`, summed by function (inclusive), top 15."""
    spy = shutil.which("py-spy") or str(Path(__import__("sys").executable).parent / "py-spy")
    if not Path(spy).exists():
        return []
    out = Path(tempfile.mkstemp(suffix=".txt")[1])
    argv = [spy, "record", "-p", str(gateway.process.pid), "-r", "500", "-f", "raw", "-o", str(out)]
    profiler = subprocess.Popen([*argv, "-d", str(seconds), "--nonblocking"], stderr=subprocess.DEVNULL)
    while profiler.poll() is None:
        run()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in set(stack.split(";")):
            inclusive[frame] += int(count)
    out.unlink()
    own = [
        (f, n)
        for f, n in inclusive.most_common()
        if ("langgraph_grpc_gateway" in f or "logging" in f) and "__main__" not in f
    ]
    return [[frame, f"{100 * n / max(total, 1):.1f}%"] for frame, n in own[:15]]


def section(upstream: Upstream, config: Config) -> Section:
    with (
        Gateway(upstream.url) as gateway,
        Floor(upstream.url) as floor,
        Floor(upstream.url) as again,
    ):
        servers = {GATEWAY: (gateway, FORMS), FLOOR: (floor, {"": RAW}), FLOOR_AGAIN: (again, {"": RAW})}
        found = _measure(servers, config)
        profile = _profile(gateway, _waits(gateway.target, 200, VALUE), config.profile_seconds)
    counted = _instructions(upstream, config.counted_calls)
    return _section(found, _admission(upstream, config), profile, counted, config)


# Each call's deadline in the admission runs: never reached, it lets the floor tell how long each
# call waited in grpc before its handler ran (least_proxy's admission log).
ADMISSION_DEADLINE = 600.0


def _admission(upstream: Upstream, config: Config) -> dict[str, list[dict[str, Any]]]:
    """The largest level through a fresh gateway and a fresh floor in turn, a few times: with a
    core near full, how late a call is admitted varies widely from one run to the next. The
    floor's runs also say where the time went: each call's wait in grpc before its handler."""
    streams = config.admission.levels[-1]
    admission = dataclasses.replace(config.admission, deadline=ADMISSION_DEADLINE)
    found: dict[str, list[dict[str, Any]]] = {GATEWAY: [], FLOOR: []}
    for _ in range(config.admission_repetitions):
        # Without the direct fleet: the target compares the two servers, not either to HTTP.
        gateway = functools.partial(Gateway, upstream.url)
        found[GATEWAY].append(concurrency.level(upstream, streams, admission, gateway, direct=False))
        with tempfile.TemporaryDirectory() as scratch:
            log = Path(scratch) / "admission"
            floor = functools.partial(Floor, upstream.url, admission_log=log)
            run = concurrency.level(upstream, streams, admission, floor, direct=False)
            left = [float(line) for line in log.read_text().split()] if log.exists() else []
        found[FLOOR].append({**run, "grpc_wait": sorted(ADMISSION_DEADLINE - t for t in left)})
    return found


def _section(
    found: dict[str, dict[str, list[float]]],
    admission: dict[str, list[dict[str, Any]]],
    profile: list[list[str]],
    counted: list[list[str]],
    config: Config,
) -> Section:
    stream_floor, wait_floor = f"stream {FLOOR}", f"wait {FLOOR}"
    rows = []
    for name, figures in found.items():
        floor = stream_floor if name.startswith("stream") else wait_floor
        cpu = Spread.of(figures["cpu"])
        row = [name, cpu.show(" us", 1e6, 1), _both(found, name, floor, "cpu")]
        if "p50" in figures:
            p50 = Spread.of(figures["p50"])
            row += [p50.show(" ms", 1e3, 3), _both(found, name, floor, "p50")]
        else:
            row += ["", ""]
        rows.append(row)

    def against_floor(title: str, name: str, key: str, limit: float) -> Target:
        """A target on one figure of `name`: its least over the floor's least, at most `limit`;
        shown with the paired view and the A/A control's view of the same figure."""
        floor = stream_floor if name.startswith("stream") else wait_floor
        again = f"{name.split()[0]} {FLOOR_AGAIN}"
        ratio = _ratio(found, name, floor, key)
        control = f"{_ratio(found, again, floor, key):.2f}x, paired {_paired(found, again, floor, key):.2f}x"
        shown = f"{ratio:.2f}x (paired {_paired(found, name, floor, key):.2f}x; the second floor: {control})"
        return Target(title, shown, ratio <= limit)

    opened = {name: [run["gateway"]["open_p99"] for run in runs] for name, runs in admission.items()}
    gateway_open, floor_open = min(opened[GATEWAY]), min(opened[FLOOR])
    streams = admission[GATEWAY][0]["streams"]
    errors = {name: _errors(runs) for name, runs in admission.items()}
    targets = [
        against_floor(
            "CPU per event, Value form <= 1.5x the floor's", f"stream {GATEWAY}: Value", "cpu", 1.5
        ),
        against_floor(
            "CPU per event, raw JSON form <= 1.2x the floor's", f"stream {GATEWAY}: raw JSON", "cpu", 1.2
        ),
        against_floor("WaitRun p50 <= 1.15x the floor's", f"wait {GATEWAY}: Value", "p50", 1.15),
        against_floor("CPU per WaitRun <= 1.15x the floor's", f"wait {GATEWAY}: Value", "cpu", 1.15),
        Target(
            f"admission at {streams} streams: first message p99 <= 1.1x the floor's",
            f"{gateway_open / floor_open:.2f}x ({gateway_open * 1e3:.0f} ms vs {floor_open * 1e3:.0f} ms, "
            f"least of each; errors {errors[GATEWAY]} vs {errors[FLOOR]})",
            gateway_open <= 1.1 * floor_open and errors[GATEWAY] == 0,
        ),
    ]
    tables = [
        Table(
            [
                "client",
                "server CPU per event or call",
                "vs floor: least over least (paired)",
                "WaitRun p50",
                "vs floor: least over least (paired)",
            ],
            rows,
        ),
        Table(
            [
                "server",
                "streams",
                "errors",
                "first message p99 (ms), least",
                "first message p99 (ms) of each run",
                "first message p50 (ms)",
                "event delay p99 (ms)",
                "CPU",
                "RSS",
                "RSS per stream (KB) of each run",
                "time in grpc before the handler, p99 (ms) of each run",
            ],
            [_admission_row(name, runs) for name, runs in admission.items()],
        ),
    ]
    if counted:
        tables.append(Table(["calls", "server", "instructions per call (callgrind)", "vs floor"], counted))
    if profile:
        tables.append(Table(["gateway function (py-spy, WaitRun, Value form)", "share of samples"], profile))
    incomplete = [
        name for name, figures in found.items() if "complete" in figures and min(figures["complete"]) < 1
    ]
    text = " ".join(
        f"""
        The gateway on its default flags (access log on), as deployed, and the floor:
        bench/least_proxy.py, a grpc.aio server on the same event loop that makes the
        same upstream request with aiohttp and relays the answer with the least work (WaitRun: the
        body's bytes in values_json; StreamRun: each SSE block split off the bytes, its data's bytes
        in data_json; wire bytes written by hand, no message object, no JSON parsed). Both are
        pinned to the same core and read the same fast upstream. One stream of {config.events}
        `updates` events of about 300 bytes, one event per message; {config.calls} sequential
        WaitRuns (about 350 bytes of final state) on a warm channel; {config.repetitions}
        short repetitions: the stream clients in turn (the order rotated each repetition), then
        the WaitRun clients taking turns of {SLICE} calls (the order rotated each turn), so that
        a slow stretch of the machine falls on every server's WaitRuns alike. Figures are the
        median (lowest-highest); each ratio is the least figure of the gateway over the least of
        the floor (noise only adds CPU time), and in brackets the median of the repetitions' own
        ratios (each against the floor's figure of the same repetition). A second floor, started
        like the first and measured as one more client ("{FLOOR_AGAIN}"), reads 1.00x where the
        method has no noise: how far it lands from 1.00x is how far this run's ratios can be
        trusted. The floor answers the raw form only: both of the gateway's forms are measured
        against it. Admission:
        {streams} token streams (10 events/s each) opened at {config.admission.open_rate:g}/s by the
        Go fleet, through a fresh gateway and a fresh floor in turn, {config.admission_repetitions}
        times each; the time from each call to its first message shows how late a loaded process
        admits new calls (near a full core it varies widely from run to run: the target compares
        the least p99 of each). RSS per stream is the server's RSS with every stream open less
        its idle RSS, over the streams, as in the concurrency scenario: near a full core it also
        holds what the server has read and not yet sent. Each call has a deadline (never
        reached) in these runs, so that the floor can say how long each call waited in grpc before
        its handler ran (grpc core starts a call's deadline when its headers arrive; the floor
        writes the time left as its handler starts): when that wait's p99 is the first message's,
        the late calls were late inside grpc.aio's server, before any code of the proxy's ran.
        When a target is
        missed, the profile and the instruction counts below show where the gateway's own time goes.
        Instructions per call: each server once more under callgrind (bench/instructions.py),
        {config.counted_calls} calls of each kind after a warm-up, WaitRun as above and a token
        StreamRun ({TOKENS} `messages-tuple` events of about 1 KB, as langgraph dev sends a chat
        model's tokens); a count of the process's user-space work, steady where CPU time swings
        with the machine's other work, without the kernel's share (syscalls, sockets).
        """.split()
    )
    if incomplete:
        text += "\n\n**Incomplete streams:** " + ", ".join(incomplete)
    panels = [
        _least_cpu(found, "stream ", "CPU per relayed event (least of repetitions)", "us per event"),
        _least_cpu(found, "wait ", "CPU per WaitRun (least of repetitions)", "us per call"),
    ]
    title = "The gateway against the least proxy (the floor)"
    return Section("versus_floor", title, text, tables, targets, panels)


def _both(found: dict[str, dict[str, list[float]]], name: str, floor: str, key: str) -> str:
    return f"{_ratio(found, name, floor, key):.2f}x ({_paired(found, name, floor, key):.2f}x)"


def _least_cpu(found: dict[str, dict[str, list[float]]], prefix: str, title: str, unit: str) -> Panel:
    names = [name for name in found if name.startswith(prefix)]
    return Panel(
        title,
        unit,
        labels=[name.removeprefix(prefix) for name in names],
        values=[min(found[name]["cpu"]) * 1e6 for name in names],
    )


def _errors(runs: list[dict[str, Any]]) -> int:
    return sum(sum(run["gateway"]["errors"].values()) for run in runs if run["gateway"]["errors"])


def _admission_row(name: str, runs: list[dict[str, Any]]) -> list[str]:
    through = [run["gateway"] for run in runs]
    cpu = [run["observed"].get("cpu", float("nan")) for run in runs]
    return [
        name,
        str(runs[0]["streams"]),
        str(_errors(runs)),
        f"{min(t['open_p99'] for t in through) * 1e3:.1f}",
        ", ".join(f"{t['open_p99'] * 1e3:.0f}" for t in through),
        ", ".join(f"{t['open_p50'] * 1e3:.1f}" for t in through),
        ", ".join(f"{t['steady_p99'] * 1e3:.1f}" for t in through),
        ", ".join(f"{c:.0f}%" for c in cpu),
        f"{max(run['observed'].get('rss', 0) for run in runs) / 2**20:.0f} MiB",
        ", ".join(f"{run['observed'].get('per_stream', float('nan')) / 1024:.1f}" for run in runs),
        ", ".join(_grpc_wait(run) for run in runs),
    ]


def _grpc_wait(run: dict[str, Any]) -> str:
    """p99 of the time calls waited in grpc before the floor's handler ran, in ms ("-": not
    known, for the gateway)."""
    waits = run.get("grpc_wait")
    return f"{percentile(waits, 99) * 1e3:.0f} ({len(waits)} calls)" if waits else "-"
