"""Client faults against the fast upstream (bench/fast_upstream.py, its own process): storms of
cancelled and timed-out streams, a client that stops reading, a client killed mid-stream.

After each, the gateway holds no more upstream connections, asyncio tasks (in this process) or
file descriptors than before, within a bounded wait, and serves the next call with every event
exactly once. Memory of a gateway process whose client stopped reading stays flat: gRPC flow
control reaches the upstream read, so nothing piles up in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import psutil
import pytest
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings

from . import production_support
from .conftest import ROOT, free_port
from .production_support import GatewayProcess
from .scripted_upstream import Script, ScriptedUpstream
from .test_scripted_upstream import EVENTS, STREAM_HEADERS

MB = 1024 * 1024
FDS_TOLERANCE = 4  # grpc and asyncio may keep a wakeup pipe or an epoll fd more than at the start


@pytest.fixture(scope="module")
def fast_upstream() -> Iterator[str]:
    """bench/fast_upstream.py in its own process: its URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fast_upstream.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not _accepts(port):
            assert process.poll() is None and time.monotonic() < deadline, "fast upstream did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait()


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def run(events: int, *, rate: float = 0, size: int = 300, **fields: Any) -> runs_pb2.StreamRunRequest:
    knobs = json_format.ParseDict({"events": events, "rate": rate, "size": size}, struct_pb2.Value())
    return runs_pb2.StreamRunRequest(assistant_id="agent", input=knobs, **fields)


def seq(message: runs_pb2.StreamRunResponse | runs_pb2.StreamEvent) -> int:
    return int(message.data.struct_value.fields["seq"].number_value)


def seqs(message: runs_pb2.StreamRunResponse) -> list[int]:
    """The sequence numbers of the events in a message, either form (metadata has none)."""
    return [seq(e) for e in (message.events or [message]) if e.event != "metadata"]


def upstream_connections(process: psutil.Process, upstream: str) -> int:
    port = int(upstream.rsplit(":", 1)[1])
    return sum(
        1
        for c in process.net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


async def settles(measure: Callable[[], int], at_most: int, within: float = 15) -> int:
    """Polls `measure` until it is at most `at_most`; its last value (the caller asserts)."""
    deadline = time.monotonic() + within
    while (value := measure()) > at_most and time.monotonic() < deadline:  # noqa: ASYNC110 (polling)
        await asyncio.sleep(0.1)
    return value


async def assert_serves_a_whole_stream(runs: runs_pb2_grpc.RunsServiceStub, events: int = 200) -> None:
    messages = [m async for m in runs.StreamRun(run(events), timeout=30)]
    assert messages[0].event == "metadata"
    assert [seq(m) for m in messages[1:]] == list(range(events))


@contextlib.asynccontextmanager
async def in_process_gateway(
    upstream: str, **settings: Any
) -> AsyncIterator[tuple[runs_pb2_grpc.RunsServiceStub, str]]:
    """A gateway in this process (so its asyncio tasks can be counted): a client and its address."""
    # The one setting off its default, because this file counts the process's upstream connections:
    # each health probe opens a connection of its own (every 5 s, closed after its answer), so with
    # probes on, the count would depend on whether one is in flight when the test looks.
    settings = {"upstream_health_interval": 0, **settings}
    gateway = Gateway(Settings(upstream=upstream, listen="127.0.0.1:0", **settings))
    await gateway.start()
    try:
        address = f"127.0.0.1:{gateway.port}"
        async with grpc.aio.insecure_channel(address) as channel:
            yield runs_pb2_grpc.RunsServiceStub(channel), address
    finally:
        await gateway.stop(0)


class Baseline:
    """Upstream connections, asyncio tasks and fds of this process, to compare after a storm."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.process = psutil.Process()
        self.connections = upstream_connections(self.process, upstream)
        self.tasks = len(asyncio.all_tasks())
        self.fds = self.process.num_fds()

    def upstream_connections(self) -> int:
        return upstream_connections(self.process, self.upstream)

    async def assert_back(self) -> None:
        connections = await settles(
            lambda: upstream_connections(self.process, self.upstream), self.connections
        )
        tasks = await settles(lambda: len(asyncio.all_tasks()), self.tasks)
        fds = await settles(self.process.num_fds, self.fds + FDS_TOLERANCE)
        assert connections <= self.connections, f"upstream connections {self.connections} -> {connections}"
        assert tasks <= self.tasks, f"asyncio tasks {self.tasks} -> {tasks}: {asyncio.all_tasks()}"
        assert fds <= self.fds + FDS_TOLERANCE, f"file descriptors {self.fds} -> {fds}"


async def _cancel_after(runs: runs_pb2_grpc.RunsServiceStub, reads: int, rng: random.Random) -> list[int]:
    call = runs.StreamRun(run(10**6, rate=500, coalesce_events=rng.random() < 0.3))
    got: list[int] = []
    try:
        if reads < 0:
            await asyncio.sleep(0)  # cancelled before the upstream even answered
        elif reads == 0:
            await call.initial_metadata()
        else:
            for _ in range(reads):
                got += seqs(await call.read())
    finally:
        call.cancel()
    return got


async def test_a_cancel_storm_leaks_nothing(fast_upstream: str) -> None:
    rng = random.Random(7)
    async with in_process_gateway(fast_upstream) as (runs, _):
        await assert_serves_a_whole_stream(runs)
        baseline = Baseline(fast_upstream)
        storm = asyncio.gather(*(_cancel_after(runs, rng.randint(-1, 6), rng) for _ in range(300)))
        results = await asyncio.wait_for(storm, 60)
        await baseline.assert_back()
        await assert_serves_a_whole_stream(runs)
    assert sum(1 for got in results if got) > 100  # the storm reached the upstream, mid-stream
    # What each stream got before its cancel came in order, each event once.
    for got in results:
        assert got == list(range(len(got)))


async def test_cancels_while_waiting_for_a_capped_upstream_pool_leak_no_slot(fast_upstream: str) -> None:
    """With --max-upstream-connections, calls beyond the cap wait for a pooled connection; cancelled
    while waiting or while streaming, none may keep a slot, or the gateway would stall for good."""
    rng = random.Random(3)
    async with in_process_gateway(fast_upstream, max_upstream_connections=5) as (runs, _):
        await assert_serves_a_whole_stream(runs)
        baseline = Baseline(fast_upstream)
        storm = [_cancel_after(runs, rng.randint(-1, 3), rng) for _ in range(100)]
        await asyncio.wait_for(asyncio.gather(*storm), 60)
        await baseline.assert_back()
        # Every slot is free again: the cap's worth of streams run at once, to the end.
        await asyncio.wait_for(asyncio.gather(*(assert_serves_a_whole_stream(runs) for _ in range(5))), 30)


async def test_heartbeat_streams_cancelled_on_a_stalled_upstream_leak_nothing() -> None:
    """Heartbeats keep a task reading ahead of the client while the upstream is silent; cancelled,
    those tasks and their upstream connections must go too."""
    stalled = ScriptedUpstream(Script(headers=STREAM_HEADERS, chunks=EVENTS[:1], ending="stall"))
    async with stalled, in_process_gateway(stalled.url) as (runs, _):
        baseline = Baseline(stalled.url)
        calls = [runs.StreamRun(run(1, heartbeat_seconds=1)) for _ in range(50)]
        for call in calls:
            assert (await asyncio.wait_for(call.read(), 10)).event == "metadata"
        for call in calls:
            assert (await asyncio.wait_for(call.read(), 10)).event == "heartbeat"
            call.cancel()
        await baseline.assert_back()
        # Each hung up on the upstream: every connection it accepted is closed.
        assert await settles(lambda: accepted_connections(baseline.process, stalled.url), 0) == 0


async def test_a_deadline_storm_of_waits_on_a_silent_upstream_hangs_up_every_one() -> None:
    script = Script(headers={"content-type": "application/json"}, chunks=[b"\n"], ending="stall")
    silent = ScriptedUpstream(script)
    async with silent, in_process_gateway(silent.url) as (runs, _):
        baseline = Baseline(silent.url)
        codes = await asyncio.gather(*(_wait_with_deadline(runs, 1 + n / 150) for n in range(150)))
        await baseline.assert_back()
        # Seen from the upstream's side too: every connection it accepted is closed (FIN or RST).
        assert await settles(lambda: accepted_connections(baseline.process, silent.url), 0) == 0
    assert set(codes) == {grpc.StatusCode.DEADLINE_EXCEEDED}
    # Most reach the upstream before their deadline; on a slow, loaded machine some expire before
    # they are sent, and those are fine too: they end DEADLINE_EXCEEDED all the same.
    assert 0 < len(silent.requests) <= 150


def accepted_connections(process: psutil.Process, upstream: str) -> int:
    port = int(upstream.rsplit(":", 1)[1])
    return sum(
        1
        for c in process.net_connections(kind="tcp")
        if c.laddr.port == port and c.raddr and c.status == psutil.CONN_ESTABLISHED
    )


async def _until_deadline(runs: runs_pb2_grpc.RunsServiceStub, seconds: float) -> tuple[list[int], Any]:
    messages: list[runs_pb2.StreamRunResponse] = []
    try:
        async for message in runs.StreamRun(run(10**6, rate=200), timeout=seconds):
            messages.append(message)
    except grpc.aio.AioRpcError as exc:
        return [seq(m) for m in messages[1:]], exc.code()
    return [seq(m) for m in messages[1:]], grpc.StatusCode.OK


async def _wait_with_deadline(runs: runs_pb2_grpc.RunsServiceStub, seconds: float) -> grpc.StatusCode:
    try:
        await runs.WaitRun(runs_pb2.WaitRunRequest(assistant_id="agent"), timeout=seconds)
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


async def test_a_deadline_storm_leaks_nothing_and_loses_nothing_before_it(
    fast_upstream: str,
) -> None:
    rng = random.Random(11)
    async with in_process_gateway(fast_upstream) as (runs, _):
        await assert_serves_a_whole_stream(runs)
        baseline = Baseline(fast_upstream)
        streamed: list[tuple[list[int], Any]] = []
        waited: list[Any] = []
        for _ in range(3):  # three waves of 100 streams and 30 WaitRun calls
            streams = [_until_deadline(runs, rng.uniform(0.3, 2.0)) for _ in range(100)]
            waits = [_wait_with_deadline(runs, rng.uniform(0.001, 0.05)) for _ in range(30)]
            results = await asyncio.wait_for(asyncio.gather(*streams, *waits), 60)
            streamed += results[:100]
            waited += results[100:]
        await baseline.assert_back()
        await assert_serves_a_whole_stream(runs)
    assert sum(1 for seqs, _ in streamed if seqs) > 30  # many ended mid-stream, not before it
    for seqs, code in streamed:
        assert code == grpc.StatusCode.DEADLINE_EXCEEDED
        assert seqs == list(range(len(seqs)))  # every event before the deadline, in order, once
    assert set(waited) <= {grpc.StatusCode.OK, grpc.StatusCode.DEADLINE_EXCEEDED}


@pytest.fixture
def gateway_process(fast_upstream: str, tmp_path: Path) -> Iterator[GatewayProcess]:
    """The gateway as deployed (default flags: access log on); the test fails if it crashes."""
    with production_support.gateway_process(fast_upstream, log=tmp_path / "gateway.log") as gateway:
        yield gateway


async def test_a_client_that_stops_reading_keeps_gateway_memory_flat(
    fast_upstream: str, gateway_process: GatewayProcess
) -> None:
    process = psutil.Process(gateway_process.process.pid)
    async with grpc.aio.insecure_channel(gateway_process.address) as channel:
        runs = runs_pb2_grpc.RunsServiceStub(channel)
        await assert_serves_a_whole_stream(runs, 2000)
        before = process.memory_info().rss
        # Two endless runs as fast as the upstream can write, ~1 KB events: without flow control
        # reaching the upstream read, the gateway would buffer ~100 MB a second.
        calls = [runs.StreamRun(run(10**9, size=1000, coalesce_events=c)) for c in (False, True)]
        for call in calls:
            assert (await call.read()) is not None  # flowing
        samples = []
        for _ in range(12):  # six seconds of not reading
            await asyncio.sleep(0.5)
            samples.append(process.memory_info().rss)
        growth = max(samples) - before
        print(f"gateway RSS {before / MB:.1f} MB, then {[round(x / MB, 1) for x in samples]}")
        assert growth < 50 * MB, f"gateway RSS grew {growth / MB:.1f} MB while its client did not read"
        # Reading again, the stream goes on where it was: nothing was dropped to save memory.
        plain = [await calls[0].read() for _ in range(3000)]
        seqs = [seq(m) for m in plain]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        assert seqs[0] <= 1
        for call in calls:
            call.cancel()
        assert await settles(lambda: upstream_connections(process, fast_upstream), 1) <= 1  # the pooled one
        await assert_serves_a_whole_stream(runs)


CLIENT = """
import asyncio, sys, grpc
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

async def stream(runs, started):
    knobs = json_format.ParseDict({"events": 10**6, "rate": 500}, struct_pb2.Value())
    call = runs.StreamRun(runs_pb2.StreamRunRequest(assistant_id="agent", input=knobs))
    await call.read()
    started.append(1)
    if len(started) == int(sys.argv[2]):
        print("streaming", flush=True)
    while await call.read() is not grpc.aio.EOF:
        pass

async def main():
    async with grpc.aio.insecure_channel(sys.argv[1]) as channel:
        runs, started = runs_pb2_grpc.RunsServiceStub(channel), []
        await asyncio.gather(*(stream(runs, started) for _ in range(int(sys.argv[2]))))

asyncio.run(main())
"""


async def start_and_kill_a_client(address: str, streams: int, gateway: psutil.Process, upstream: str) -> None:
    """A client process with `streams` streams flowing through the gateway, killed (SIGKILL)."""
    client = await asyncio.create_subprocess_exec(
        *(sys.executable, "-c", CLIENT, address, str(streams)),
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert client.stdout is not None
        assert await asyncio.wait_for(client.stdout.readline(), 30) == b"streaming\n"
        assert upstream_connections(gateway, upstream) >= streams
    finally:
        client.send_signal(signal.SIGKILL)
        await client.wait()


async def test_a_client_killed_mid_stream_leaks_no_task(fast_upstream: str) -> None:
    async with in_process_gateway(fast_upstream) as (runs, address):
        await assert_serves_a_whole_stream(runs)
        baseline = Baseline(fast_upstream)
        await start_and_kill_a_client(address, 50, baseline.process, fast_upstream)
        await baseline.assert_back()
        await assert_serves_a_whole_stream(runs)


async def test_a_client_killed_mid_stream_leaks_nothing(
    fast_upstream: str, gateway_process: GatewayProcess
) -> None:
    process = psutil.Process(gateway_process.process.pid)
    async with grpc.aio.insecure_channel(gateway_process.address) as channel:
        runs = runs_pb2_grpc.RunsServiceStub(channel)
        await assert_serves_a_whole_stream(runs)
        connections, fds = upstream_connections(process, fast_upstream), process.num_fds()
        for _ in range(3):  # three clients in a row, each killed with 50 streams open
            await start_and_kill_a_client(gateway_process.address, 50, process, fast_upstream)
            left = await settles(lambda: upstream_connections(process, fast_upstream), connections)
            assert left <= connections
            assert await settles(process.num_fds, fds + FDS_TOLERANCE) <= fds + FDS_TOLERANCE
        await assert_serves_a_whole_stream(runs)
    # The gateway's own log shows no error other than the cancellations.
    assert "Traceback" not in gateway_process.output()
