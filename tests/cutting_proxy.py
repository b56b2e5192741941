"""An HTTP proxy in front of the real LangGraph server that cuts run streams after N events.

It forwards every request to the upstream and relays the answer; for the first `cuts` answers
to POST .../runs/stream it drops the TCP connection (no end of the chunked body) after `after`
events (comments not counted), which is what a flaky network or a restarted load balancer does
to a live stream. The gateway's health probes (GET /ok) are relayed too, but kept out of
`requests`: they are not what a test checks (scripted_upstream.py does the same).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx

from .scripted_upstream import Request, _read_request, is_probe

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class CuttingProxy:
    def __init__(self, upstream_url: str, *, after: int, cuts: int = 1) -> None:
        self._client = httpx.AsyncClient(base_url=upstream_url, timeout=httpx.Timeout(None, connect=10))
        self.after, self.cuts_left = after, cuts
        self.requests: list[Request] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while request := await _read_request(reader):
                if not is_probe(request):
                    self.requests.append(request)
                if not await self._relay(request, writer):
                    return
        except (ConnectionError, asyncio.CancelledError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _relay(self, request: Request, writer: asyncio.StreamWriter) -> bool:
        cut = request.method == "POST" and request.path.endswith("/runs/stream") and self.cuts_left > 0
        if cut:
            self.cuts_left -= 1
        headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP | {"host"}}
        upstream_request = self._client.build_request(
            request.method, request.path, headers=headers, content=request.body
        )
        response = await self._client.send(upstream_request, stream=True)
        try:
            head = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}", "transfer-encoding: chunked"]
            head += [f"{k}: {v}" for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
            events, partial = 0, b""
            async for chunk in response.aiter_raw():
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                await writer.drain()
                # Whole events only, however the chunks fall, and not the upstream's heartbeat
                # comments (": heartbeat" every 5 s), which are no event to count.
                *blocks, partial = (partial + chunk).split(b"\r\n\r\n")
                events += sum(1 for block in blocks if not block.startswith(b":"))
                if cut and events >= self.after:
                    return False  # drop the connection mid-body
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            return True
        finally:
            with contextlib.suppress(Exception):
                await response.aclose()
