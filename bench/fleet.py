"""Many concurrent token streams from one process: through the gateway (grpc.aio) or direct (aiohttp).

Each stream asks the fast upstream for `messages` events at `rate` per second, each stamped with
the time the upstream wrote it (`t`), and records how late each event arrives. Prints `open`
once every stream has its first message, then one JSON line with the counts and delays.

    python bench/fleet.py --via grpc --target 127.0.0.1:50051 --streams 1000 --seconds 12
    python bench/fleet.py --via http --target http://127.0.0.1:8123 --streams 1000 --seconds 12
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import resource
import sys
import time
from typing import Any

import aiohttp
import grpc
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from stats import percentile

STREAMS_PER_CHANNEL = 100  # many clients, as in production, rather than one connection for all


class Tally:
    def __init__(self, streams: int) -> None:
        self.streams, self.opened = streams, 0
        self.delays: list[float] = []
        self.steady: list[float] = []  # delays of events received once every stream was open
        self.steady_from = float("inf")
        self.errors: collections.Counter[str] = collections.Counter()
        self.all_open = asyncio.Event()

    def add(self, now: float, delay: float) -> None:
        self.delays.append(delay)
        if now >= self.steady_from:
            self.steady.append(delay)

    def open(self) -> None:
        self.opened += 1
        if self.opened == self.streams:
            self.all_open.set()


def _stamp(event: Any, raw: bool) -> float:
    if raw:
        return float(json.loads(event.data_json)[0]["t"])
    return float(event.data.list_value.values[0].struct_value.fields["t"].number_value)


async def grpc_stream(
    stub: Any, request: runs_pb2.StreamRunRequest, raw: bool, expected: int, tally: Tally
) -> None:
    count, opened = 0, False
    try:
        async for message in stub.StreamRun(request):
            now = time.time()
            if not opened:
                opened = True
                tally.open()
            for event in message.events or (message,):
                if event.event != "metadata":
                    tally.add(now, now - _stamp(event, raw))
                    count += 1
    except grpc.aio.AioRpcError as exc:
        tally.errors[f"{exc.code().name}: {exc.details()}"[:120]] += 1
        return
    if count != expected:
        tally.errors[f"{count} of {expected} events"] += 1


async def http_stream(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any], expected: int, tally: Tally
) -> None:
    count, opened = 0, False
    try:
        async with session.post(url + "/runs/stream", json=body) as answer:
            async for line in answer.content:
                if not line.startswith(b"data: "):
                    continue
                now, data = time.time(), json.loads(line[6:])
                if not opened:
                    opened = True
                    tally.open()
                if isinstance(data, list):
                    tally.add(now, now - data[0]["t"])
                    count += 1
    except (aiohttp.ClientError, OSError) as exc:
        tally.errors[type(exc).__name__] += 1
        return
    if count != expected:
        tally.errors[f"{count} of {expected} events"] += 1


async def run(args: argparse.Namespace) -> dict[str, Any]:
    knobs = {"events": int(args.rate * args.seconds), "mode": "messages", "rate": args.rate, "stamp": True}
    tally, tasks = Tally(args.streams), []
    started = time.monotonic()
    if args.via == "grpc":
        request = runs_pb2.StreamRunRequest(
            assistant_id="agent",
            input=json_format.ParseDict(knobs, struct_pb2.Value()),
            stream_mode=["messages-tuple"],
            data_format=runs_pb2.DATA_FORMAT_JSON if args.raw else runs_pb2.DATA_FORMAT_VALUE,
        )
        options = [("grpc.use_local_subchannel_pool", 1)]
        channels = [
            grpc.aio.insecure_channel(args.target, options=options)
            for _ in range(0, args.streams, args.per_channel)
        ]
        for index in range(args.streams):
            stub = runs_pb2_grpc.RunsServiceStub(channels[index // args.per_channel])
            tasks.append(asyncio.create_task(grpc_stream(stub, request, args.raw, knobs["events"], tally)))
            await _pace(started, index, args)
    else:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None)
        )
        body = {"assistant_id": "agent", "input": knobs, "stream_mode": ["messages-tuple"]}
        for index in range(args.streams):
            tasks.append(asyncio.create_task(http_stream(session, args.target, body, knobs["events"], tally)))
            await _pace(started, index, args)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(tally.all_open.wait(), timeout=args.ramp + 10)
    tally.steady_from = time.time() + 1
    print("open", flush=True)
    cpu_open = _cpu()
    open_at = time.monotonic()
    _, late = await asyncio.wait(tasks, timeout=max(0.0, started + args.seconds + 30 - time.monotonic()))
    for task in late:  # bounded time: a stream still going 30 s after its end counts as an error
        task.cancel()
        tally.errors["not finished 30 s after its end"] += 1
    await asyncio.gather(*late, return_exceptions=True)
    cpu_percent = 100 * (_cpu() - cpu_open) / max(time.monotonic() - open_at, 1e-9)
    if args.via == "grpc":
        await asyncio.gather(*(channel.close() for channel in channels))
    else:
        await session.close()
    delays = tally.delays
    return {
        "streams": args.streams,
        "opened": tally.opened,
        "events": len(delays),
        "errors": dict(tally.errors),
        "p50": percentile(delays, 50),
        "p90": percentile(delays, 90),
        "p99": percentile(delays, 99),
        "max": max(delays, default=float("nan")),
        "client_cpu_percent": cpu_percent,
        "steady_events": len(tally.steady),
        "steady_p50": percentile(tally.steady, 50),
        "steady_p99": percentile(tally.steady, 99),
    }


async def _pace(started: float, index: int, args: argparse.Namespace) -> None:
    """Open the streams evenly over the ramp, as clients arriving, rather than in one burst."""
    delay = started + index * args.ramp / args.streams - time.monotonic()
    await asyncio.sleep(max(delay, 0))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--via", choices=("grpc", "http"), required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--streams", type=int, required=True)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--ramp", type=float, default=2)
    parser.add_argument(
        "--per-channel", type=int, default=STREAMS_PER_CHANNEL, help="streams per gRPC channel"
    )
    parser.add_argument("--raw", action="store_true", help="DATA_FORMAT_JSON (gRPC only)")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
