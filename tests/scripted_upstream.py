"""A scripted HTTP/1.1 upstream for what the real LangGraph server cannot do on demand.

It answers each request with a Script: a status, headers, body chunks (each after an optional
pause), and an ending: a clean end, a closed connection mid-body, a TCP reset, or a stall. It
records every request, and notices when the gateway closes a connection, so tests can check
what reached the upstream and that cancelled calls really hang up.

The gateway's upstream health probe (GET /ok, on by default) is answered 200 as the real server
answers it, and counted in `probes`, not in `requests`: a gateway under test runs with its
default settings, and its probes are not what a test scripts or checks. A test that scripts /ok
itself (tests/test_production_health.py) passes `probes=False`.

    async with ScriptedUpstream(lambda request: Script(chunks=[sse("metadata", {...})])) as up:
        ... Settings(upstream=up.url) ...
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Ending = Literal["complete", "close", "reset", "stall"]


def sse(event: str, data: Any = None, *, id: str | None = None) -> bytes:
    """One event in the LangGraph API's framing (CRLF line ends)."""
    lines = [f"event: {event}"]
    if id is not None:
        lines.append(f"id: {id}")
    if data is not None:
        lines.append("data: " + json.dumps(data, separators=(",", ":")))
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class Script:
    status: int = 200
    headers: dict[str, str] = field(
        default_factory=lambda: {"content-type": "text/event-stream; charset=utf-8"}
    )
    chunks: list[bytes] = field(default_factory=list)
    pause: float = 0.0
    ending: Ending = "complete"
    hold: asyncio.Event | None = None
    """Set: the body waits for it after the headers (the test opens it once it has seen them)."""
    at_once: bool = False
    """The headers and the whole body in one write (ending "complete"): an answer that arrives whole."""


PROBE_ANSWER = Script(headers={"content-type": "application/json"}, chunks=[b'{"ok":true}'], at_once=True)


def is_probe(request: Request) -> bool:
    """The gateway's upstream health probe (upstream_health.py): GET /ok."""
    return request.method == "GET" and request.path == "/ok"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedUpstream:
    def __init__(
        self,
        script: Callable[[Request], Script] | Script,
        *,
        ssl_context: ssl.SSLContext | None = None,
        probes: bool = True,
    ) -> None:
        self._script = script if callable(script) else (lambda _request: script)
        self._ssl = ssl_context  # serve https with this context
        self._answers_probes = probes
        self.requests: list[Request] = []
        self.probes = 0  # health probes answered (GET /ok), when this upstream answers them
        self.hangups = 0  # connections the gateway closed while we were still answering
        self.hung_up = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"{'https' if self._ssl else 'http'}://127.0.0.1:{port}"

    async def __aenter__(self) -> ScriptedUpstream:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self._ssl)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while request := await _read_request(reader):
                if self._answers_probes and is_probe(request):
                    self.probes += 1
                    await self._answer(PROBE_ANSWER, reader, writer)
                    continue
                self.requests.append(request)
                if not await self._answer(self._script(request), reader, writer):
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._connections.discard(task)

    async def _answer(
        self, script: Script, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Send the script; False when the connection must not be reused."""
        head = [f"HTTP/1.1 {script.status} Scripted", "transfer-encoding: chunked"]
        head += [f"{k}: {v}" for k, v in script.headers.items()]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode()
        if script.at_once:
            body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in script.chunks)
            writer.write(head_bytes + body + b"0\r\n\r\n")
            await writer.drain()
            return True
        writer.write(head_bytes)
        if script.hold is not None:
            await writer.drain()
            await script.hold.wait()
        for chunk in script.chunks:
            if script.pause:
                await asyncio.sleep(script.pause)
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            try:
                await writer.drain()
            except ConnectionError:
                self._note_hangup()
                return False
        if script.ending == "complete":
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            return True
        if script.ending == "reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if script.ending == "stall":
            await writer.drain()
            if not await reader.read(1):  # blocks until the gateway hangs up
                self._note_hangup()
        return False

    def _note_hangup(self) -> None:
        self.hangups += 1
        self.hung_up.set()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Request(method, path, headers, body)
