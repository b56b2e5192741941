"""The HTTP side: requests to the LangGraph API server over one shared, pooled httpx client.

Thin I/O only. Error statuses and transport failures become GatewayErrors here, so the servicer
deals in answers and errors, never in httpx exceptions. The response is always closed when the
caller's block ends, however it ends: on a cancelled gRPC call that closes the connection at once,
which is what makes the upstream apply the run's on_disconnect policy.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from . import errors
from .config import Settings
from .sse import ServerSentEvent, SSEDecoder


def create_client(
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """The shared client: keep-alive pooled, no read timeout (runs may be long; deadlines bound them)."""
    limits = httpx.Limits(
        max_connections=settings.max_upstream_connections,
        max_keepalive_connections=100,
        keepalive_expiry=30.0,
    )
    return httpx.AsyncClient(
        base_url=settings.upstream_base,
        timeout=httpx.Timeout(None, connect=settings.connect_timeout),
        limits=limits,
        transport=transport,
        follow_redirects=False,
        verify=verify,  # an https upstream's certificate is checked against this (tls.upstream_context)
    )


@dataclass
class Answer:
    """An upstream answer whose status was a success; its body is read by the caller."""

    response: httpx.Response

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        """The body as Server-Sent Events; a broken connection raises a GatewayError."""
        decoder = SSEDecoder()
        async with _transport_errors(started=True):
            async for chunk in self.response.aiter_raw():
                for event in decoder.feed(chunk):
                    yield event
        for event in decoder.flush():
            yield event

    async def body(self) -> bytes:
        async with _transport_errors(started=True):
            return await self.response.aread()


Params = Mapping[str, str | list[str]]


class Upstream:
    """Sends requests to the upstream and hands back successful answers."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    @asynccontextmanager
    async def open(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        *,
        body: bytes | None = None,
        params: Params | None = None,
    ) -> AsyncIterator[Answer]:
        """The answer, its body still unread; an error status raises its GatewayError."""
        if body is not None:
            headers = {"content-type": "application/json", **headers}
        request = self._client.build_request(method, path, content=body, params=params, headers=headers)
        async with _transport_errors(started=False):
            response = await self._client.send(request, stream=True)
        try:
            if not response.is_success:
                async with _transport_errors(started=False):
                    content = await response.aread()
                raise errors.from_http_status(response.status_code, content)
            yield Answer(response)
        finally:
            await response.aclose()

    async def fetch(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        *,
        body: bytes | None = None,
        params: Params | None = None,
    ) -> tuple[bytes, httpx.Headers]:
        """The whole body and the headers of a successful answer."""
        async with self.open(method, path, headers, body=body, params=params) as answer:
            return await answer.body(), answer.headers


@asynccontextmanager
async def _transport_errors(*, started: bool) -> AsyncIterator[None]:
    try:
        yield
    except httpx.HTTPError as exc:
        raise errors.from_transport_error(exc, started=started) from exc
