"""The floor: the least proxy on the gateway's own stack, the reference every target is a ratio to.

A grpc.aio server on the gateway's event loop, serving the gateway's StreamRun and WaitRun, that
makes the same upstream request with aiohttp and relays the answer with the least possible work:

- WaitRun: one POST /runs/wait (or /threads/{id}/runs/wait); the body's bytes go out untouched
  as `values_json`.
- StreamRun: one POST /runs/stream; each SSE block is split off the bytes and sent as one message
  with its event name and its data's bytes in `data_json`. No JSON is parsed.

Each response's wire bytes are written here by hand (a tag, a length, the bytes: the gateway's
wire.delimited) and handed to grpc with no serializer, so no response message object is built.
No interceptor, no metadata, no log, no metrics, no deadline or error mapping: what is left is
what grpc.aio and aiohttp cost for the same calls, and the distance from it to the gateway
(bench/versus_floor.py) is the gateway's own cost. (--admission-log, off unless given, writes a
line per StreamRun: where the bench asks when calls reached the handler, in its admission runs.)

    python bench/least_proxy.py --listen 127.0.0.1:PORT --upstream http://127.0.0.1:UPSTREAM
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import grpc
from langgraph_gateway.v1 import runs_pb2
from langgraph_grpc_gateway import event_loop
from langgraph_grpc_gateway.jsonvalue import struct_to_json, value_to_json
from langgraph_grpc_gateway.wire import delimited as field  # a tag, a length, the bytes

SERVICE = "langgraph_gateway.v1.RunsService"
JSON_HEADERS = {"content-type": "application/json"}


EVENT, DATA_JSON, VALUES_JSON = b"\x0a", b"\x32", b"\x22"  # StreamRunResponse 1, 6; WaitRunResponse 4


def body(request: runs_pb2.StreamRunRequest | runs_pb2.WaitRunRequest) -> bytes:
    """The run creation body for what the bench sends (assistant, input, modes, config): the
    same request the gateway makes, with the least work that builds it."""
    found: dict[str, Any] = {"assistant_id": request.assistant_id}
    if request.HasField("input"):
        found["input"] = value_to_json(request.input)
    if request.stream_mode:
        found["stream_mode"] = list(request.stream_mode)
    if request.HasField("config"):
        found["config"] = struct_to_json(request.config)
    return json.dumps(found).encode()


def path(request: runs_pb2.StreamRunRequest | runs_pb2.WaitRunRequest, kind: str) -> str:
    return f"/threads/{request.thread_id}/runs/{kind}" if request.thread_id else f"/runs/{kind}"


def event_message(block: bytes, newline: bytes) -> bytes:
    """One SSE block as StreamRunResponse wire bytes: event name and data bytes."""
    name, data = b"", []
    for line in block.split(newline):
        if line.startswith(b"data:"):
            data.append(line[6:] if line[5:6] == b" " else line[5:])
        elif line.startswith(b"event:"):
            name = line[7:] if line[6:7] == b" " else line[6:]
    return field(EVENT, name) + field(DATA_JSON, b"\n".join(data))


class LeastProxy:
    def __init__(self, upstream: str, admission_log: int | None = None) -> None:
        self.upstream = upstream
        self.session: aiohttp.ClientSession | None = None
        self.admission_log = admission_log

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None:
            self.session = aiohttp.ClientSession(self.upstream, connector=aiohttp.TCPConnector(limit=0))
        return self.session

    async def wait_run(self, request: runs_pb2.WaitRunRequest, context: Any) -> bytes:
        post = self._session().post(path(request, "wait"), data=body(request), headers=JSON_HEADERS)
        async with post as answer:
            return field(VALUES_JSON, await answer.read())

    async def stream_run(self, request: runs_pb2.StreamRunRequest, context: Any) -> None:
        if self.admission_log is not None:
            _log_admission(self.admission_log, context)
        post = self._session().post(path(request, "stream"), data=body(request), headers=JSON_HEADERS)
        async with post as answer:
            async for message in _messages(answer.content.iter_any()):
                await context.write(message)


def _log_admission(fd: int, context: Any) -> None:
    """A line with the seconds left of the call's deadline as its handler starts (nothing for a
    call without one). grpc core starts a call's deadline when its headers arrive, so the
    client's deadline less this is how long the call waited in grpc before any Python of ours
    ran. Off unless asked for: one small write per call, turned on where the bench looks at
    admission."""
    remaining = context.time_remaining()
    if remaining is not None:
        os.write(fd, f"{remaining:.6f}\n".encode())


async def _messages(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Each SSE block of the byte stream as one message's wire bytes (blocks end with a blank line:
    CRLF CRLF from langgraph-api and the fast upstream, LF LF from others)."""
    pending, newline, end = b"", b"", b""
    async for chunk in chunks:
        pending += chunk
        if not end:
            if b"\n" not in pending:
                continue
            newline = b"\r\n" if b"\r\n" in pending else b"\n"
            end = newline * 2
        *blocks, pending = pending.split(end)
        for block in blocks:
            if block:
                yield event_message(block, newline)


def handlers(proxy: LeastProxy) -> grpc.GenericRpcHandler:
    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "WaitRun": grpc.unary_unary_rpc_method_handler(
                proxy.wait_run, request_deserializer=runs_pb2.WaitRunRequest.FromString
            ),
            "StreamRun": grpc.unary_stream_rpc_method_handler(
                proxy.stream_run, request_deserializer=runs_pb2.StreamRunRequest.FromString
            ),
        },
    )


async def serve(listen: str, upstream: str, admission_log: str | None = None) -> None:
    server = grpc.aio.server()  # grpc.aio defaults, as the gateway
    log = os.open(admission_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND) if admission_log else None
    server.add_generic_rpc_handlers((handlers(LeastProxy(upstream, log)),))
    server.add_insecure_port(listen)
    await server.start()
    await server.wait_for_termination()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--upstream", required=True, help="the LangGraph API server's URL")
    parser.add_argument(
        "--admission-log",
        help="append, for each StreamRun with a deadline, the seconds it had left when its handler ran",
    )
    args = parser.parse_args()
    with asyncio.Runner(loop_factory=event_loop.loop_factory("auto")) as runner:
        runner.run(serve(args.listen, args.upstream, args.admission_log))


if __name__ == "__main__":
    main()
