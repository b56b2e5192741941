"""The HTTP side: requests to the LangGraph API server over one shared, pooled aiohttp session.

Thin I/O only. Error statuses and transport failures become GatewayErrors here, so the servicers
deal in answers and errors, never in aiohttp exceptions. The response is always released when the
caller's block ends, however it ends; a body not read to its end closes the connection at once,
which is what makes the upstream apply the run's on_disconnect policy.

Why aiohttp here (httpx stays the direct HTTP path of tests and benchmarks): it parses HTTP in C,
`readany()` hands over everything already buffered (so while a gRPC write is in flight, events
pile up and go out together when the client asked for coalescing), its stream buffer pauses the
socket when full (so a client that stops reading stops the upstream read: bounded memory), and
its pool holds thousands of concurrent streams where httpcore's pool scan grows with each.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from . import errors
from .config import Settings
from .sse import ServerSentEvent, SSEDecoder

Params = Mapping[str, str | list[str]]
Headers = CIMultiDictProxy[str]

# Below uvicorn's default keep-alive timeout (5 s), so an idle pooled connection is retired by us
# before the upstream closes it under a request that is being sent.
KEEPALIVE_SECONDS = 4.0
# How far each answer's reading runs ahead of the relay: aiohttp stops reading the socket once
# twice this waits unread, and the rest waits in the kernel and the upstream (TCP's backpressure).
# aiohttp's default (256 KiB, so 512 KiB a stream) let a process whose core is full hold its
# backlog itself: at 2,000 streams of 20 events/s, 30 KB a stream on average of events read and
# not yet relayed, and 140 KB of RSS a stream in all; with 4 KiB, 2.5 KB and 69 KB
# (bench/NOTES.md). A stream that keeps up never has this much waiting, so it costs nothing then.
READ_BUFFER = 4 * 1024


def create_session(
    settings: Settings,
    *,
    verify: ssl.SSLContext | bool = True,
    trace_configs: Sequence[aiohttp.TraceConfig] = (),
    pooled: bool = True,
) -> aiohttp.ClientSession:
    """The shared session: keep-alive pooled, no read timeout (runs may be long; deadlines bound them).

    `pooled=False` (the health probes' session): each request on a connection of its own, closed
    after its answer ("Connection: close"). A probe then checks what a new call may need, that
    the upstream accepts connections, and between probes the gateway holds no connection open
    for them (a pooled one, reused every 5 s, would never go idle long enough to be retired)."""
    connector = aiohttp.TCPConnector(
        limit=settings.max_upstream_connections or 0,
        keepalive_timeout=KEEPALIVE_SECONDS if pooled else None,
        force_close=not pooled,
        ssl=verify,  # an https upstream's certificate is checked against this
    )
    timeout = aiohttp.ClientTimeout(total=None, connect=settings.connect_timeout)
    # No Accept-Encoding: compressed event streams would be held back by the decompressor.
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        skip_auto_headers=("Accept-Encoding",),
        trace_configs=list(trace_configs) or None,
        read_bufsize=READ_BUFFER,
    )


@dataclass
class Answer:
    """An upstream answer whose status was a success; its body is read by the caller."""

    response: aiohttp.ClientResponse

    @property
    def headers(self) -> Headers:
        return self.response.headers

    def expect_event_stream(self) -> None:
        """A stream endpoint that answers anything but an event stream (a JSON body from a
        misrouted proxy, say) is a protocol error, not an empty stream that ends OK."""
        if self.response.content_type != "text/event-stream":
            raise errors.protocol_error(
                f"upstream answered {self.response.content_type or 'no content type'} "
                "where an event stream was expected"
            )

    async def batches(self) -> AsyncIterator[list[ServerSentEvent]]:
        """The body as Server-Sent Events, in batches (never empty): each read takes every byte
        already buffered, so while the consumer is busy the next batch grows, at no waiting cost.
        A broken connection raises a GatewayError."""
        decoder = SSEDecoder()
        content = self.response.content
        while True:
            try:
                chunk = await content.readany()
            except (TimeoutError, aiohttp.ClientError) as exc:
                if events := decoder.feed(_received_before(content)):
                    yield events  # nothing already received is lost
                raise errors.from_transport_error(exc, started=True) from exc
            if not chunk:
                break
            events = decoder.feed(chunk)
            del chunk  # not held while the next is read: see streaming.Relay.messages
            if events:
                yield events
            del events
        if events := decoder.flush():
            yield events

    async def body(self) -> bytes:
        # Transport errors are caught inline here and in `open`, not by a shared async context
        # manager: these run on every call, and each such manager is several calls more.
        try:
            return await self.response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise errors.from_transport_error(exc, started=True) from exc


class Upstream:
    """Sends requests to the upstream and hands back successful answers."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")

    def open(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        *,
        body: bytes | None = None,
        params: Params | None = None,
    ) -> _Exchange:
        """`async with upstream.open(...) as answer`: the answer, its body still unread; an error
        status raises its GatewayError."""
        if body is not None:
            headers = {"content-type": "application/json", **headers}
        # Paths are built from validated ids only (routes.py): nothing to encode.
        url = URL(self._base + path, encoded=True)
        return _Exchange(self._session, method, url, headers, body, _query(params))

    async def fetch(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        *,
        body: bytes | None = None,
        params: Params | None = None,
    ) -> tuple[bytes, Headers]:
        """The whole body and the headers of a successful answer."""
        async with self.open(method, path, headers, body=body, params=params) as answer:
            return await answer.body(), answer.headers


class _Exchange:
    """One request and its answer, as an async context manager written out rather than made with
    @asynccontextmanager: this runs on every call, and a generator-based manager is several
    calls more (its generator, its __anext__ on entry and on exit)."""

    __slots__ = ("_body", "_headers", "_method", "_params", "_response", "_session", "_url")

    def __init__(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        headers: Mapping[str, str],
        body: bytes | None,
        params: list[tuple[str, str]] | None,
    ) -> None:
        self._session = session
        self._method = method
        self._url = url
        self._headers = headers
        self._body = body
        self._params = params
        self._response: aiohttp.ClientResponse | None = None

    async def __aenter__(self) -> Answer:
        try:
            response = await self._session.request(
                self._method,
                self._url,
                data=self._body,
                params=self._params,
                headers=self._headers,
                allow_redirects=False,
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise errors.from_transport_error(exc, started=False) from exc
        if response.status >= 300:
            try:
                try:
                    content = await response.read()
                except (TimeoutError, aiohttp.ClientError) as exc:
                    raise errors.from_transport_error(exc, started=False) from exc
                raise errors.from_http_status(response.status, content)
            finally:
                _let_go(response)
        self._body = None  # sent: a long stream need not hold its request for its whole life
        self._response = response
        return Answer(response)

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            _let_go(self._response)


def _let_go(response: aiohttp.ClientResponse) -> None:
    if response.content.at_eof():
        response.release()  # back to the pool
    else:
        response.close()  # unfinished: hang up, so the upstream sees the disconnect


def _received_before(content: aiohttp.StreamReader) -> bytes:
    """The bytes buffered before the connection broke. aiohttp's public reads raise as soon as the
    connection is lost, even over data already received; its private buffer read does not.
    (tests/test_resumption.py and test_scripted_upstream.py fail if this ever stops working.)"""
    read_nowait = getattr(content, "_read_nowait", None)
    return bytes(read_nowait(-1)) if read_nowait is not None else b""


def _query(params: Params | None) -> list[tuple[str, str]] | None:
    if not params:
        return None
    return [(k, item) for k, v in params.items() for item in ([v] if isinstance(v, str) else v)]
