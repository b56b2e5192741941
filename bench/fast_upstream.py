"""A fast upstream that speaks the LangGraph API's wire format, for benchmarks and soak tests.

The stock server polls its run queue every 0.5 s, far too slow to measure a proxy against. This
one answers at once, with the headers, CRLF framing and event shapes recorded from the real
server (../shared/reference/langgraph-api-wire/): `metadata` first, then `updates` events of
about 300 bytes or `messages` token chunks, and no end event (the stream just closes).

Each request chooses its own run through its `input` (so one server serves every scenario):

    {"events": 1000, "mode": "updates" | "messages", "rate": 0, "size": 300, "wait_bytes": 1000,
     "delay": 0, "close": false}

`rate` is events per second per stream (0: as fast as the socket takes them). Every event's data
carries its sequence number `seq`, so a consumer can check each arrives exactly once, in order.
With `"stamp": true` it also carries `t`, the time.time() at which the upstream wrote it, so a
consumer on the same machine can measure the delay each event gained on its way. `delay` is the
seconds the run thinks before the upstream answers (its headers), streamed or waited for; it stops
if the client hangs up. With `"close": true` the upstream closes the connection after the answer
(`connection: close`), so a client pools no idle connection.

A thread run can be joined: `GET /threads/{thread_id}/runs/{run_id}/stream` streams the run that
`POST /threads/{thread_id}/runs` (a background run) or `.../runs/stream` created with those
knobs (the last 10,000 runs are remembered; any other run id streams the defaults). Each event
carries an SSE id, its place in the stream (metadata 0, event `seq` n is n + 1), and a request
with `Last-Event-ID` gets the events after it ("-1": from the start).

    python bench/fast_upstream.py --port 8123
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import uuid
from collections import OrderedDict
from typing import Any

_ids = itertools.count()
REMEMBERED_RUNS = 10_000
# A token's metadata as langgraph dev sends it with every `messages-tuple` event (recorded).
MESSAGE_METADATA = {
    "created_by": "system",
    "assistant_id": "08b733c1-2d26-51bb-85d3-cbe6636ceb52",
    "run_attempt": 1,
    "langgraph_version": "1.2.24",
    "langgraph_api_version": "0.16.7",
    "langgraph_plan": "enterprise",
    "langgraph_host": "self-hosted",
    "langgraph_api_url": "http://127.0.0.1:2124",
    "run_id": "01a21394-c8a0-718e-934e-5fc64c0c93c2",
    "thread_id": "01a21394-c8a0-718e-934e-5fc729763e98",
    "graph_id": "fakellm",
    "ls_integration": "langchain_chat_model",
    "langgraph_step": 1,
    "langgraph_node": "llm",
    "langgraph_triggers": ["branch:to:llm"],
    "langgraph_path": ["__pregel_pull", "llm"],
    "langgraph_checkpoint_ns": "llm:01aad98c-7aa7-3cda-c4d2-da57bbbfe9fe",
    "checkpoint_ns": "llm:01aad98c-7aa7-3cda-c4d2-da57bbbfe9fe",
    "ls_provider": "genericfakechatmodel",
    "ls_model_type": "chat",
    "lc_versions": {"langchain-core": "1.8.3"},
}


def encode(data: Any) -> bytes:
    """An event's data as the upstream writes it on its `data:` line (compact JSON)."""
    return json.dumps(data, separators=(",", ":")).encode()


def _event(name: str, data: Any) -> bytes:
    return b"event: %s\r\ndata: %s\r\n\r\n" % (name.encode(), encode(data))


def _with_id(event: bytes, event_id: int) -> bytes:
    """`event` carrying an SSE id line, as a resumable stream sends it."""
    return b"%sid: %d\r\n\r\n" % (event[:-2], event_id)


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
    # As a chat model's chunks: each one's token (its content) is new, the rest the same; the
    # token carries the event's sequence number (seq_of).
    chunk: dict[str, Any] = {
        "content": f" tok{seq}",
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
    }
    if stamp:
        chunk["t"] = time.time()
    return [chunk, MESSAGE_METADATA]


def seq_of(data: Any) -> int:
    """The sequence number of an event's data: an `updates` event's or a `messages` event's."""
    if isinstance(data, dict):
        return int(data["seq"])
    return int(data[0]["content"].removeprefix(" tok"))


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", "server: fast-upstream", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _run_headers(
    path: str, content_type: str, knobs: dict[str, Any], run_id: str | None = None
) -> dict[str, str]:
    parts = path.split("/")
    run_id = run_id or str(uuid.uuid4())
    base = f"/threads/{parts[2]}/runs/{run_id}" if path.startswith("/threads/") else f"/runs/{run_id}"
    return {
        "location": f"{base}/stream",
        "content-location": base,
        "cache-control": "no-store",
        "x-accel-buffering": "no",
        "content-type": content_type,
        "transfer-encoding": "chunked",
        **_connection(knobs),
    }


def _connection(knobs: dict[str, Any]) -> dict[str, str]:
    return {"connection": "close"} if knobs.get("close") else {}


async def _think(reader: asyncio.StreamReader, knobs: dict[str, Any]) -> None:
    """The run's `delay` before its answer; a client that hangs up meanwhile ends the connection."""
    if await _hung_up_within(reader, float(knobs.get("delay", 0))):
        raise ConnectionResetError("the client left while the run was thinking")


class Runs:
    """The knobs of the thread runs created lately, by run id, for their joins."""

    def __init__(self) -> None:
        self._knobs: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def created(self, run_id: str, knobs: dict[str, Any]) -> None:
        self._knobs[run_id] = knobs
        while len(self._knobs) > REMEMBERED_RUNS:
            self._knobs.popitem(last=False)

    def knobs(self, run_id: str) -> dict[str, Any]:
        return self._knobs.get(run_id, {})


RUNS = Runs()


async def _stream(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, knobs: dict[str, Any]
) -> None:
    await _think(reader, knobs)
    headers = _run_headers(path, "text/event-stream; charset=utf-8", knobs)
    run_id = headers["content-location"].rsplit("/", 1)[1]
    if path.startswith("/threads/"):
        RUNS.created(run_id, knobs)
    writer.write(_head("200 OK", headers))
    await _events(writer, run_id, knobs)


async def _join(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, last_event_id: str
) -> dict[str, Any]:
    """GET /threads/{thread_id}/runs/{run_id}/stream: the run's events again, with ids. The run's
    knobs (they rule the connection too)."""
    run_id = path.split("/")[4]
    knobs = RUNS.knobs(run_id)
    await _think(reader, knobs)
    writer.write(_head("200 OK", _run_headers(path, "text/event-stream; charset=utf-8", knobs, run_id)))
    after = int(last_event_id) if last_event_id.lstrip("-").isdigit() else -1
    await _events(writer, run_id, knobs, after=max(after, -1), ids=True)
    return knobs


async def _events(
    writer: asyncio.StreamWriter, run_id: str, knobs: dict[str, Any], *, after: int = -1, ids: bool = False
) -> None:
    """The events whose ids come after `after` (metadata is 0, `seq` n is n + 1), as the knobs
    say; then the end. With `ids` each carries its id."""
    metadata = _event("metadata", {"run_id": run_id, "attempt": 1})
    if after < 0:
        writer.write(_chunk(_with_id(metadata, 0) if ids else metadata))
    first = max(after, 0)
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
    for seq in range(first, count):
        if rate:
            delay = started + (seq - first) / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        if writer.is_closing():
            return  # the reader left (a load tool's deadline cut the call): stop writing to no one
        writer.write(_chunk(_with_id(make(seq), seq + 1) if ids else make(seq)))
        if rate or seq % 64 == 63:
            await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def wait_values(size: int) -> dict[str, Any]:
    """The final state /runs/wait answers: one AI message of `size` characters."""
    return {"messages": [{"content": "x" * size, "type": "ai"}], "count": 1}


async def _wait(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, knobs: dict[str, Any]
) -> None:
    await _think(reader, knobs)
    headers = _run_headers(path, "application/json", knobs)
    headers["location"] = headers["location"].replace("/stream", "/join")
    values = wait_values(int(knobs.get("wait_bytes", 300)))
    writer.write(_head("200 OK", headers) + _chunk(json.dumps(values).encode()) + b"0\r\n\r\n")
    await writer.drain()


async def _hung_up_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Waits `seconds`, unless the client hangs up first (True then). An HTTP/1.1 client sends
    nothing while it waits for an answer, so any byte read here can only be the end."""
    if seconds <= 0:
        return False
    try:
        return await asyncio.wait_for(reader.read(1), seconds) == b""
    except TimeoutError:
        return False


def _created_run(path: str, knobs: dict[str, Any]) -> bytes:
    """POST /threads/{thread_id}/runs: a background run, remembered for its joins."""
    run_id, now = str(uuid.uuid4()), time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    RUNS.created(run_id, knobs)
    run = {
        "run_id": run_id,
        "thread_id": path.split("/")[2],
        "assistant_id": MESSAGE_METADATA["assistant_id"],
        "created_at": now,
        "updated_at": now,
        "status": "pending",
        "metadata": {},
        "kwargs": {"input": knobs},
        "multitask_strategy": "reject",
    }
    payload = json.dumps(run).encode()
    headers = {"content-type": "application/json", "content-length": str(len(payload)), **_connection(knobs)}
    return _head("200 OK", headers) + payload


def _header(head: bytes, name: bytes) -> str:
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode()
    return ""


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            path = target.split("?", 1)[0]
            length = int(_header(head, b"content-length") or 0)
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
                await _stream(reader, writer, path, knobs)
            elif path.endswith("/runs/wait"):
                await _wait(reader, writer, path, knobs)
            elif method == "GET" and _is_thread_run(path, "stream"):
                knobs = await _join(reader, writer, path, _header(head, b"last-event-id"))
            elif method == "POST" and path.startswith("/threads/") and path.endswith("/runs"):
                writer.write(_created_run(path, knobs))
            else:
                payload = b'{"detail":"Not Found"}'
                headers = {"content-type": "application/json", "content-length": str(len(payload))}
                writer.write(_head("404 Not Found", headers) + payload)
            await writer.drain()
            if knobs.get("close"):
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _is_thread_run(path: str, tail: str) -> bool:
    """Whether `path` is /threads/{thread_id}/runs/{run_id}/{tail}."""
    parts = path.split("/")
    return len(parts) == 6 and parts[1] == "threads" and parts[3] == "runs" and parts[5] == tail


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
