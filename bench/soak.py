"""A bounded soak: many concurrent streams and unary calls through one gateway process, with faults.

    python bench/soak.py                   # 60 s, 200 streams, 20 WaitRun loops; writes bench/SOAK.md
    python bench/soak.py --seconds 15 --no-write --json   # what tests/test_soak.py runs

The fast upstream (bench/fast_upstream.py) and the gateway run as their own processes (bench/procs.py
pins them). Each stream worker opens StreamRun after StreamRun for the whole time (a random run of
20-200 events at 50 a second, `updates` or `messages`, half of them coalesced); a fraction of them
is cancelled mid-stream and another fraction runs past its deadline: those are the injected faults.
WaitRun workers call in a loop. It checks:

- no error but the injected ones (CANCELLED, DEADLINE_EXCEEDED where a deadline was set short);
- every event exactly once, in order: each stream's `seq` numbers are 0, 1, 2, ... with no gap or
  repeat, all of them for a stream that was not cut;
- steady memory: the gateway's RSS, sampled each second, grows by less than --rss-bound MB from
  the first quarter of the run (after a warm-up) to the last;
- nothing left behind: once the load stops, the gateway's upstream connections close and its
  file descriptors come back to where they were before.

Exit status 0 when every check holds; the report (Markdown) goes to stdout, and to bench/SOAK.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import procs
import psutil
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

MB = 1024 * 1024
REPORT = procs.BENCH / "SOAK.md"


@dataclass(frozen=True)
class Config:
    seconds: float = 60
    streams: int = 200
    waiters: int = 20
    cancel_fraction: float = 0.1
    deadline_fraction: float = 0.05
    rate: float = 50
    warmup: float = 5
    rss_bound_mb: float = 25
    channels: int = 4


@dataclass
class Tally:
    """What the workers saw."""

    streams: Counter[str] = field(default_factory=Counter)  # complete, cancelled, deadline
    waits: int = 0
    events: int = 0
    unexpected: list[str] = field(default_factory=list)
    order_violations: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        if len(self.unexpected) < 20:
            self.unexpected.append(what)
        else:
            self.streams["unexpected (more)"] += 1


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
        found.append(data["seq"] if isinstance(data, dict) else data[0]["seq"])  # messages: [chunk, meta]
    return found


async def one_stream(runs: Any, rng: random.Random, config: Config, tally: Tally) -> None:
    request, events = stream_request(rng, config.rate)
    fault = rng.random()
    cancel_at = rng.randint(1, events - 1) if fault < config.cancel_fraction else None
    short_deadline = config.cancel_fraction <= fault < config.cancel_fraction + config.deadline_fraction
    timeout = rng.uniform(0.1, events / config.rate / 2) if short_deadline else 120
    call = runs.StreamRun(request, timeout=timeout)
    got: list[int] = []
    try:
        async for message in call:
            got += seqs_of(message)
            if cancel_at is not None and len(got) >= cancel_at:
                call.cancel()
                break
    except grpc.aio.AioRpcError as exc:
        if not (short_deadline and exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED):
            tally.fail(f"StreamRun: {exc.code().name}: {exc.details()}")
            return
    tally.events += len(got)
    if got != list(range(len(got))):
        tally.order_violations.append(f"{len(got)} events, first out of place at {_first_gap(got)}")
    if cancel_at is not None:
        tally.streams["cancelled (injected)"] += 1
    elif len(got) < events:
        if short_deadline:
            tally.streams["past the deadline (injected)"] += 1
        else:
            tally.fail(f"StreamRun ended OK after {len(got)} of {events} events")
    else:
        tally.streams["complete"] += 1


def _first_gap(got: list[int]) -> int:
    return next((i for i, n in enumerate(got) if n != i), len(got))


async def one_wait(runs: Any, tally: Tally) -> None:
    request = runs_pb2.WaitRunRequest(
        assistant_id="agent", input=json_format.ParseDict({"wait_bytes": 1000}, struct_pb2.Value())
    )
    try:
        answer = await runs.WaitRun(request, timeout=30)
    except grpc.aio.AioRpcError as exc:
        tally.fail(f"WaitRun: {exc.code().name}: {exc.details()}")
        return
    if answer.values.struct_value.fields["count"].number_value != 1:
        tally.fail("WaitRun: unexpected values")
    tally.waits += 1


async def worker(job: Any, until: float) -> None:
    while time.monotonic() < until:
        await job()


async def sample_rss(meter: procs.Meter, until: float, samples: list[tuple[float, int]]) -> None:
    start = time.monotonic()
    while time.monotonic() < until:
        samples.append((time.monotonic() - start, meter.sample().rss))
        await asyncio.sleep(1)


async def load(target: str, meter: procs.Meter, config: Config) -> tuple[Tally, list[tuple[float, int]]]:
    tally, samples = Tally(), []
    until = time.monotonic() + config.seconds
    channels = [grpc.aio.insecure_channel(target) for _ in range(config.channels)]
    stubs = [runs_pb2_grpc.RunsServiceStub(channel) for channel in channels]
    try:
        jobs = []
        for n in range(config.streams):
            rng, runs = random.Random(n), stubs[n % len(stubs)]
            jobs.append(worker(lambda runs=runs, rng=rng: one_stream(runs, rng, config, tally), until))
        for n in range(config.waiters):
            runs = stubs[n % len(stubs)]
            jobs.append(worker(lambda runs=runs: one_wait(runs, tally), until))
        await asyncio.gather(sample_rss(meter, until, samples), *jobs)
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
class Outcome:
    config: Config
    tally: Tally
    samples: list[tuple[float, int]]
    fds_before: int
    fds_after: int
    connections_after: int
    elapsed: float

    @property
    def rss_growth_mb(self) -> float:
        steady = [rss for at, rss in self.samples if at >= self.config.warmup] or [r for _, r in self.samples]
        quarter = max(1, len(steady) // 4)
        return (statistics.median(steady[-quarter:]) - statistics.median(steady[:quarter])) / MB

    def failures(self) -> list[str]:
        found = [f"unexpected error: {what}" for what in self.tally.unexpected]
        found += [f"events out of order, lost or repeated: {what}" for what in self.tally.order_violations]
        if self.rss_growth_mb >= self.config.rss_bound_mb:
            found.append(
                f"gateway RSS grew {self.rss_growth_mb:.1f} MB (bound {self.config.rss_bound_mb} MB)"
            )
        if self.connections_after:
            found.append(f"{self.connections_after} upstream connections still open after the load")
        if self.fds_after > self.fds_before + 10:
            found.append(f"file descriptors {self.fds_before} before, {self.fds_after} after")
        if not self.tally.streams["complete"] or not self.tally.waits:
            found.append("no stream or no WaitRun completed")
        return found

    def summary(self) -> dict[str, Any]:
        rss = [r for _, r in self.samples]
        return {
            "seconds": round(self.elapsed, 1),
            "streams": dict(self.tally.streams),
            "waits": self.tally.waits,
            "events": self.tally.events,
            "rss_mb": {"first": _mb(rss[0]), "max": _mb(max(rss)), "last": _mb(rss[-1])} if rss else {},
            "rss_growth_mb": round(self.rss_growth_mb, 1),
            "fds": [self.fds_before, self.fds_after],
            "upstream_connections_after": self.connections_after,
            "failures": self.failures(),
        }

    def markdown(self) -> str:
        s, c = self.summary(), self.config
        streams = sum(self.tally.streams.values())
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.tally.streams.items()))
        verdict = "**failed**: " + "; ".join(s["failures"]) if s["failures"] else "**all checks held**."
        lines = [
            "# Soak",
            "",
            f"`python bench/soak.py --seconds {c.seconds:g} --streams {c.streams} --waiters {c.waiters}`, "
            f"{datetime.date.today().isoformat()}, on {procs.machine()['cpu']} "
            f"({procs.machine()['cores']}); load average after: {procs.load_average()}.",
            "",
            f"{c.streams} StreamRun workers (runs of 20-200 events at {c.rate:g}/s, half coalesced, raw "
            f"JSON) and {c.waiters} WaitRun workers, each calling in a loop, through one gateway process "
            f"on {c.channels} client channels. Injected: {c.cancel_fraction:.0%} of streams cancelled "
            f"mid-stream, {c.deadline_fraction:.0%} given a deadline shorter than the run.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| duration | {s['seconds']} s |",
            f"| streams | {streams} ({kinds}) |",
            f"| WaitRun calls | {self.tally.waits} |",
            f"| events delivered, each checked by `seq` | {self.tally.events} "
            f"({self.tally.events / max(self.elapsed, 1e-9):,.0f}/s) |",
            f"| errors other than the injected ones | {len(self.tally.unexpected)} |",
            f"| events lost, repeated or out of order | {len(self.tally.order_violations)} streams |",
            f"| gateway RSS: first sample, max, last | {s['rss_mb'].get('first')} MB, "
            f"{s['rss_mb'].get('max')} MB, {s['rss_mb'].get('last')} MB |",
            f"| gateway RSS every 10 s (MB) | {', '.join(str(_mb(rss)) for _, rss in self.samples[::10])} |",
            f"| RSS growth, first to last quarter after {c.warmup:g} s warm-up | {s['rss_growth_mb']} MB "
            f"(bound {c.rss_bound_mb:g} MB) |",
            f"| gateway file descriptors before / after | {self.fds_before} / {self.fds_after} |",
            f"| upstream connections left after the load | {self.connections_after} |",
            "",
            f"Result: {verdict}",
            "",
        ]
        return "\n".join(lines)


def _mb(value: int) -> float:
    return round(value / MB, 1)


def soak(config: Config) -> Outcome:
    procs.pin_self()
    with procs.Upstream() as upstream, procs.Gateway(upstream.url) as gateway:
        process = gateway.meter.root
        fds_before = process.num_fds()
        started = time.monotonic()
        tally, samples = asyncio.run(load(gateway.target, gateway.meter, config))
        elapsed = time.monotonic() - started
        connections = settle(lambda: upstream_connections(process, upstream.port), 0)
        fds_after = settle(process.num_fds, fds_before + 10)
        return Outcome(config, tally, samples, fds_before, fds_after, connections, elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--waiters", type=int, default=20)
    parser.add_argument("--cancel-fraction", type=float, default=0.1)
    parser.add_argument("--deadline-fraction", type=float, default=0.05)
    parser.add_argument("--rss-bound", type=float, default=25, help="MB of RSS growth allowed")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {REPORT.name}")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary as the last line")
    args = parser.parse_args()
    config = Config(
        seconds=args.seconds,
        streams=args.streams,
        waiters=args.waiters,
        cancel_fraction=args.cancel_fraction,
        deadline_fraction=args.deadline_fraction,
        rss_bound_mb=args.rss_bound,
        warmup=min(5, args.seconds / 4),
    )
    outcome = soak(config)
    text = outcome.markdown()
    print(text)
    if not args.no_write:
        Path(REPORT).write_text(text)
    if args.json:
        print(json.dumps(outcome.summary()))
    return 1 if outcome.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
