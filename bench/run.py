"""The benchmark suite: the gateway against direct HTTP to the same fast upstream, side by side.

    python bench/run.py            # every scenario, writes bench/RESULTS.md and bench/results/*.png
    python bench/run.py --quick    # a smoke run of every scenario in a few minutes
    python bench/run.py --quick --no-write --only wait,throughput

It starts bench/fast_upstream.py and the gateway (`python -m langgraph_grpc_gateway`) as their
own processes, the gateway pinned to one core and everything else to the other, then runs each
scenario and prints the report (Markdown) on stdout.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable
from pathlib import Path

import beside_real
import concurrency
import floor
import latency
import loadtools
import procs
import report
import throughput
import versus_floor

RESULTS = procs.BENCH / "RESULTS.md"
SCENARIOS = (
    "versus_floor",
    "beside_real",
    "wait",
    "first_event",
    "throughput",
    "concurrency",
    "load",
    "workers",
    "floor",
)


def configs(quick: bool) -> dict[str, object]:
    if quick:
        return {
            "versus_floor": versus_floor.Config(
                events=2000,
                calls=100,
                repetitions=2,
                admission=concurrency.Config(levels=[50], seconds=4),
                admission_repetitions=1,
                profile_seconds=2,
                counted_calls=5,
            ),
            "beside_real": beside_real.QUICK,
            "wait": latency.Config(calls=100, repetitions=2, warmup=10),
            "first_event": latency.Config(calls=50, repetitions=2, warmup=10),
            "throughput": throughput.Config(events=2000, repetitions=2),
            "concurrency": concurrency.Config(levels=[50], seconds=4, other_open_rates=[25]),
            "load": loadtools.Config(seconds=1, repetitions=1),
            "workers": loadtools.Config(seconds=1, repetitions=1),
            "floor": floor.Config(
                wait=latency.Config(calls=100, repetitions=2, warmup=10),
                throughput=throughput.Config(events=2000, repetitions=2),
                concurrency=concurrency.Config(levels=[50], seconds=4),
            ),
        }
    return {
        "versus_floor": versus_floor.Config(
            events=4000, calls=200, repetitions=25, admission=concurrency.Config(levels=[2000], seconds=12)
        ),
        "beside_real": beside_real.Config(),
        "wait": latency.Config(calls=1000, repetitions=5),
        "first_event": latency.Config(calls=300, repetitions=5),
        "throughput": throughput.Config(events=20000, repetitions=5),
        "concurrency": concurrency.Config(
            levels=[100, 500, 1000, 2000], seconds=12, other_open_rates=[50, 100]
        ),
        "load": loadtools.Config(seconds=5, repetitions=3),
        "workers": loadtools.Config(seconds=5, repetitions=2),
        "floor": floor.Config(
            wait=latency.Config(calls=1000, repetitions=5),
            throughput=throughput.Config(events=20000, repetitions=5),
            concurrency=concurrency.Config(levels=[2000], seconds=12),
        ),
    }


def run(only: list[str], quick: bool) -> tuple[list[report.Section], dict[str, str]]:
    """Each scenario's section, and how busy the cores were as it started (procs.settle)."""
    chosen = configs(quick)
    sections, settled = [], {}
    with procs.Upstream() as upstream, procs.Gateway(upstream.url) as gateway:
        steps: dict[str, Callable[[], report.Section]] = {
            "versus_floor": lambda: versus_floor.section(upstream, chosen["versus_floor"]),  # type: ignore[arg-type]
            "beside_real": lambda: beside_real.section(chosen["beside_real"]),  # type: ignore[arg-type]
            "wait": lambda: latency.wait_section(upstream, gateway, chosen["wait"]),  # type: ignore[arg-type]
            "first_event": lambda: latency.first_event_section(upstream, gateway, chosen["first_event"]),  # type: ignore[arg-type]
            "throughput": lambda: throughput.section(upstream, gateway, chosen["throughput"]),  # type: ignore[arg-type]
            "concurrency": lambda: concurrency.section(upstream, chosen["concurrency"]),  # type: ignore[arg-type]
            "load": lambda: loadtools.section(upstream, gateway, chosen["load"]),  # type: ignore[arg-type]
            "workers": lambda: loadtools.workers_section(upstream.url, chosen["workers"]),  # type: ignore[arg-type]
            "floor": lambda: floor.section(upstream, chosen["floor"]),  # type: ignore[arg-type]
        }
        for key in only:
            settled[key] = procs.settle()
            started = time.monotonic()
            print(f"scenario {key}: running (cores {settled[key]})", file=sys.stderr, flush=True)
            sections.append(steps[key]())
            print(f"scenario {key}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return sections, settled


def header(
    quick: bool,
    start: tuple[str, str],
    end: tuple[str, str],
    seconds: float,
    only: list[str],
    settled: dict[str, str],
) -> str:
    """The machine and its load: (load average, per-core busy % of other work) at start and end."""
    lines = [
        "# Benchmark results",
        "",
        "Regenerated by `python bench/run.py`"
        + (" --quick (a smoke run: too short to trust)" if quick else "")
        + (
            f" --only {','.join(only)} (the other scenarios were not run)"
            if set(only) != set(SCENARIOS)
            else ""
        )
        + f" on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} min. "
        "The direct path (langgraph-sdk, httpx, httpx-sse, aiohttp, hey) and the gateway path (gRPC clients "
        "through `python -m langgraph_grpc_gateway`) read the same fast upstream (bench/fast_upstream.py) in "
        "the same run. The gateway is one process pinned to one core; the upstream and the clients share the "
        "other core. This is a shared VM where other work may run: the load average is noted, and every "
        "figure is a median over repetitions with its spread. The gateway runs as "
        "`python -m langgraph_grpc_gateway --upstream URL --listen 127.0.0.1:PORT --workers 1`, on its "
        "default flags as deployed (access log on, written to a file; a fresh one per concurrency level "
        "and per workers setting). "
        "When the cores are busy with other work, wall-clock figures (latency, events/s, delays) are "
        "inflated and spread widely; the gateway's CPU per call or per event is the steadier figure.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in procs.machine().items()),
        f"| load average at start (1, 5, 15 min) | {start[0]} |",
        f"| cores busy with other work at start (1 s, none of ours running) | {start[1]} |",
        *(
            f"| cores busy as `{key}` started (the last second of a wait for every core under "
            f"{procs.QUIET:.0f}%, at most {procs.SETTLE_LIMIT:.0f} s) | {found} |"
            for key, found in settled.items()
        ),
        f"| load average at end | {end[0]} |",
        f"| cores busy with other work at end | {end[1]} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run of every scenario")
    parser.add_argument("--no-write", action="store_true", help="print the report only; write no files")
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"scenarios, comma-separated: {SCENARIOS}"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the report")
    args = parser.parse_args(argv)
    only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {sorted(unknown)}")
    procs.pin_self()
    load_start, busy_start, started = procs.load_average(), procs.busy(), time.monotonic()
    sections, settled = run(only, args.quick)
    elapsed, load_end, busy_end = time.monotonic() - started, procs.load_average(), procs.busy()
    text_header = header(args.quick, (load_start, busy_start), (load_end, busy_end), elapsed, only, settled)
    print(report.markdown(text_header, sections))
    if not args.no_write:
        report.write(args.output, text_header, sections)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
