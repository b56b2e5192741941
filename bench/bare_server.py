"""grpcio's own floor: a grpc.aio server with the gateway's RunsService and canned answers.

It answers WaitRun and StreamRun the way the gateway does (the same messages, the same shapes:
a `metadata` event first, then the events the fast upstream would have sent), but it calls no
upstream and translates nothing: a stream's messages are built before the call's clock matters
(or, when paced, built from a ready template), a WaitRun's answer is built once. What a client
measures through it is what grpc.aio, in one Python process on one core, costs for the same
calls. The gateway cannot be cheaper than this; bench/floor.py sets it beside the targets.

    python bench/bare_server.py --listen 127.0.0.1:PORT

    python bench/bare_server.py --listen 127.0.0.1:PORT --relay http://127.0.0.1:UPSTREAM
    python bench/bare_server.py --listen 127.0.0.1:PORT --library grpclib

The request's `input` carries the fast upstream's knobs (events, mode, size, rate, stamp).
With --library grpclib the same servicer is served by grpclib (asyncio and the pure-Python h2)
instead of grpcio's grpc.aio, to compare what each library costs per call and per message.
With --relay, WaitRun is the least a proxy can do instead: one aiohttp POST /runs/wait to that
upstream per call, its body answered as `values_json` untouched (no JSON read or written).
It runs on the event loop the gateway picks by default (uvloop when installed).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import grpc
from fast_upstream import encode, messages_data, updates_data, wait_values
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import event_loop
from latency import ASSISTANT, WAIT_INPUT

RUN_ID = "1ef4a9b8-0000-6000-8000-000000000000"
RAW = runs_pb2.DATA_FORMAT_JSON
# The body the bench's WaitRun clients stand for (latency.WAIT_INPUT), encoded once.
WAIT_BODY = json.dumps({"assistant_id": ASSISTANT, "input": WAIT_INPUT}).encode()
JSON_HEADERS = {"content-type": "application/json"}


def _message(mode: str, data: Any, raw: bool) -> runs_pb2.StreamRunResponse:
    """One event as the gateway sends it: data_json holds the upstream's own bytes."""
    message = runs_pb2.StreamRunResponse(event=mode, mode=mode)
    if raw:
        message.data_json = encode(data)
    else:
        json_format.ParseDict(data, message.data)
    return message


@functools.lru_cache(maxsize=8)
def _ready(count: int, mode: str, size: int, raw: bool) -> tuple[runs_pb2.StreamRunResponse, ...]:
    """Every message of an unpaced stream, built once per shape (before any call is timed)."""
    if mode == "messages":
        return tuple(_message(mode, messages_data(seq), raw) for seq in range(count))
    return tuple(_message(mode, updates_data(seq, size), raw) for seq in range(count))


@functools.lru_cache(maxsize=2)
def _waited(raw: bool) -> runs_pb2.WaitRunResponse:
    """The fast upstream's /runs/wait answer to the bench's WaitRun input, as the gateway sends it."""
    values = wait_values(int(WAIT_INPUT["wait_bytes"]))
    answer = runs_pb2.WaitRunResponse(run_id=RUN_ID)
    if raw:
        answer.values_json = json.dumps(values).encode()
    else:
        json_format.ParseDict(values, answer.values)
    return answer


class BareRuns(runs_pb2_grpc.RunsServiceServicer):
    def __init__(self, relay: str | None) -> None:
        self.relay = relay
        self.session: aiohttp.ClientSession | None = None

    async def WaitRun(self, request: runs_pb2.WaitRunRequest, context: Any) -> runs_pb2.WaitRunResponse:
        if not self.relay:
            return _waited(request.data_format == RAW)
        if self.session is None:
            self.session = aiohttp.ClientSession(self.relay)
        async with self.session.post("/runs/wait", data=WAIT_BODY, headers=JSON_HEADERS) as answer:
            return runs_pb2.WaitRunResponse(run_id=RUN_ID, values_json=await answer.read())

    async def StreamRun(
        self, request: runs_pb2.StreamRunRequest, context: Any
    ) -> AsyncIterator[runs_pb2.StreamRunResponse]:
        knobs = json_format.MessageToDict(request.input)
        raw = request.data_format == RAW
        count, mode = int(knobs.get("events", 100)), knobs.get("mode", "updates")
        rate = float(knobs.get("rate", 0))
        yield _message("metadata", {"run_id": RUN_ID, "attempt": 1}, raw)
        if not rate:
            for message in _ready(count, mode, int(knobs.get("size", 300)), raw):
                yield message
            return
        stamp, started = bool(knobs.get("stamp")), time.monotonic()
        for seq in range(count):  # paced: each event stamped as it leaves, like the fast upstream's
            delay = started + seq / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            yield _message("messages", messages_data(seq, stamp), raw)


class GrpclibRuns:
    """BareRuns as grpclib serves it: the same answers, message for message."""

    def __init__(self, runs: BareRuns) -> None:
        self.runs = runs

    async def wait_run(self, stream: Any) -> None:
        request = await stream.recv_message()
        await stream.send_message(await self.runs.WaitRun(request, None))

    async def stream_run(self, stream: Any) -> None:
        request = await stream.recv_message()
        async for message in self.runs.StreamRun(request, None):
            await stream.send_message(message)

    def __mapping__(self) -> dict[str, Any]:
        from grpclib.const import Cardinality, Handler

        service = "/langgraph_gateway.v1.RunsService/"
        return {
            service + "WaitRun": Handler(
                self.wait_run, Cardinality.UNARY_UNARY, runs_pb2.WaitRunRequest, runs_pb2.WaitRunResponse
            ),
            service + "StreamRun": Handler(
                self.stream_run,
                Cardinality.UNARY_STREAM,
                runs_pb2.StreamRunRequest,
                runs_pb2.StreamRunResponse,
            ),
        }


async def serve(listen: str, relay: str | None, library: str) -> None:
    if library == "grpclib":
        from grpclib.server import Server

        host, _, port = listen.rpartition(":")
        bare = Server([GrpclibRuns(BareRuns(relay))])
        await bare.start(host, int(port))
        await bare.wait_closed()
        return
    server = grpc.aio.server()  # grpc.aio defaults, as the gateway (bar message size limits)
    runs_pb2_grpc.add_RunsServiceServicer_to_server(BareRuns(relay), server)
    server.add_insecure_port(listen)
    await server.start()
    await server.wait_for_termination()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--relay", help="the upstream WaitRun posts to (default: a canned answer)")
    parser.add_argument("--library", choices=("grpcio", "grpclib"), default="grpcio")
    args = parser.parse_args()
    with asyncio.Runner(loop_factory=event_loop.loop_factory("auto")) as runner:
        runner.run(serve(args.listen, args.relay, args.library))


if __name__ == "__main__":
    main()
