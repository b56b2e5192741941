"""Faults the Script of scripted_upstream cannot express: answers written by hand, byte by byte.

A script function may return a `Raw` answer instead of a Script: `respond(upstream, reader,
writer)` writes whatever it likes (or nothing) and returns True to keep the connection for the
next request. The upstream still records every request and notices hang-ups.

    async with FaultUpstream(lambda request: Raw(reset_before_headers)) as up: ...
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .scripted_upstream import Request, Script, ScriptedUpstream

Respond = Callable[["FaultUpstream", asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bool]]


@dataclass
class Raw:
    respond: Respond


class FaultUpstream(ScriptedUpstream):
    def __init__(self, script: Callable[[Request], Script | Raw]) -> None:
        super().__init__(script)  # type: ignore[arg-type]  # Raw answers are ours

    @property
    def host(self) -> str:
        return self.url.removeprefix("http://")

    async def _answer(
        self, script: Script | Raw, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        if isinstance(script, Raw):
            return await script.respond(self, reader, writer)
        return await super()._answer(script, reader, writer)

    def note_hangup(self) -> None:
        self._note_hangup()


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0) instead of a FIN."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def reset_before_headers(
    upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> bool:
    reset(writer)
    return False


async def close_before_headers(
    upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> bool:
    writer.close()
    return False


async def stall_before_headers(
    upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> bool:
    """Send not one byte; note the hang-up when the gateway gives up."""
    if not await reader.read(1):
        upstream.note_hangup()
    return False


def chunked_response(status: str, headers: dict[str, str], body_chunks: list[bytes]) -> bytes:
    head = [f"HTTP/1.1 {status}", "transfer-encoding: chunked", *(f"{k}: {v}" for k, v in headers.items())]
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in body_chunks if chunk)
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body + b"0\r\n\r\n"


def drip(response: bytes, pause: float) -> Respond:
    """The whole response, head included, one byte per TCP segment with a pause between."""

    async def respond(
        upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for index in range(len(response)):
            writer.write(response[index : index + 1])
            await writer.drain()
            await asyncio.sleep(pause)
        return True

    return respond
