"""Clients that leave: every way a client can leave a call, for StreamRun, JoinStream and WaitRun,
in waves of concurrent calls against the fast upstream (bench/fast_upstream.py).

The gateway is tested as a user starts it (a process, access log on, plus --metrics-listen to read
its metrics), once more with --tracing, and in this process. Each wave is one way to leave:

    at once                cancelled right after the call starts (the request may never leave)
    while upstream thinks  cancelled once every request reached an upstream slow to answer
    after the headers      cancelled once the initial metadata came, nothing read
    after the first        the first message read, then cancelled
    mid-stream             50 messages of a stream sent as fast as it goes, then cancelled
    racing the last        all but the last one or two messages of a fast stream, then cancelled
    at the deadline        the deadline passes mid-stream (a paced stream) or mid-wait
    killed                 the client process is killed (SIGKILL) mid-stream and mid-wait

After each wave the gateway is the same process, alive (it never died from a signal); it serves a
whole stream with every event exactly once; its upstream connections and file descriptors (and,
in this process, asyncio tasks) come back to where they were; and its access log and metrics
record each call once, CANCELLED for a cancel or a vanished client, DEADLINE_EXCEEDED for a
deadline.

The regression: grpc.aio does not close a streaming handler's generator when its call ends early.
asyncio closed it later, after grpc had freed the call, and the access log's context.peer() on the
freed call killed the gateway with SIGSEGV.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import psutil
import pytest
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from prometheus_client.parser import text_string_to_metric_families

from .conftest import ROOT, free_port
from .production_support import GatewayProcess, whole_lines
from .test_client_faults import FDS_TOLERANCE, fast_upstream, seqs, settles, upstream_connections

__all__ = ["fast_upstream"]  # the fixture, shared with test_client_faults

CALLS = 20  # per method and wave
SHORT = 300  # events of the stream whose end the cancels race
DEADLINE = 1.5  # seconds; the paced streams go on for ever, the waits think for a minute
THREAD = "leaving-clients"
CANCELLED, DEADLINE_EXCEEDED, OK = "CANCELLED", "DEADLINE_EXCEEDED", "OK"
STREAMS = ("StreamRun", "JoinStream")

# The runs, by kind: fast_upstream knobs. "close" keeps the gateway's upstream pool empty, so a
# connection still open after a wave can only be one the gateway failed to close. The fast streams
# have 3 KB events: as many bytes as with small ones, at a tenth of the CPU, so waves stay short.
RUNS: dict[str, dict[str, Any]] = {
    "endless": {"events": 10**6, "size": 3000},  # as fast as the gateway takes them, for ever
    "short": {"events": SHORT, "size": 3000},
    "paced": {"events": 10**6, "rate": 20},
    "flowing": {"events": 10**6, "rate": 200},
    "thinking": {"delay": 60},
    "whole": {"events": 200},
}


def knobs(kind: str) -> struct_pb2.Value:
    return json_format.ParseDict({**RUNS[kind], "close": True}, struct_pb2.Value())


@dataclass
class Subject:
    """The gateway under test, seen from outside: a client, its process, its log and metrics."""

    runs: runs_pb2_grpc.RunsServiceStub
    address: str
    upstream: str
    process: psutil.Process
    metrics_url: str
    read_log: Callable[[], str]
    died: Callable[[], str | None]  # why the gateway is gone, or None
    joins: dict[str, str]  # run kind -> the run id JoinStream joins

    def upstream_connections(self) -> int:
        return upstream_connections(self.process, self.upstream)

    def access_lines(self) -> list[dict[str, Any]]:
        lines = (line for line in whole_lines(self.read_log()) if line.startswith("{"))
        return [entry for entry in map(json.loads, lines) if "code" in entry]

    def metrics(self) -> Metrics:
        return Metrics.parse(httpx.get(self.metrics_url, timeout=10).text)

    def stream_runs(self, kind: str, **call: Any) -> list[Any]:
        """CALLS StreamRun and CALLS JoinStream calls of a run of `kind`, started."""
        stream = runs_pb2.StreamRunRequest(assistant_id="agent", input=knobs(kind))
        join = runs_pb2.JoinStreamRequest(thread_id=THREAD, run_id=self.joins[kind], last_event_id="-1")
        return [self.runs.StreamRun(stream, **call) for _ in range(CALLS)] + [
            self.runs.JoinStream(join, **call) for _ in range(CALLS)
        ]

    def wait_runs(self, **call: Any) -> list[Any]:
        request = runs_pb2.WaitRunRequest(assistant_id="agent", input=knobs("thinking"))
        return [self.runs.WaitRun(request, **call) for _ in range(CALLS)]


@dataclass(frozen=True)
class Metrics:
    started: int
    handled: Counter[tuple[str, str]]  # (method, code) -> calls

    @classmethod
    def parse(cls, text: str) -> Metrics:
        started, handled = 0, Counter[tuple[str, str]]()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "grpc_server_started_total":
                    started += int(sample.value)
                elif sample.name == "grpc_server_handled_total":
                    handled[sample.labels["grpc_method"], sample.labels["grpc_code"]] += int(sample.value)
        return cls(started, handled)


# The waves: each starts its calls, makes its clients leave, and checks what the clients saw.


async def leave_at_once(s: Subject) -> None:
    calls = s.stream_runs("endless")
    for call in calls:
        call.cancel()
    assert {await call.code() for call in calls} == {grpc.StatusCode.CANCELLED}


async def leave_while_upstream_thinks(s: Subject) -> None:
    before = s.upstream_connections()
    calls = s.stream_runs("thinking") + s.wait_runs()
    await reaches(s.upstream_connections, before + len(calls), "every request reached the upstream")
    await cancel_all(calls)


async def leave_after_the_headers(s: Subject) -> None:
    calls = s.stream_runs("endless")
    await asyncio.gather(*(call.initial_metadata() for call in calls))
    await cancel_all(calls)


async def leave_after_the_first_message(s: Subject) -> None:
    calls = s.stream_runs("endless")
    for got in await asyncio.gather(*(read(call, 1) for call in calls)):
        assert got == []  # the metadata event
    await cancel_all(calls)


async def leave_mid_stream(s: Subject) -> None:
    calls = s.stream_runs("endless")
    for got in await asyncio.gather(*(read(call, 50) for call in calls)):
        assert got == list(range(49))
    await cancel_all(calls)


async def leave_racing_the_last_message(s: Subject) -> None:
    calls = s.stream_runs("short")
    # Of the metadata and SHORT events, all but the last one or two, read as fast as they come.
    reads = [read(call, SHORT + 1 - (1 + n % 2)) for n, call in enumerate(calls)]
    for got in await asyncio.gather(*reads):
        assert got == list(range(len(got)))
    for call in calls:
        call.cancel()
    # The end may have come in before the cancel went out.
    assert {await call.code() for call in calls} <= {grpc.StatusCode.CANCELLED, grpc.StatusCode.OK}


async def leave_at_the_deadline(s: Subject) -> None:
    streams = s.stream_runs("paced", timeout=DEADLINE)
    waits = s.wait_runs(timeout=DEADLINE)
    results = await asyncio.gather(*map(read_to_the_end, streams), *map(read_to_the_end, waits))
    assert {code for _, code in results} == {grpc.StatusCode.DEADLINE_EXCEEDED}
    for got, _ in results:
        assert got == list(range(len(got)))  # every event before the deadline, in order, once
    # Mid-stream: the paced streams were flowing when their deadline passed.
    assert sum(1 for got, _ in results[: len(streams)] if got) >= len(streams) // 2


async def leave_killed(s: Subject) -> None:
    before = s.upstream_connections()
    client = await asyncio.create_subprocess_exec(
        *(sys.executable, "-c", KILLED_CLIENT, s.address, str(CALLS), THREAD, s.joins["flowing"]),
        *(json.dumps({**RUNS["flowing"], "close": True}), json.dumps({**RUNS["thinking"], "close": True})),
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert client.stdout is not None
        assert await asyncio.wait_for(client.stdout.readline(), 30) == b"streaming\n"
        await reaches(s.upstream_connections, before + 3 * CALLS, "every request reached the upstream")
    finally:
        client.send_signal(signal.SIGKILL)
        await client.wait()


KILLED_CLIENT = """
import asyncio, json, sys, grpc
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

address, calls, thread_id, run_id, stream_knobs, wait_knobs = sys.argv[1:]
calls = int(calls)
knobs = lambda text: json_format.ParseDict(json.loads(text), struct_pb2.Value())

async def stream(call, flowing):
    await call.read()
    flowing.append(call)
    if len(flowing) == 2 * calls:
        print("streaming", flush=True)
    while await call.read() is not grpc.aio.EOF:
        pass

async def main():
    async with grpc.aio.insecure_channel(address) as channel:
        runs, flowing = runs_pb2_grpc.RunsServiceStub(channel), []
        stream_run = runs_pb2.StreamRunRequest(assistant_id="agent", input=knobs(stream_knobs))
        join = runs_pb2.JoinStreamRequest(thread_id=thread_id, run_id=run_id, last_event_id="-1")
        wait = runs_pb2.WaitRunRequest(assistant_id="agent", input=knobs(wait_knobs))
        streams = [runs.StreamRun(stream_run) for _ in range(calls)]
        streams += [runs.JoinStream(join) for _ in range(calls)]
        waits = [runs.WaitRun(wait) for _ in range(calls)]
        await asyncio.gather(*(stream(call, flowing) for call in streams), *waits)

asyncio.run(main())
"""


@dataclass(frozen=True)
class Wave:
    leave: Callable[[Subject], Awaitable[None]]
    codes: Mapping[str, frozenset[str]]  # method -> the codes the gateway may record for it
    certain: bool = True  # every call reaches the gateway (False: a cancel may beat the request)

    @property
    def name(self) -> str:
        return self.leave.__name__


def expect(methods: Iterable[str], *codes: str) -> dict[str, frozenset[str]]:
    return dict.fromkeys(methods, frozenset(codes))


WAVES = [
    Wave(leave_at_once, expect(STREAMS, CANCELLED), certain=False),
    Wave(leave_while_upstream_thinks, expect((*STREAMS, "WaitRun"), CANCELLED)),
    Wave(leave_after_the_headers, expect(STREAMS, CANCELLED)),
    Wave(leave_after_the_first_message, expect(STREAMS, CANCELLED)),
    Wave(leave_mid_stream, expect(STREAMS, CANCELLED)),
    Wave(leave_racing_the_last_message, expect(STREAMS, CANCELLED, OK)),
    Wave(leave_at_the_deadline, expect((*STREAMS, "WaitRun"), DEADLINE_EXCEEDED)),
    Wave(leave_killed, expect((*STREAMS, "WaitRun"), CANCELLED)),
]


# Client helpers.


async def read(call: Any, messages: int) -> list[int]:
    """The sequence numbers in the next `messages` messages of a stream (metadata has none)."""
    got: list[int] = []
    for _ in range(messages):
        message = await call.read()
        assert message is not grpc.aio.EOF, f"the stream ended after {len(got)} events"
        got += seqs(message)
    return got


async def read_to_the_end(call: Any) -> tuple[list[int], grpc.StatusCode]:
    got: list[int] = []
    try:
        if isinstance(call, grpc.aio.UnaryUnaryCall):
            await call
        else:
            async for message in call:
                got += seqs(message)
    except grpc.aio.AioRpcError as exc:
        return got, exc.code()
    return got, grpc.StatusCode.OK


async def cancel_all(calls: list[Any]) -> None:
    for call in calls:
        call.cancel()
    assert {await call.code() for call in calls} == {grpc.StatusCode.CANCELLED}


async def reaches(measure: Callable[[], int], at_least: int, what: str, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while (value := measure()) < at_least:
        assert time.monotonic() < deadline, f"never happened: {what} ({value} < {at_least})"
        await asyncio.sleep(0.05)


# What each wave leaves behind.


class Footprint:
    """The gateway's upstream connections and fds (and asyncio tasks when it runs in this process)."""

    def __init__(self, s: Subject, tasks: bool) -> None:
        self.subject = s
        self.connections = s.upstream_connections()
        self.fds = s.process.num_fds()
        self.tasks = len(asyncio.all_tasks()) if tasks else None

    async def assert_back(self, wave: str) -> None:
        s = self.subject
        connections = await settles(s.upstream_connections, self.connections)
        assert connections <= self.connections, (
            f"{wave}: upstream connections {self.connections}->{connections}"
        )
        fds = await settles(s.process.num_fds, self.fds + FDS_TOLERANCE)
        assert fds <= self.fds + FDS_TOLERANCE, f"{wave}: file descriptors {self.fds} -> {fds}"
        if self.tasks is not None:
            tasks = await settles(lambda: len(asyncio.all_tasks()), self.tasks)
            assert tasks <= self.tasks, f"{wave}: asyncio tasks {self.tasks}->{tasks}: {asyncio.all_tasks()}"


async def serves_whole_streams(s: Subject) -> None:
    """One StreamRun, one JoinStream and one WaitRun, each whole: every event once, in order."""
    stream = runs_pb2.StreamRunRequest(assistant_id="agent", input=knobs("whole"))
    join = runs_pb2.JoinStreamRequest(thread_id=THREAD, run_id=s.joins["whole"], last_event_id="-1")
    for call in (s.runs.StreamRun(stream, timeout=30), s.runs.JoinStream(join, timeout=30)):
        messages = [message async for message in call]
        assert messages[0].event == "metadata"
        assert [seq for m in messages for seq in seqs(m)] == list(range(RUNS["whole"]["events"]))
    wait = runs_pb2.WaitRunRequest(assistant_id="agent", input=knobs("short"))
    waited = await s.runs.WaitRun(wait, timeout=30)
    assert waited.values.struct_value.fields["count"].number_value == 1


WHOLE = Counter({("StreamRun", OK): 1, ("JoinStream", OK): 1, ("WaitRun", OK): 1})


async def recorded_since(s: Subject, lines: int, metrics: Metrics, wave: str) -> Counter[tuple[str, str]]:
    """The (method, code) of each call the gateway recorded since the mark, once every call in
    flight ended and logged; the access log and the metrics must agree on them."""
    deadline = time.monotonic() + 15
    while True:
        now = s.metrics()
        logged = Counter((line["method"].rsplit("/")[-1], line["code"]) for line in s.access_lines()[lines:])
        counted = now.handled - metrics.handled
        if (now.started == now.handled.total() and logged == counted) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert now.started == now.handled.total(), f"{wave}: calls still in flight"
    assert logged == counted, f"{wave}: access log {dict(logged)}, metrics {dict(counted)}"
    return logged


async def mark(s: Subject, wave: str) -> tuple[int, Metrics]:
    """The access log's length and the metrics, once every call so far is in both: a call's line
    is written a moment after the call (a batch at a time), so the mark waits for it."""
    await recorded_since(s, 0, Metrics(0, Counter()), f"before {wave}")
    return len(s.access_lines()), s.metrics()


async def run_waves(s: Subject, tasks: bool) -> None:
    for kind in RUNS:  # the runs JoinStream joins
        created = await s.runs.CreateRun(
            runs_pb2.CreateRunRequest(thread_id=THREAD, assistant_id="agent", input=knobs(kind)), timeout=30
        )
        s.joins[kind] = created.run.run_id
    await serves_whole_streams(s)
    footprint = Footprint(s, tasks)
    for wave in WAVES:
        lines, metrics = await mark(s, wave.name)
        started = time.monotonic()
        await asyncio.wait_for(wave.leave(s), 60)
        left = time.monotonic()
        await still_serving(s, wave.name)
        assert_recorded(wave, await recorded_since(s, lines, metrics, wave.name) - WHOLE)
        await footprint.assert_back(wave.name)
        print(f"{wave.name}: {left - started:.2f}s, then {time.monotonic() - left:.2f}s to settle")
    pids = {line["pid"] for line in s.access_lines()}
    assert pids == {s.process.pid}, f"calls served by {pids}, not only by {s.process.pid}"


async def still_serving(s: Subject, wave: str) -> None:
    """The gateway outlived the wave and serves whole streams. (A crash may come a moment after the
    clients left: when asyncio gets to close what grpc left behind.)"""
    try:
        await serves_whole_streams(s)
    except grpc.aio.AioRpcError:
        deadline = time.monotonic() + 5
        while s.died() is None and time.monotonic() < deadline:  # noqa: ASYNC110 (polling a process)
            await asyncio.sleep(0.05)
        raise
    finally:
        assert (why := s.died()) is None, f"{wave}: the gateway died: {why}"


def assert_recorded(wave: Wave, recorded: Counter[tuple[str, str]]) -> None:
    by_method: dict[str, Counter[str]] = {}
    for (method, code), count in recorded.items():
        by_method.setdefault(method, Counter())[code] += count
    assert set(by_method) <= set(wave.codes), f"{wave.name}: calls of other methods: {recorded}"
    for method, codes in wave.codes.items():
        got = by_method.get(method, Counter())
        assert set(got) <= codes, f"{wave.name}: {method} recorded {dict(got)}, expected only {set(codes)}"
        if wave.certain:
            assert got.total() == CALLS, f"{wave.name}: {method} recorded {got.total()} calls of {CALLS}"
        else:
            assert got.total() <= CALLS, f"{wave.name}: {method} recorded {got.total()} calls of {CALLS}"


# The gateway as a process, and in this process.


@pytest.mark.parametrize("flags", [(), ("--tracing", "true")], ids=["default", "tracing"])
async def test_clients_leaving_never_kill_the_gateway_process(
    fast_upstream: str, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    metrics_port = free_port()
    gateway = GatewayProcess(
        fast_upstream, "--metrics-listen", f"127.0.0.1:{metrics_port}", *flags, log=tmp_path / "gateway.log"
    )
    try:
        gateway.wait_serving()
        async with grpc.aio.insecure_channel(gateway.address) as channel:
            subject = Subject(
                runs=runs_pb2_grpc.RunsServiceStub(channel),
                address=gateway.address,
                upstream=fast_upstream,
                process=psutil.Process(gateway.process.pid),
                metrics_url=f"http://127.0.0.1:{metrics_port}/metrics",
                read_log=gateway.output,
                died=lambda: died(gateway.process),
                joins={},
            )
            await run_waves(subject, tasks=False)
    finally:
        gateway.stop()
    output = gateway.output()
    for error in ("Traceback", "Failed to detach context"):  # the second: a span ended in another task
        assert error not in output, around(output, error)


def around(output: str, text: str) -> str:
    """The lines of `output` around the first `text`."""
    lines = output.splitlines()
    at = next(n for n, line in enumerate(lines) if text in line)
    return "\n".join(lines[max(at - 1, 0) : at + 14])


def died(process: subprocess.Popen[bytes]) -> str | None:
    if (code := process.poll()) is None:
        return None
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"


async def test_clients_leaving_leak_nothing_in_process(fast_upstream: str) -> None:
    async with (
        in_process_gateway(fast_upstream) as (gateway, log, errors),
        grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel,
    ):
        subject = Subject(
            runs=runs_pb2_grpc.RunsServiceStub(channel),
            address=f"127.0.0.1:{gateway.port}",
            upstream=fast_upstream,
            process=psutil.Process(),
            metrics_url=f"http://127.0.0.1:{gateway.metrics_port}/metrics",
            read_log=log.getvalue,
            died=lambda: None,  # this process is alive if it runs this
            joins={},
        )
        await run_waves(subject, tasks=True)
    assert errors == [], f"{len(errors)} errors logged, the first: {errors[:1]}"


class _Errors(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(self.format(record))


@contextlib.asynccontextmanager
async def in_process_gateway(upstream: str) -> AsyncIterator[tuple[Gateway, io.StringIO, list[str]]]:
    """A gateway in this process with its access log on, at INFO, into a buffer; and every log
    record at ERROR or above, from any logger, while it runs."""
    log, errors = io.StringIO(), []
    access = logging.getLogger("langgraph_grpc_gateway.access")
    handler, errors_handler = logging.StreamHandler(log), _Errors(errors)
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = access.level
    access.setLevel(logging.INFO)
    access.addHandler(handler)
    logging.getLogger().addHandler(errors_handler)
    gateway = Gateway(Settings(upstream=upstream, listen="127.0.0.1:0", metrics_listen="127.0.0.1:0"))
    try:
        await gateway.start()
        yield gateway, log, errors
    finally:
        await gateway.stop(0)
        logging.getLogger().removeHandler(errors_handler)
        access.removeHandler(handler)
        access.setLevel(level)
