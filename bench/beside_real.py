"""Beside the real server: the gateway's CPU as a share of a real `langgraph dev`'s, against the floor's.

The other scenarios read the fast upstream, which costs almost nothing per run, so there the
gateway's CPU is the whole story. An operator sizes a deployment against the real server: how many
gateway cores per core of LangGraph API server? This scenario answers it on the real `langgraph
dev` with the test graphs (tests/upstream), 16 runs at a time (an idle stock `langgraph dev` starts
each run 0.5-1 s late while its queue polls, so runs one at a time would measure mostly waiting):

- WaitRun on `agent` (two plain nodes, about 400 bytes of final state);
- StreamRun on `fakellm` (GenericFakeChatModel, 9 tokens) with stream_mode `messages-tuple`.

Each repetition makes a fixed number of runs through one proxy, the gateway (on its default flags,
as deployed) or the floor (bench/least_proxy.py, the least grpc.aio proxy making the same upstream
request), alternating; the proxy's share is its CPU over the repetition divided by the upstream's
(its whole process tree) over the same repetition. But the upstream's own CPU per run, and the
proxies' with it, moves between repetitions by more than the difference sought, and the least
share of each side may come from repetitions that saw a different upstream. So each repetition
also runs each kind through both proxies at once, half of the clients on each (side_by_side):
the two shares then have the same denominator and whatever moves, moves under both; the target
is the median of those passes' ratios. Each proxy is also counted under callgrind on a fresh
`langgraph dev`: its user-space instructions per run, which do not swing (count_instructions).

    import beside_real
    beside_real.section(beside_real.Config())          # the full run: about 10 minutes, with the counts
    beside_real.section(beside_real.QUICK)             # quick: Config(runs=96, repetitions=2, warmup=16)

    python bench/beside_real.py [--quick]              # standalone: prints the section's Markdown
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import instructions
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from latency import sync_channel, value
from procs import BENCH, OTHER_CPUS, Floor, Gateway, Meter, _http_ok, free_port, pin_self, spawn, stop
from report import Panel, Section, Table, Target, markdown
from stats import Spread

ROOT = BENCH.parent
GRAPHS = ROOT / "tests" / "upstream"
GOAL = 1.15  # the gateway's share of the upstream's CPU, at most this times the floor's
INPUT = {"messages": [{"role": "human", "content": "hi"}]}  # no gate word: the graphs just answer
WAIT_ANSWER = "echo: hi"  # `agent`'s last message
TOKENS = "hello from the fake model"  # `fakellm`'s answer, token by token
CALL_TIMEOUT = 120.0  # seconds; a run stuck this long is a failure, not a hang of the bench


@dataclass
class Config:
    runs: int = 480  # per repetition, per kind and proxy: enough for the run rate to settle
    repetitions: int = 5  # per kind and proxy, interleaved
    clients: int = 16  # runs at a time
    warmup: int = 32  # runs of each kind through each proxy before measuring
    raw_json: bool = True  # also the gateway with DATA_FORMAT_JSON (not a target: shows the Value cost)
    counted_rounds: int = 6  # rounds of `clients` runs counted under callgrind, per kind and proxy; 0: none

    @property
    def each_side(self) -> int:
        """Clients on each proxy when both run at once (side_by_side): as many runs at a time on
        the upstream as one proxy alone has."""
        return max(self.clients // 2, 1)


QUICK = Config(runs=96, repetitions=2, warmup=16, counted_rounds=0)


@dataclass
class Repetition:
    """One repetition's figures: CPU seconds of the proxy and of the upstream's tree, wall time."""

    proxy_cpu: float
    upstream_cpu: float
    seconds: float

    @property
    def share(self) -> float:
        return self.proxy_cpu / max(self.upstream_cpu, 1e-9)


@dataclass
class Measured:
    """Every repetition of one (kind, proxy), and what went wrong in its runs."""

    repetitions: list[Repetition] = field(default_factory=list)
    failed: int = 0
    runs: int = 0
    first_problem: str = ""

    def spread(self, figure: Callable[[Repetition], float]) -> Spread:
        return Spread.of([figure(repetition) for repetition in self.repetitions])


# --- the real upstream -----------------------------------------------------------------------------


def _langgraph_cli() -> str:
    """Where tests/conftest.py finds it: $LANGGRAPH_CLI or .venv-upstream (langgraph-api pins
    protobuf below 7, so it lives in its own environment)."""
    cli = os.environ.get("LANGGRAPH_CLI") or str(ROOT / ".venv-upstream" / "bin" / "langgraph")
    if not Path(cli).exists():
        raise RuntimeError(f"langgraph CLI not found at {cli}: run `bash .ci/setup` or set LANGGRAPH_CLI")
    return cli


class RealUpstream:
    """`langgraph dev` on a fresh copy of tests/upstream (no state from earlier runs), started as
    the tests start it and pinned with the clients, off the gateway's core."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RealUpstream:
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-langgraph-dev-"))
        shutil.copytree(
            GRAPHS, self.workdir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".langgraph_api")
        )
        self.log = self.workdir / "langgraph-dev.log"
        argv = [_langgraph_cli(), "dev", "--no-browser", "--no-reload"]
        argv += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("wb") as out:
            self.process = spawn(argv, OTHER_CPUS, cwd=self.workdir, stdout=out, stderr=subprocess.STDOUT)
        self._wait_ok()
        self.meter = Meter(self.process.pid)
        return self

    def _wait_ok(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not _http_ok(self.url + "/ok"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_bytes()[-3000:].decode(errors="replace")
                stop(self.process)
                raise RuntimeError(f"langgraph dev did not start; its log ends:\n{tail}")
            time.sleep(0.3)

    def __exit__(self, *_: object) -> None:
        stop(self.process, timeout=15)
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- one run, checked ------------------------------------------------------------------------------

# A run: given a stub, make one call and return "" when it answered right, else what was wrong.
Run = Callable[[runs_pb2_grpc.RunsServiceStub], str]


def _data_format(raw: bool) -> int:
    return int(runs_pb2.DATA_FORMAT_JSON if raw else runs_pb2.DATA_FORMAT_UNSPECIFIED)


def wait_run(raw: bool) -> Run:
    """WaitRun on `agent`; right when the final state's last message is the echo. The floor
    ignores data_format and always answers `values_json`, so `raw` is what the checker reads."""
    request = runs_pb2.WaitRunRequest(assistant_id="agent", input=value(INPUT), data_format=_data_format(raw))

    def run(stub: runs_pb2_grpc.RunsServiceStub) -> str:
        answer = stub.WaitRun(request, timeout=CALL_TIMEOUT)
        state = json.loads(answer.values_json) if raw else json_format.MessageToDict(answer.values)
        messages = state.get("messages") if isinstance(state, dict) else None
        last = messages[-1].get("content") if messages else None
        return "" if last == WAIT_ANSWER else f"WaitRun answered {str(state)[:200]}"

    return run


def stream_run(raw: bool) -> Run:
    """StreamRun on `fakellm` in `messages-tuple`; right when it starts with `metadata`, its
    `messages` events' chunks spell the model's answer, and the stream ends OK."""
    request = runs_pb2.StreamRunRequest(
        assistant_id="fakellm",
        input=value(INPUT),
        stream_mode=["messages-tuple"],
        data_format=_data_format(raw),
    )

    def run(stub: runs_pb2_grpc.RunsServiceStub) -> str:
        names, text = [], []
        for message in stub.StreamRun(request, timeout=CALL_TIMEOUT):
            names.append(message.event)
            if message.event.startswith("messages"):
                text.append(_chunk(message, raw))
        if names[:1] != ["metadata"] or len(names) < 2 or "".join(text) != TOKENS:
            return f"StreamRun events {names[:4]}..., text {''.join(text)!r}"
        return ""

    return run


def _chunk(message: runs_pb2.StreamRunResponse, raw: bool) -> str:
    """The token of one `messages` event: its data is [message chunk, metadata]."""
    if raw:
        return str(json.loads(message.data_json)[0]["content"])
    return str(message.data.list_value.values[0].struct_value.fields["content"].string_value)


# --- the load ----------------------------------------------------------------------------------------


def drive(run: Run, stubs: list[runs_pb2_grpc.RunsServiceStub], runs: int) -> list[str]:
    """`runs` runs, len(stubs) at a time: each client thread takes the next run as soon as its
    last one is done, so the upstream always has that many to work on. The problems found."""
    left = iter(range(runs))
    lock = threading.Lock()

    def client(stub: runs_pb2_grpc.RunsServiceStub) -> list[str]:
        problems: list[str] = []
        while True:
            with lock:
                if next(left, None) is None:
                    return problems
            try:
                problem = run(stub)
            except grpc.RpcError as error:
                problem = f"{error.code().name}: {error.details()}"
            if problem:
                problems.append(problem)

    with ThreadPoolExecutor(len(stubs)) as pool:
        return [problem for found in pool.map(client, stubs) for problem in found]


def repetition(
    proxy: Gateway, upstream: RealUpstream, run: Run, stubs: list[runs_pb2_grpc.RunsServiceStub], runs: int
) -> tuple[Repetition, list[str]]:
    proxy_before, upstream_before = proxy.meter.sample(), upstream.meter.sample()
    started = time.perf_counter()
    problems = drive(run, stubs, runs)
    seconds = time.perf_counter() - started
    proxy_after, upstream_after = proxy.meter.sample(), upstream.meter.sample()
    found = Repetition(proxy_after.cpu - proxy_before.cpu, upstream_after.cpu - upstream_before.cpu, seconds)
    return found, problems


def side_by_side(
    proxies: tuple[Gateway, Gateway],
    upstream: RealUpstream,
    runs: tuple[Run, Run],
    stubs: tuple[list[runs_pb2_grpc.RunsServiceStub], list[runs_pb2_grpc.RunsServiceStub]],
    count: int,
) -> list[tuple[Repetition, list[str]]]:
    """Both proxies at once, `count` runs each on its own clients, started together: each proxy's
    CPU from the start to the end of its own runs, and the upstream's CPU over the whole, split
    evenly (it made as many runs for each). What drifts on a shared machine (the upstream's CPU
    per run, another tenant, the VM's steal) then drifts under both proxies alike. Per proxy, in
    order: its figures and what went wrong in its runs."""
    start = threading.Barrier(3)

    def one(
        proxy: Gateway, run: Run, own: list[runs_pb2_grpc.RunsServiceStub]
    ) -> tuple[float, float, list[str]]:
        start.wait()
        before, started = proxy.meter.sample(), time.perf_counter()
        problems = drive(run, own, count)
        return proxy.meter.sample().cpu - before.cpu, time.perf_counter() - started, problems

    with ThreadPoolExecutor(2) as pool:
        upstream_before = upstream.meter.sample()
        futures = [pool.submit(one, proxies[i], runs[i], stubs[i]) for i in (0, 1)]
        start.wait()
        done = [future.result() for future in futures]
    upstream_cpu = (upstream.meter.sample().cpu - upstream_before.cpu) / 2
    return [(Repetition(cpu, upstream_cpu, seconds), problems) for cpu, seconds, problems in done]


# --- the scenario ------------------------------------------------------------------------------------

KINDS = {  # shown as: run(raw)
    "WaitRun, small graph (`agent`)": wait_run,
    "StreamRun, token stream (`fakellm`, messages-tuple)": stream_run,
}
GATEWAY, GATEWAY_RAW, FLOOR = "gateway", "gateway, raw JSON", "floor (least proxy)"


def _proxies(config: Config) -> dict[str, tuple[str, bool]]:
    """Shown name: (which process serves it, whether the client asks for raw JSON)."""
    found = {GATEWAY: ("gateway", False), FLOOR: ("floor", True)}
    if config.raw_json:
        found[GATEWAY_RAW] = ("gateway", True)
    return found


@dataclass
class Paired:
    """The side-by-side passes of one kind: the gateway's and the floor's figures, pass by pass."""

    gateway: Measured = field(default_factory=Measured)
    floor: Measured = field(default_factory=Measured)

    def ratios(self) -> list[float]:
        """Per pass, the gateway's CPU per run over the floor's: its share over the floor's, as
        both shares have the same denominator."""
        pairs = zip(self.gateway.repetitions, self.floor.repetitions, strict=True)
        return [gateway.proxy_cpu / max(floor.proxy_cpu, 1e-9) for gateway, floor in pairs]


def measure(config: Config) -> tuple[dict[str, dict[str, Measured]], dict[str, Paired]]:
    """Every kind through every proxy, repetitions interleaved (the order flipped every other
    repetition, so a drift of the shared machine or of the upstream hits both alike); and in each
    repetition, each kind once more through the gateway and the floor at once (side_by_side), half
    of the clients on each, so that the upstream has as many runs at a time."""
    found = {kind: {name: Measured() for name in _proxies(config)} for kind in KINDS}
    paired = {kind: Paired() for kind in KINDS}
    half = config.each_side
    with RealUpstream() as upstream, Gateway(upstream.url) as gateway, Floor(upstream.url) as floor:
        servers = {"gateway": gateway, "floor": floor}
        with contextlib.ExitStack() as channels:
            stubs = {key: _stubs(server.target, config.clients, channels) for key, server in servers.items()}
            for make in KINDS.values():
                for key, raw in _proxies(config).values():
                    drive(make(raw), stubs[key], config.warmup)  # langgraph dev's first runs are slower
            for number in range(config.repetitions):
                for kind, make in KINDS.items():
                    order = list(_proxies(config).items())
                    for name, (key, raw) in order if number % 2 == 0 else reversed(order):
                        figures, problems = repetition(
                            servers[key], upstream, make(raw), stubs[key], config.runs
                        )
                        _record(found[kind][name], figures, problems, config.runs)
                    both = side_by_side(
                        (gateway, floor),
                        upstream,
                        (make(False), make(True)),
                        (stubs["gateway"][:half], stubs["floor"][:half]),
                        config.runs,
                    )
                    sides = (paired[kind].gateway, paired[kind].floor)
                    for side, (figures, problems) in zip(sides, both, strict=True):
                        _record(side, figures, problems, config.runs)
    return found, paired


def _stubs(target: str, clients: int, channels: contextlib.ExitStack) -> list[runs_pb2_grpc.RunsServiceStub]:
    """One channel per client thread, as `clients` separate callers would have: the sync grpc
    client's channel (streams read on the caller's thread), closed when `channels` closes."""
    return [
        runs_pb2_grpc.RunsServiceStub(channels.enter_context(sync_channel(target))) for _ in range(clients)
    ]


def _record(into: Measured, figures: Repetition, problems: list[str], runs: int) -> None:
    into.repetitions.append(figures)
    into.runs += runs
    into.failed += len(problems)
    into.first_problem = into.first_problem or next(iter(problems), "")


_COLUMNS = [
    "runs",
    "proxy",
    "proxy CPU / upstream CPU",
    "vs the floor (least shares)",
    "proxy CPU/run",
    "upstream CPU/run",
    "runs/s",
]

_COUNTED = (
    "\n\nInstructions per run: on a fresh `langgraph dev`, each proxy once more, started under "
    "callgrind (bench/instructions.py), {rounds} rounds of {clients} runs at a time of each kind after "
    "as many to warm up; the user-space instructions of the proxy's process per run. The upstream's "
    "CPU per run swings from one repetition to the next, and the shares with it; a count does "
    "not, though it leaves out what the kernel does for the proxy (its system calls and sockets)."
)


def section(config: Config) -> Section:
    """Starts its own `langgraph dev`, gateway and floor; the tables, targets and plot."""
    found, paired = measure(config)
    rows, targets = [], []
    for kind, by_proxy in found.items():
        floor_least = min(r.share for r in by_proxy[FLOOR].repetitions)
        for name, measured in by_proxy.items():
            rows.append(_row(kind, name, measured, floor_least))
        targets.append(_target(kind, paired[kind], by_proxy[GATEWAY], by_proxy[FLOOR]))
    text = _text(config)
    failures = [
        f"{name}, {kind}: {m.failed} of {m.runs} runs (first: {m.first_problem})"
        for kind, by_proxy in found.items()
        for name, m in by_proxy.items()
        if m.failed
    ] + [
        f"side by side, {name}, {kind}: {m.failed} of {m.runs} runs (first: {m.first_problem})"
        for kind, p in paired.items()
        for name, m in ((GATEWAY, p.gateway), (FLOOR, p.floor))
        if m.failed
    ]
    if failures:
        text += "\n\n**Failed runs:** " + "; ".join(failures)
    side = [_paired_row(kind, p) for kind, p in paired.items()]
    tables = [Table(_COLUMNS, rows), Table(_PAIRED_COLUMNS, side)]
    text += _PAIRED.format(clients=config.clients, half=config.each_side, runs=config.runs)
    if counted := count_instructions(config):
        tables.append(Table(["runs", "proxy", "instructions per run (callgrind)", "vs the floor"], counted))
        text += _COUNTED.format(rounds=config.counted_rounds, clients=config.clients)
    return Section(
        "beside_real",
        "Beside the real server: CPU share of `langgraph dev`",
        text,
        tables,
        targets,
        _panels(found),
    )


def count_instructions(config: Config) -> list[list[str]]:
    """Instructions per run of each kind through each proxy, counted by callgrind: the steady
    counterpart of the shares."""
    if not config.counted_rounds or not instructions.available():
        return []
    counts: dict[tuple[str, str], float] = {}
    with RealUpstream() as upstream:
        for key, server in (("gateway", Gateway), ("floor", Floor)):
            with instructions.counted(server)(upstream.url) as counted, contextlib.ExitStack() as channels:
                stubs = _stubs(counted.target, config.clients, channels)
                for kind, make in KINDS.items():
                    for name, (which, raw) in _proxies(config).items():
                        if which == key:
                            rounds = _rounds(make(raw), stubs)
                            per_round = instructions.instructions(counted, rounds, config.counted_rounds)
                            counts[kind, name] = per_round / len(stubs)
    return [
        [kind, name, f"{count / 1e3:,.0f} k", f"{count / counts[kind, FLOOR]:.2f}x"]
        for (kind, name), count in counts.items()
    ]


def _rounds(run: Run, stubs: list[runs_pb2_grpc.RunsServiceStub]) -> Callable[[], None]:
    """One round: as many runs as stubs, all at once, every one checked."""

    def one_round() -> None:
        if problems := drive(run, stubs, len(stubs)):
            raise RuntimeError(f"a counted run went wrong: {problems[0]}")

    return one_round


def _row(kind: str, name: str, measured: Measured, floor_least: float) -> list[str]:
    least = min(r.share for r in measured.repetitions)
    runs = measured.runs / max(len(measured.repetitions), 1)
    return [
        kind,
        name,
        measured.spread(lambda r: r.share).show("%", 100, 1),
        f"{least / floor_least:.2f}x",
        measured.spread(lambda r: r.proxy_cpu / runs).show(" ms", 1000, 2),
        measured.spread(lambda r: r.upstream_cpu / runs).show(" ms", 1000, 1),
        measured.spread(lambda r: runs / r.seconds).show("", 1, 1),
    ]


_PAIRED_COLUMNS = [
    "runs, side by side",
    "gateway / floor, per pass",
    "gateway: CPU / upstream CPU",
    "floor: CPU / upstream CPU",
    "gateway CPU/run",
    "floor CPU/run",
    "upstream CPU/run",
]

_PAIRED = (
    "\n\nSide by side (the targets): in each repetition, each kind once more through the gateway and "
    "the floor at the same time, {half} clients on each ({clients} runs at a time on the upstream, "
    "as above), {runs} runs each, started together. Each proxy's CPU is taken over its own runs; "
    "the upstream made as many runs for each, so each share has the same denominator, half the "
    "upstream's CPU over the pass, and the gateway's share over the floor's is its CPU per run over "
    "the floor's in the same pass. Measured one after the other (the table above), the two "
    "proxies see a different upstream: its CPU per run, and the proxies' with it, moves between "
    "repetitions by more than the difference sought; side by side, whatever moves, moves under "
    "both. The target is the median of the passes' ratios (lowest-highest beside it)."
)


def _paired_row(kind: str, paired: Paired) -> list[str]:
    gateway, floor = paired.gateway, paired.floor
    runs = gateway.runs / max(len(gateway.repetitions), 1)  # per pass, as many for each
    return [
        kind,
        Spread.of(paired.ratios()).show("x", 1, 2),
        gateway.spread(lambda r: r.share).show("%", 100, 1),
        floor.spread(lambda r: r.share).show("%", 100, 1),
        gateway.spread(lambda r: r.proxy_cpu / runs).show(" ms", 1000, 2),
        floor.spread(lambda r: r.proxy_cpu / runs).show(" ms", 1000, 2),
        gateway.spread(lambda r: r.upstream_cpu / runs).show(" ms", 1000, 1),
    ]


def _target(kind: str, paired: Paired, gateway: Measured, floor: Measured) -> Target:
    """Met when the median of the side-by-side passes' ratios is within the goal; the ratio of
    the least shares measured one after the other is shown beside it."""
    ratios = Spread.of(paired.ratios())
    ours, floors = (min(r.share for r in m.repetitions) for m in (gateway, floor))
    return Target(
        f"{kind}: the gateway's CPU share of the upstream's <= {GOAL:.2f}x the floor's",
        f"{ratios.show('x', 1, 2)} side by side, median of {len(paired.ratios())} passes; one "
        f"after the other, least shares: {ours / floors:.2f}x (gateway {ours:.1%}, floor {floors:.1%})",
        ratios.median <= GOAL,
    )


def _text(config: Config) -> str:
    raw = (
        ' The row "gateway, raw JSON" is the same gateway asked for DATA_FORMAT_JSON (the upstream\'s '
        "bytes, never parsed, as the floor relays them): not a target, it shows what parsing into "
        "google.protobuf.Value costs."
        if config.raw_json
        else ""
    )
    return (
        "On the real `langgraph dev` (its own environment, .venv-upstream; a fresh copy of the test "
        "graphs, tests/upstream; pinned with the clients, off the gateway's core) with "
        f"{config.clients} runs at a time: {config.clients} client threads, one sync grpc channel each, "
        f"make {config.runs} runs per repetition back to back, through the gateway (its default flags "
        "and the default data format, google.protobuf.Value, as clients get it) or the floor "
        "(bench/least_proxy.py: grpc.aio and aiohttp, the same upstream request, the answer's bytes "
        f"relayed untouched), {config.repetitions} repetitions each, interleaved, after "
        f"{config.warmup} warm-up runs of each kind through each. WaitRun runs `agent` (two plain "
        "nodes; about 400 bytes of final state); StreamRun runs `fakellm` (GenericFakeChatModel, 9 "
        "tokens, each a `messages` event of about 1.3 KB) with stream_mode `messages-tuple`. A proxy's "
        "share is its CPU time over a repetition divided by the CPU time of the upstream's whole "
        "process tree over the same repetition: how much proxy CPU to provision per unit of LangGraph "
        "API server CPU. Shares and CPU per run are the median over repetitions (lowest-highest). "
        'CPU time on a shared machine only grows with noise, so "vs the floor" in this table divides '
        "the least share of each; the targets are taken side by side (below). The proxies' CPU per "
        "run depends on the run rate (at fewer runs/s, as in short repetitions, both spend more per "
        "run): compare rows at like runs/s. Every run is checked: "
        "WaitRun's final state ends with the echo; "
        "StreamRun starts with `metadata`, its `messages` chunks spell the model's answer, and it "
        "ends OK." + raw
    )


def _panels(found: dict[str, dict[str, Measured]]) -> list[Panel]:
    labels, spreads = [], []
    for kind, by_proxy in found.items():
        for name, measured in by_proxy.items():
            labels.append(f"{kind.split(',')[0]}: {name}")
            spreads.append(measured.spread(lambda r: r.share * 100))
    return [
        Panel(
            "proxy CPU / upstream CPU (median, bars: lowest-highest)",
            "% of the upstream's CPU",
            labels=labels,
            values=[s.median for s in spreads],
            lows=[s.low for s in spreads],
            highs=[s.high for s in spreads],
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK}")
    args = parser.parse_args()
    pin_self()
    started = time.monotonic()
    found = section(QUICK if args.quick else Config())
    header = f"# Beside the real server{' (quick)' if args.quick else ''}: {time.monotonic() - started:.0f} s"
    print(markdown(header, [found]))


if __name__ == "__main__":
    main()
