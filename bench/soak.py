"""A bounded soak: many concurrent streams and unary calls through one gateway process, with
clients that leave early.

    python bench/soak.py                   # 60 s, 200 streams, 20 WaitRun loops; writes bench/SOAK.md
    python bench/soak.py --leavers         # more than a quarter of the calls leave early
    python bench/soak.py --leavers --seconds 10 --streams 120 --no-write --json  # tests/test_soak.py

The fast upstream (bench/fast_upstream.py) and the gateway run as their own processes (bench/procs.py
pins them); the gateway on its default flags, as deployed (access log on), its output in a file.
Each stream worker opens StreamRun after StreamRun for the whole time (a random run of 20-200
events at 50 a second, `updates` or `messages`, half of them coalesced); each WaitRun worker calls
in a loop. Each call is of one kind, drawn at random (the mix: --leavers, or the steady default):

- StreamRun stays: reads to the end; WaitRun stays: waits for the answer;
- StreamRun cancels after a few: reads 2-5 messages, then cancels;
- StreamRun breaks after the first: leaves its `async for` at the first message, then cancels as
  the project's clients do on break (grpc.aio alone keeps an abandoned call open until its channel
  closes);
- StreamRun deadline mid-stream: its deadline passes while the run streams;
- WaitRun cancelled, WaitRun deadline mid-call: the client cancels, or its deadline passes, while
  the upstream thinks (the fast upstream's `delay`).

It checks:

- each call ends with its kind's status on the client side: the stayers OK, the leavers CANCELLED
  or DEADLINE_EXCEEDED (or OK with every event, when the run ended before the client left);
- every event exactly once, in order: each stream's `seq` numbers are 0, 1, 2, ... with no gap or
  repeat, all of them for a stream that ended OK;
- the gateway lives: it does not die during the load, exits 0 on the SIGTERM that stops it,
  logs no traceback, and writes access lines;
- steady memory: the gateway's RSS, sampled each second, grows by less than --rss-bound MB from
  the first quarter of the run (after a warm-up) to the last;
- nothing left behind: once the load stops, the gateway's upstream connections close and its
  file descriptors come back to where they were before.

Exit status 0 when every check holds; the report (Markdown) goes to stdout, and to bench/SOAK.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fast_upstream
import grpc
import procs
import psutil
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

MB = 1024 * 1024
REPORT = procs.BENCH / "SOAK.md"
OK, CANCELLED, DEADLINE = "OK", "CANCELLED", "DEADLINE_EXCEEDED"

STAYS = "StreamRun stays"
CANCELS = "StreamRun cancels after a few"
BREAKS = "StreamRun breaks after the first"
STREAM_DEADLINE = "StreamRun deadline mid-stream"
WAIT_STAYS = "WaitRun stays"
WAIT_CANCELLED = "WaitRun cancelled"
WAIT_DEADLINE = "WaitRun deadline mid-call"
EXPECTED = {
    STAYS: OK,
    CANCELS: CANCELLED,
    BREAKS: CANCELLED,
    STREAM_DEADLINE: DEADLINE,
    WAIT_STAYS: OK,
    WAIT_CANCELLED: CANCELLED,
    WAIT_DEADLINE: DEADLINE,
}
"""Each kind of call and the status it ends with on the client side."""
WAIT_DELAY = 2.0  # seconds the upstream thinks before it answers a WaitRun that will be left


@dataclass(frozen=True)
class Mix:
    """The fraction of the calls of each leaving kind; the others stay to the end."""

    cancel: float = 0.1
    brk: float = 0.0
    deadline: float = 0.05
    wait_cancel: float = 0.0
    wait_deadline: float = 0.0

    def stream_kind(self, rng: random.Random) -> str:
        return _draw(
            rng, [(CANCELS, self.cancel), (BREAKS, self.brk), (STREAM_DEADLINE, self.deadline)], STAYS
        )

    def wait_kind(self, rng: random.Random) -> str:
        return _draw(
            rng, [(WAIT_CANCELLED, self.wait_cancel), (WAIT_DEADLINE, self.wait_deadline)], WAIT_STAYS
        )

    def text(self) -> str:
        parts = [
            f"{self.cancel:.0%} of streams cancel after 2-5 messages",
            f"{self.brk:.0%} break after the first",
            f"{self.deadline:.0%} have a deadline that passes mid-stream",
            f"{self.wait_cancel:.0%} of WaitRun calls are cancelled",
            f"{self.wait_deadline:.0%} have a deadline that passes mid-call",
        ]
        return ", ".join(parts)


STEADY = Mix()
LEAVERS = Mix(cancel=0.15, brk=0.1, deadline=0.1, wait_cancel=0.25, wait_deadline=0.1)


def _draw(rng: random.Random, kinds: list[tuple[str, float]], rest: str) -> str:
    x = rng.random()
    for kind, fraction in kinds:
        if x < fraction:
            return kind
        x -= fraction
    return rest


@dataclass(frozen=True)
class Config:
    seconds: float = 60
    streams: int = 200
    waiters: int = 20
    mix: Mix = STEADY
    rate: float = 50
    warmup: float = 5
    rss_bound_mb: float = 25
    channels: int = 4


@dataclass
class Tally:
    """What the clients saw."""

    ended: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, status): calls
    events: int = 0  # every event received
    events_of_stayers: int = 0  # those of the streams that ended OK, each checked once, in order
    unexpected: list[str] = field(default_factory=list)
    order_violations: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        if len(self.unexpected) < 20:
            self.unexpected.append(what)
        else:
            self.ended["unexpected (more)", "-"] += 1

    def stream_ended(self, kind: str, code: grpc.StatusCode, got: list[int], events: int) -> None:
        self.ended[kind, code.name] += 1
        self.events += len(got)
        if got != list(range(len(got))):
            self.order_violations.append(
                f"{kind}: {len(got)} events, first out of place at {_first_gap(got)}"
            )
        elif code == grpc.StatusCode.OK:
            if len(got) == events:
                self.events_of_stayers += events
            else:
                self.order_violations.append(f"{kind}: ended OK after {len(got)} of {events} events")
        elif code.name != EXPECTED[kind]:
            self.fail(f"{kind}: {code.name}")

    def status(self, kind: str) -> dict[str, int]:
        return {code: n for (k, code), n in sorted(self.ended.items()) if k == kind}


def stream_request(rng: random.Random, rate: float) -> tuple[runs_pb2.StreamRunRequest, int]:
    events = rng.randint(20, 200)
    knobs = {"events": events, "rate": rate, "mode": rng.choice(["updates", "messages"]), "size": 300}
    request = runs_pb2.StreamRunRequest(
        assistant_id="agent",
        input=json_format.ParseDict(knobs, struct_pb2.Value()),
        coalesce_events=rng.random() < 0.5,
        data_format=runs_pb2.DATA_FORMAT_JSON,
    )
    return request, events


def seqs_of(message: runs_pb2.StreamRunResponse) -> list[int]:
    """The sequence numbers in a message (the raw JSON form), in order; metadata carries none."""
    found = []
    for event in message.events or [message]:
        if event.event == "metadata":
            continue
        data = json.loads(event.data_json)
        found.append(fast_upstream.seq_of(data))
    return found


async def one_stream(runs: Any, rng: random.Random, config: Config, tally: Tally) -> None:
    request, events = stream_request(rng, config.rate)
    kind = config.mix.stream_kind(rng)
    timeout = rng.uniform(0.1, events / config.rate / 2) if kind == STREAM_DEADLINE else 120
    call = runs.StreamRun(request, timeout=timeout)
    got: list[int] = []
    try:
        if kind == BREAKS:
            async for message in call:
                got += seqs_of(message)
                break
            if not call.cancel():  # it had ended already: the rest counts too
                await read(call, got, None)
        else:
            await read(call, got, rng.randint(2, 5) if kind == CANCELS else None)
    except grpc.aio.AioRpcError:
        pass  # its status says why
    tally.stream_ended(kind, await call.code(), got, events)


async def read(call: Any, got: list[int], cancel_after: int | None) -> None:
    """Reads the stream's seqs into `got`; with `cancel_after`, cancels it after that many
    messages (unless it has ended by then: then it reads the rest)."""
    messages = 0
    async for message in call:
        got += seqs_of(message)
        messages += 1
        if messages == cancel_after and call.cancel():
            return


def _first_gap(got: list[int]) -> int:
    return next((i for i, n in enumerate(got) if n != i), len(got))


async def one_wait(runs: Any, rng: random.Random, config: Config, tally: Tally) -> None:
    kind = config.mix.wait_kind(rng)
    knobs: dict[str, Any] = {"wait_bytes": 1000}
    if kind != WAIT_STAYS:
        knobs["delay"] = WAIT_DELAY  # the client leaves while the upstream thinks
    request = runs_pb2.WaitRunRequest(
        assistant_id="agent", input=json_format.ParseDict(knobs, struct_pb2.Value())
    )
    call = runs.WaitRun(request, timeout=rng.uniform(0.05, 0.5) if kind == WAIT_DEADLINE else 30)
    if kind == WAIT_CANCELLED:
        await asyncio.sleep(rng.uniform(0.01, 0.5))
        call.cancel()
    code = await call.code()
    tally.ended[kind, code.name] += 1
    if code.name != EXPECTED[kind]:
        tally.fail(f"{kind}: {code.name}: {await call.details()}")
    elif code == grpc.StatusCode.OK and (await call).values.struct_value.fields["count"].number_value != 1:
        tally.fail(f"{kind}: unexpected values")


async def worker(job: Any, until: float, gone: asyncio.Event) -> None:
    while time.monotonic() < until and not gone.is_set():
        await job()


async def watch(
    gateway: procs.Gateway, until: float, samples: list[tuple[float, int]], gone: asyncio.Event
) -> None:
    """Samples the gateway's RSS each second; sets `gone` if it dies (the load stops then)."""
    start = time.monotonic()
    while time.monotonic() < until:
        if gateway.process.poll() is not None:
            gone.set()
            return
        samples.append((time.monotonic() - start, gateway.meter.sample().rss))
        await asyncio.sleep(1)


async def load(gateway: procs.Gateway, config: Config) -> tuple[Tally, list[tuple[float, int]]]:
    tally, gone = Tally(), asyncio.Event()
    samples: list[tuple[float, int]] = []
    until = time.monotonic() + config.seconds
    channels = [grpc.aio.insecure_channel(gateway.target) for _ in range(config.channels)]
    stubs = [runs_pb2_grpc.RunsServiceStub(channel) for channel in channels]
    try:
        jobs = []
        for n in range(config.streams):
            rng, runs = random.Random(n), stubs[n % len(stubs)]
            jobs.append(worker(lambda runs=runs, rng=rng: one_stream(runs, rng, config, tally), until, gone))
        for n in range(config.waiters):
            rng, runs = random.Random(-1 - n), stubs[n % len(stubs)]
            jobs.append(worker(lambda runs=runs, rng=rng: one_wait(runs, rng, config, tally), until, gone))
        await asyncio.gather(watch(gateway, until, samples, gone), *jobs)
    finally:
        for channel in channels:
            await channel.close()
    return tally, samples


def upstream_connections(process: psutil.Process, upstream_port: int) -> int:
    return sum(
        1
        for c in process.net_connections(kind="tcp")
        if c.raddr and c.raddr.port == upstream_port and c.status == psutil.CONN_ESTABLISHED
    )


def settle(measure: Any, at_most: int, within: float = 15) -> int:
    deadline = time.monotonic() + within
    while (value := measure()) > at_most and time.monotonic() < deadline:
        time.sleep(0.2)
    return int(value)


@dataclass
class GatewayEnd:
    """How the gateway process fared, from its exit and its own output."""

    died_during_load: int | None  # its exit code, had it ended before the load did
    exit_code: int | None  # after the SIGTERM that stopped it
    access: Counter[str]  # its access lines, by "Method STATUS"
    tracebacks: int
    tail: str

    @classmethod
    def read(cls, died: int | None, exit_code: int | None, log: Path) -> GatewayEnd:
        text = log.read_text(errors="replace")
        access: Counter[str] = Counter()
        for line in text.splitlines():
            if line.startswith('{"method"'):
                fields = json.loads(line)
                access[f"{fields['method'].rsplit('/', 1)[1]} {fields['code']}"] += 1
        return cls(died, exit_code, access, text.count("Traceback"), text[-3000:])

    def failures(self) -> list[str]:
        found = []
        if self.died_during_load is not None:
            found.append(f"the gateway {procs.exit_description(self.died_during_load)} during the load")
        elif self.exit_code != 0:
            found.append(
                f"the gateway {procs.exit_description(self.exit_code)} on the SIGTERM that stopped it"
            )
        if self.tracebacks:
            found.append(f"the gateway logged {self.tracebacks} traceback(s)")
        if not self.access:
            found.append("the gateway wrote no access line")
        return found


@dataclass
class Outcome:
    config: Config
    tally: Tally
    samples: list[tuple[float, int]]
    fds_before: int
    fds_after: int
    connections_after: int
    elapsed: float
    gateway: GatewayEnd

    @property
    def rss_growth_mb(self) -> float:
        steady = [rss for at, rss in self.samples if at >= self.config.warmup] or [r for _, r in self.samples]
        if not steady:
            return 0.0
        quarter = max(1, len(steady) // 4)
        return (statistics.median(steady[-quarter:]) - statistics.median(steady[:quarter])) / MB

    def failures(self) -> list[str]:
        found = self.gateway.failures()
        found += [f"unexpected status: {what}" for what in self.tally.unexpected]
        found += [f"events out of order, lost or repeated: {what}" for what in self.tally.order_violations]
        if self.rss_growth_mb >= self.config.rss_bound_mb:
            found.append(
                f"gateway RSS grew {self.rss_growth_mb:.1f} MB (bound {self.config.rss_bound_mb} MB)"
            )
        if self.connections_after:
            found.append(f"{self.connections_after} upstream connections still open after the load")
        if self.fds_after > self.fds_before + 10:
            found.append(f"file descriptors {self.fds_before} before, {self.fds_after} after")
        if not self.tally.ended[STAYS, OK] or not self.tally.ended[WAIT_STAYS, OK]:
            found.append("no stream or no WaitRun stayed to the end")
        return found

    def summary(self) -> dict[str, Any]:
        rss = [r for _, r in self.samples]
        failures = self.failures()
        return {
            "seconds": round(self.elapsed, 1),
            "mix": dataclasses.asdict(self.config.mix),
            "calls": {kind: self.tally.status(kind) for kind in EXPECTED if self.tally.status(kind)},
            "events": self.tally.events,
            "events_of_stayers": self.tally.events_of_stayers,
            "gateway": {
                "died_during_load": self.gateway.died_during_load,
                "exit_code": self.gateway.exit_code,
                "access_lines": dict(sorted(self.gateway.access.items())),
            },
            "rss_mb": {"first": _mb(rss[0]), "max": _mb(max(rss)), "last": _mb(rss[-1])} if rss else {},
            "rss_growth_mb": round(self.rss_growth_mb, 1),
            "fds": [self.fds_before, self.fds_after],
            "upstream_connections_after": self.connections_after,
            "failures": failures,
            **({"gateway_output_tail": self.gateway.tail} if self.gateway.failures() else {}),
        }

    def markdown(self) -> str:
        s, c = self.summary(), self.config
        verdict = "**failed**: " + "; ".join(s["failures"]) if s["failures"] else "**all checks held**."
        mode = " --leavers" if c.mix == LEAVERS else ""
        lines = [
            "# Soak",
            "",
            f"`python bench/soak.py{mode} --seconds {c.seconds:g} --streams {c.streams} --waiters "
            f"{c.waiters}`, {datetime.date.today().isoformat()}, on {procs.machine()['cpu']} "
            f"({procs.machine()['cores']}); load average after: {procs.load_average()}.",
            "",
            f"{c.streams} StreamRun workers (runs of 20-200 events at {c.rate:g}/s, half coalesced, raw "
            f"JSON) and {c.waiters} WaitRun workers, each calling in a loop, through one gateway process "
            f"on its default flags (access log on), on {c.channels} client channels. Leaving early: "
            f"{c.mix.text()}.",
            "",
            "| calls, by kind | ended with (client side) |",
            "|---|---|",
            *(f"| {kind} | {_counts(codes)} |" for kind, codes in s["calls"].items()),
            "",
            "| figure | value |",
            "|---|---|",
            *(f"| {figure} | {value} |" for figure, value in self._figures(s)),
            "",
            f"Result: {verdict}",
            "",
        ]
        if "gateway_output_tail" in s:
            lines += ["The last of the gateway's output:", "", "```", s["gateway_output_tail"], "```", ""]
        return "\n".join(lines)

    def _figures(self, s: dict[str, Any]) -> list[tuple[str, object]]:
        c, t, rss = self.config, self.tally, s["rss_mb"]
        return [
            ("duration", f"{s['seconds']} s"),
            ("events delivered", f"{t.events} ({t.events / max(self.elapsed, 1e-9):,.0f}/s)"),
            ("events of the streams that ended OK, each checked once by `seq`", t.events_of_stayers),
            ("unexpected statuses", len(t.unexpected)),
            ("streams with events lost, repeated or out of order", len(t.order_violations)),
            ("gateway access lines", _counts(s["gateway"]["access_lines"])),
            ("gateway end", self._gateway_end()),
            (
                "gateway RSS: first sample, max, last",
                f"{rss.get('first')}, {rss.get('max')}, {rss.get('last')} MB",
            ),
            ("gateway RSS every 10 s (MB)", ", ".join(str(_mb(r)) for _, r in self.samples[::10])),
            (
                f"RSS growth, first to last quarter after {c.warmup:g} s warm-up",
                f"{s['rss_growth_mb']} MB (bound {c.rss_bound_mb:g} MB)",
            ),
            ("gateway file descriptors before / after", f"{self.fds_before} / {self.fds_after}"),
            ("upstream connections left after the load", self.connections_after),
        ]

    def _gateway_end(self) -> str:
        if self.gateway.died_during_load is not None:
            return f"{procs.exit_description(self.gateway.died_during_load)} during the load"
        return f"{procs.exit_description(self.gateway.exit_code)} on SIGTERM"


def _mb(value: int) -> float:
    return round(value / MB, 1)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items())


def soak(config: Config, log: Path) -> Outcome:
    """The load against a gateway on its default flags, its output in `log`."""
    procs.pin_self()
    with procs.Upstream() as upstream:
        gateway = procs.Gateway(upstream.url, flags=(), log=log)
        with gateway:
            process = gateway.meter.root
            fds_before = process.num_fds()
            started = time.monotonic()
            tally, samples = asyncio.run(load(gateway, config))
            elapsed = time.monotonic() - started
            died = gateway.process.poll()
            if died is None:
                connections = settle(lambda: upstream_connections(process, upstream.port), 0)
                fds_after = settle(process.num_fds, fds_before + 10)
            else:
                connections, fds_after = 0, fds_before  # nothing left to measure
        end = GatewayEnd.read(died, gateway.exit_code, log)
        return Outcome(config, tally, samples, fds_before, fds_after, connections, elapsed, end)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--waiters", type=int, default=20)
    parser.add_argument("--leavers", action="store_true", help="the mix with many clients that leave early")
    parser.add_argument("--cancel-fraction", type=float, help="of streams that cancel after a few messages")
    parser.add_argument("--deadline-fraction", type=float, help="of streams whose deadline passes mid-stream")
    parser.add_argument("--rss-bound", type=float, default=25, help="MB of RSS growth allowed")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {REPORT.name}")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary as the last line")
    args = parser.parse_args()
    mix = LEAVERS if args.leavers else STEADY
    if args.cancel_fraction is not None:
        mix = dataclasses.replace(mix, cancel=args.cancel_fraction)
    if args.deadline_fraction is not None:
        mix = dataclasses.replace(mix, deadline=args.deadline_fraction)
    config = Config(
        seconds=args.seconds,
        streams=args.streams,
        waiters=args.waiters,
        mix=mix,
        rss_bound_mb=args.rss_bound,
        warmup=min(5, args.seconds / 4),
    )
    with tempfile.TemporaryDirectory(prefix="soak-") as directory:
        outcome = soak(config, Path(directory) / "gateway.log")
    text = outcome.markdown()
    print(text)
    if not args.no_write:
        Path(REPORT).write_text(text)
    if args.json:
        print(json.dumps(outcome.summary()))
    return 1 if outcome.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
