"""A fast upstream that speaks the LangGraph API's wire format, for benchmarks and soak tests.

The stock server polls its run queue every 0.5 s, far too slow to measure a proxy against. This
one answers at once, with the headers, CRLF framing and event shapes recorded from the real
server (../shared/reference/langgraph-api-wire/): `metadata` first, then `updates` events of
about 300 bytes or `messages` token chunks, and no end event (the stream just closes).

Each request chooses its own run through its `input` (so one server serves every scenario):

    {"events": 1000, "mode": "updates" | "messages", "rate": 0, "size": 300, "wait_bytes": 1000}

`rate` is events per second per stream (0: as fast as the socket takes them). Every event's data
carries its sequence number `seq`, so a consumer can check each arrives exactly once, in order.
With `"stamp": true` it also carries `t`, the time.time() at which the upstream wrote it, so a
consumer on the same machine can measure the delay each event gained on its way.

    python bench/fast_upstream.py --port 8123
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import uuid
from typing import Any

_ids = itertools.count()
MESSAGE_METADATA = {
    "created_by": "system",
    "graph_id": "fakellm",
    "assistant_id": "08b733c1-2d26-51bb-85d3-cbe6636ceb52",
    "langgraph_step": 1,
    "langgraph_node": "llm",
    "langgraph_triggers": ["branch:to:llm"],
    "ls_provider": "genericfakechatmodel",
    "ls_model_type": "chat",
}


def encode(data: Any) -> bytes:
    """An event's data as the upstream writes it on its `data:` line (compact JSON)."""
    return json.dumps(data, separators=(",", ":")).encode()


def _event(name: str, data: Any) -> bytes:
    return b"event: %s\r\ndata: %s\r\n\r\n" % (name.encode(), encode(data))


def _chunk(body: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(body), body)


def updates_event(seq: int, size: int, stamp: bool = False) -> bytes:
    """An `updates` event of about `size` bytes, shaped like a node's AI message update."""
    return _event("updates", updates_data(seq, size, stamp))


def updates_data(seq: int, size: int, stamp: bool = False) -> dict[str, Any]:
    """The data of updates_event."""
    message = {
        "content": "",
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "ai",
        "name": None,
        "id": "e2fde7b1-43a1-4935-af3b-533cbafc9cc4",
        "tool_calls": [],
        "invalid_tool_calls": [],
        "usage_metadata": None,
    }
    data: dict[str, Any] = {"echo": {"messages": [message]}, "seq": seq}
    if stamp:
        data["t"] = time.time()
    message["content"] = "x" * max(0, size - len(_event("updates", data)))
    return data


def messages_event(seq: int, stamp: bool = False) -> bytes:
    """A `messages` (messages-tuple) event: one token chunk and its metadata."""
    return _event("messages", messages_data(seq, stamp))


def messages_data(seq: int, stamp: bool = False) -> list[Any]:
    """The data of messages_event."""
    chunk: dict[str, Any] = {
        "content": " tok",
        "additional_kwargs": {},
        "response_metadata": {},
        "type": "AIMessageChunk",
        "name": None,
        "id": "lc_run--01a21394-c892-72a7-b0c5-c25eee75ea24",
        "tool_calls": [],
        "invalid_tool_calls": [],
        "usage_metadata": None,
        "tool_call_chunks": [],
        "chunk_position": None,
        "seq": seq,
    }
    if stamp:
        chunk["t"] = time.time()
    return [chunk, MESSAGE_METADATA]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", "server: fast-upstream", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _run_headers(path: str, content_type: str) -> dict[str, str]:
    run_id, thread_id = str(uuid.uuid4()), str(uuid.uuid4())
    base = f"/threads/{thread_id}/runs/{run_id}" if path.startswith("/threads/") else f"/runs/{run_id}"
    return {
        "location": f"{base}/stream",
        "content-location": base,
        "cache-control": "no-store",
        "x-accel-buffering": "no",
        "content-type": content_type,
        "transfer-encoding": "chunked",
    }


async def _stream(writer: asyncio.StreamWriter, path: str, knobs: dict[str, Any]) -> None:
    headers = _run_headers(path, "text/event-stream; charset=utf-8")
    run_id = headers["content-location"].rsplit("/", 1)[1]
    writer.write(_head("200 OK", headers))
    writer.write(_chunk(_event("metadata", {"run_id": run_id, "attempt": 1})))
    count, rate, size = (
        int(knobs.get("events", 100)),
        float(knobs.get("rate", 0)),
        int(knobs.get("size", 300)),
    )
    stamp = bool(knobs.get("stamp"))
    if knobs.get("mode") == "messages":
        make = lambda seq: messages_event(seq, stamp)  # noqa: E731
    else:
        make = lambda seq: updates_event(seq, size, stamp)  # noqa: E731
    started = time.monotonic()
    for seq in range(count):
        if rate:
            delay = started + seq / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        if writer.is_closing():
            return  # the reader left (a load tool's deadline cut the call): stop writing to no one
        writer.write(_chunk(make(seq)))
        if rate or seq % 64 == 63:
            await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def wait_values(size: int) -> dict[str, Any]:
    """The final state /runs/wait answers: one AI message of `size` characters."""
    return {"messages": [{"content": "x" * size, "type": "ai"}], "count": 1}


async def _wait(writer: asyncio.StreamWriter, path: str, knobs: dict[str, Any]) -> None:
    headers = _run_headers(path, "application/json")
    headers["location"] = headers["location"].replace("/stream", "/join")
    values = wait_values(int(knobs.get("wait_bytes", 300)))
    writer.write(_head("200 OK", headers) + _chunk(json.dumps(values).encode()) + b"0\r\n\r\n")
    await writer.drain()


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            _method, path, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length) if length else b""
            knobs = (json.loads(body).get("input") or {}) if body else {}
            if not isinstance(knobs, dict):
                knobs = {}
            if path == "/ok":
                payload = b'{"ok":true}'
                writer.write(
                    _head("200 OK", {"content-type": "application/json", "content-length": "11"}) + payload
                )
            elif path.endswith("/runs/stream"):
                await _stream(writer, path, knobs)
            elif path.endswith("/runs/wait"):
                await _wait(writer, path, knobs)
            else:
                payload = b'{"detail":"Not Found"}'
                headers = {"content-type": "application/json", "content-length": str(len(payload))}
                writer.write(_head("404 Not Found", headers) + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(host: str, port: int, ready: asyncio.Event | None = None) -> None:
    server = await asyncio.start_server(_serve, host, port, backlog=4096)
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
