"""Instructions per call: a server's user-space work counted by callgrind, not timed.

CPU time on a shared VM swings with whatever else runs there (the least of several repetitions
tames it, never fully). An instruction count does not: the same calls through the same server
cost the same count, whatever the neighbours do. So beside the CPU ratios, versus_floor shows the
gateway's instructions per call over the floor's. A count leaves out what the kernel does for
the process (its syscalls, its sockets) and what cache misses cost, so it is the steady
counterpart of the CPU ratio, not a replacement for it.

    with counted(Gateway)(upstream.url) as server:
        per_call = instructions(server, call, calls=200)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from procs import Gateway

WARM_UP = 30  # calls before counting: the first ones import and fill caches


def available() -> bool:
    return shutil.which("valgrind") is not None and shutil.which("callgrind_control") is not None


def counted(server: type[Gateway]) -> type[Gateway]:
    """`server` (procs.Gateway, procs.Floor) started under callgrind, counting from the start."""

    class Counted(server):  # type: ignore[valid-type, misc]
        checked = False  # the product's own exit is checked by every other scenario
        ready_timeout = 300  # about 50 times slower to start under valgrind

        def command(self) -> list[str]:
            self.counts = Path(tempfile.mkdtemp(prefix="bench-callgrind-")) / "callgrind.out"
            valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.counts}"]
            return [*valgrind, *super().command(), *self.timers_off]

        @property
        def timers_off(self) -> tuple[str, ...]:
            # The one flag off its default, and only for the gateway: its upstream health probe
            # runs every 5 s of wall-clock time, and under valgrind the same calls take about 50
            # times longer, so the probes' work would be counted 50 times over into each call.
            return ("--upstream-health-interval", "0") if server is Gateway else ()

    return Counted


def instructions(server: Gateway, call: Callable[[], object], calls: int) -> float:
    """Instructions per call of `server` (started by `counted`) over `calls` calls, after a
    warm-up (as many calls, up to WARM_UP): the counters are zeroed, the calls made, the counts
    dumped and read."""
    for _ in range(min(WARM_UP, calls)):
        call()
    counts: Path = server.counts  # type: ignore[attr-defined]
    dumped = set(_dumps(counts))
    _control("-z", server)
    for _ in range(calls):
        call()
    _control("-d", server)
    return _summary(counts, dumped) / calls


def _dumps(counts: Path) -> list[Path]:
    """The dumps callgrind_control -d has written: callgrind.out.1, .2, ..."""
    return sorted(counts.parent.glob(counts.name + ".*"))


def _control(flag: str, server: Gateway) -> None:
    subprocess.run(["callgrind_control", flag, str(server.process.pid)], capture_output=True, check=True)


def _summary(counts: Path, before: set[Path], within: float = 60) -> int:
    """The instruction total of the dump written since `before`, once callgrind has written it."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for dump in set(_dumps(counts)) - before:
            for line in dump.read_text(errors="replace").splitlines():
                if line.startswith("summary:"):
                    return int(line.split()[1])
        time.sleep(0.2)
    raise RuntimeError(f"callgrind wrote no new dump beside {counts} within {within:g} s")
