"""The processes under test: the fast upstream and the gateway, each pinned to its own cores.

On this kind of small VM the gateway gets the last core to itself and everything else (the
upstream, the clients, the load tools) shares the first, so the gateway's CPU per event is its own.

    with Upstream() as upstream, Gateway(upstream.url) as gateway:
        ...  # gateway.target is "127.0.0.1:PORT"; gateway.meter() samples its CPU and memory
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import grpc
import psutil
from langgraph_grpc_gateway import event_loop

BENCH = Path(__file__).resolve().parent
CPUS = sorted(os.sched_getaffinity(0))
GATEWAY_CPUS = {CPUS[-1]}
OTHER_CPUS = {CPUS[0]} if len(CPUS) > 1 else set(CPUS)


def pin_self() -> None:
    """Put this process (the clients) on the cores that are not the gateway's."""
    os.sched_setaffinity(0, OTHER_CPUS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(argv: list[str], cpus: set[int], **kwargs: object) -> subprocess.Popen[bytes]:
    """Start argv with its CPU affinity set before exec, so every thread it makes inherits it.

    taskset sets it and execs argv (same pid). Not preexec_fn: that runs Python in a fork of this
    process, whose grpc threads do not survive it (a broken poller here, "epoll_wait error: Bad
    file descriptor", then channels that never become ready)."""
    cores = ",".join(str(cpu) for cpu in sorted(cpus))
    return subprocess.Popen(["taskset", "-c", cores, *argv], **kwargs)  # type: ignore[call-overload]


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> int:
    """SIGTERM (SIGKILL after `timeout`); the exit code, as Popen.returncode says it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


def exit_description(code: int | None) -> str:
    """How a process ended: "died from SIGSEGV", "exited with 1", "exited with 0"."""
    if code is None:
        return "is still running"
    if code < 0:
        try:
            return f"died from {signal.Signals(-code).name}"
        except ValueError:
            return f"died from signal {-code}"
    return f"exited with {code}"


@dataclass
class Sample:
    """CPU seconds, seconds spent runnable but waiting for a CPU (summed over threads, from
    /proc/PID/task/*/schedstat), and resident memory of a process tree at one moment."""

    at: float
    cpu: float
    rss: int
    waited: float = 0.0

    def cpu_percent_since(self, earlier: Sample) -> float:
        return 100 * (self.cpu - earlier.cpu) / max(self.at - earlier.at, 1e-9)

    def wait_percent_since(self, earlier: Sample) -> float:
        """How much of the time the process had work but no CPU: other work on its core."""
        return 100 * (self.waited - earlier.waited) / max(self.at - earlier.at, 1e-9)


def _waited(pid: int) -> float:
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def cpu_seconds(process: psutil.Process) -> float:
    """The process's CPU time (every thread's, user and system), to the nanosecond where the
    kernel gives it: Linux's CPU-time clock of another process, (~pid << 3) | CPUCLOCK_SCHED.

    Why not psutil's cpu_times(): /proc/PID/stat counts in clock ticks (10 ms), user and system
    each rounded down. Over a repetition of 1,000 WaitRuns (about 0.6 s of CPU) that is up to
    3% either way, more than the distance between the gateway and the floor a target allows."""
    try:
        return time.clock_gettime((~process.pid << 3) | 2)
    except OSError:  # not Linux, or the process is gone: what psutil says
        times = process.cpu_times()
        return float(times.user + times.system)


class Meter:
    """Samples a process and its children (the workers of --workers N): CPU time (cpu_seconds),
    memory and time waiting for a CPU."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)

    def processes(self) -> list[psutil.Process]:
        return [self.root, *self.root.children(recursive=True)]

    def split(self) -> dict[int, float]:
        """CPU seconds of each process so far, by pid."""
        found = {}
        for process in self.processes():
            try:
                found[process.pid] = cpu_seconds(process)
            except psutil.NoSuchProcess:
                continue
        return found

    def sample(self) -> Sample:
        cpu, rss, waited = 0.0, 0, 0.0
        for process in self.processes():
            try:
                memory = process.memory_info()
                cpu += cpu_seconds(process)
            except psutil.NoSuchProcess:
                continue
            rss += memory.rss
            waited += _waited(process.pid)
        return Sample(time.monotonic(), cpu, rss, waited)


class Upstream:
    """bench/fast_upstream.py in its own process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Upstream:
        argv = [sys.executable, str(BENCH / "fast_upstream.py"), "--port", str(self.port)]
        self.process = spawn(argv, OTHER_CPUS)
        _wait_until(lambda: _http_ok(self.url + "/ok"), "the fast upstream")
        self.meter = Meter(self.process.pid)
        return self

    def __exit__(self, *_: object) -> None:
        stop(self.process)


class Gateway:
    """`python -m langgraph_grpc_gateway` in its own process, pinned to the gateway's cores, on
    its default flags as deployed (access log on) plus any `flags`; its output goes to `log` (a
    temporary file when not given), as a deployment collects it.

    After the `with` block, `exit_code` is how it ended; anything but 0 after the SIGTERM that
    stops it (a crash, an error exit) raises, so no figure comes from a gateway that died."""

    checked = True  # the bare servers below are not the product: how they end is not checked
    ready_timeout = 30.0  # seconds to wait for it to serve

    def __init__(
        self,
        upstream: str,
        workers: int = 1,
        cpus: set[int] | None = None,
        flags: tuple[str, ...] = (),
        log: Path | None = None,
    ) -> None:
        self.upstream, self.workers, self.flags = upstream, workers, flags
        self._own_log = log is None  # removed after a clean stop; kept to read after a failure
        self.log = log or Path(tempfile.mkstemp(prefix="bench-gateway-", suffix=".log")[1])
        self.cpus = cpus or GATEWAY_CPUS
        self.port = free_port()
        self.target = f"127.0.0.1:{self.port}"
        self.exit_code: int | None = None

    def command(self) -> list[str]:
        argv = [sys.executable, "-m", "langgraph_grpc_gateway", "--upstream", self.upstream]
        argv += ["--listen", self.target, *self.flags]
        return [*argv, "--workers", str(self.workers)]

    def __enter__(self) -> Gateway:
        with self.log.open("wb") as out:
            self.process = spawn(self.command(), self.cpus, stdout=out, stderr=subprocess.STDOUT)
        try:
            with grpc.insecure_channel(self.target) as channel:
                grpc.channel_ready_future(channel).result(timeout=self.ready_timeout)
            self.meter = Meter(self.process.pid)
            if self.workers > 1:
                _wait_until(lambda: len(self.meter.processes()) > self.workers, "the gateway workers")
                time.sleep(1)  # every worker bound the port
        except BaseException:
            stop(self.process)  # a start that failed leaves no process behind (__exit__ never runs)
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.exit_code = stop(self.process)
        if self.checked and self.exit_code != 0:
            tail = self.log.read_bytes()[-3000:].decode(errors="replace")
            raise RuntimeError(f"the gateway {exit_description(self.exit_code)}; its log ends:\n{tail}")
        if self._own_log:
            self.log.unlink(missing_ok=True)


class Bare(Gateway):
    """bench/bare_server.py where the gateway would be: grpc.aio with canned answers (or, with a
    relay, one plain aiohttp POST per WaitRun)."""

    checked = False

    def __init__(self, relay: str | None = None, library: str = "grpcio") -> None:
        super().__init__(upstream="")
        self.relay, self.library = relay, library

    def command(self) -> list[str]:
        relay = ["--relay", self.relay] if self.relay else []
        argv = [sys.executable, str(BENCH / "bare_server.py"), "--listen", self.target, *relay]
        return [*argv, "--library", self.library]


class Floor(Gateway):
    """bench/least_proxy.py where the gateway would be: the least proxy on the gateway's stack,
    relaying to `upstream`; the floor every target is a ratio to."""

    checked = False

    def __init__(self, upstream: str, admission_log: Path | None = None) -> None:
        super().__init__(upstream)
        self.admission_log = admission_log

    def command(self) -> list[str]:
        argv = [sys.executable, str(BENCH / "least_proxy.py"), "--listen", self.target]
        log = ["--admission-log", str(self.admission_log)] if self.admission_log else []
        return [*argv, "--upstream", self.upstream, *log]


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _wait_until(ready: object, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start in {timeout} s")
        time.sleep(0.05)


def machine() -> dict[str, str]:
    """What the results were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    return {
        "cpu": model,
        "cores": f"{os.cpu_count()} (gateway on {sorted(GATEWAY_CPUS)}, the rest on {sorted(OTHER_CPUS)})",
        "python": sys.version.split()[0],
        "grpcio": grpc.__version__,
        "event loop (gateway and bare servers)": _event_loop(),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
    }


def _event_loop() -> str:
    """The loop `--event-loop auto` picks (the gateway's own choice), with uvloop's version."""
    if event_loop.loop_factory("auto") is None:
        return "asyncio"
    import uvloop

    return f"uvloop {uvloop.__version__}"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def busy() -> str:
    """How busy each core is over one second, with none of our processes running: other work."""
    return _percents(psutil.cpu_percent(interval=1, percpu=True))


def _percents(cores: list[float]) -> str:
    return ", ".join(f"{value:.0f}%" for value in cores)


QUIET = 10.0  # percent of a core: below it on every core, the machine is quiet enough to measure


SETTLE_LIMIT = 30.0  # seconds settle() waits at most


def settle(limit: float = SETTLE_LIMIT) -> str:
    """Wait, up to `limit` seconds, until every core has been under QUIET% busy for one second
    (what an earlier scenario left running, such as a process still exiting, or other work on the
    VM); how busy the cores were over the last second, and how long it took."""
    started = time.monotonic()
    while True:
        cores = psutil.cpu_percent(interval=1, percpu=True)
        waited = time.monotonic() - started
        if max(cores) < QUIET or waited >= limit:
            shown = _percents(cores)
            return f"{shown} after {waited:.0f} s" + ("" if max(cores) < QUIET else " (not quiet)")
