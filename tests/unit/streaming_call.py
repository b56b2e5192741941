"""A streaming call driven in process, from the upstream's answer to grpc's write: the call's
handler (calls.py), the boundary, the servicer and the relay, with grpc's context and the upstream
played by the objects below."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from langgraph_grpc_gateway import access_log, calls, streaming
from langgraph_grpc_gateway.config import Settings
from langgraph_grpc_gateway.sse import ServerSentEvent
from multidict import CIMultiDict, CIMultiDictProxy

SETTINGS = Settings(upstream="http://upstream")


def event(n: int) -> ServerSentEvent:
    return ServerSentEvent("updates", b'{"node": {"n": %d}}' % n, f"{n}-0")


class Context:
    """grpc's context as far as a streaming call reads it; `write` is grpc's end of the stream."""

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return ()

    def time_remaining(self) -> float | None:
        return None

    def peer(self) -> str:
        return "ipv4:127.0.0.1:53012"

    def auth_context(self) -> dict[str, list[bytes]]:
        return {}

    async def send_initial_metadata(self, metadata: object) -> None:
        pass

    async def write(self, message: object) -> None:
        pass


class Exchange:
    """One upstream answer, as Upstream.open gives it: a batch of one event for each step of its
    script, or the step raised (a broken connection). `before_read` runs each time the relay asks
    for the next batch."""

    def __init__(self, script: list[Any], location: str | None, before_read: Callable[[], None]) -> None:
        found = {"content-location": "/threads/t/runs/r", **({"location": location} if location else {})}
        self.headers = CIMultiDictProxy(CIMultiDict(found))
        self.script, self.before_read, self.closed = script, before_read, False

    async def __aenter__(self) -> Exchange:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.closed = True

    def expect_event_stream(self) -> None:
        pass

    async def batches(self) -> AsyncIterator[list[ServerSentEvent]]:
        for step in self.script:
            self.before_read()
            if isinstance(step, Exception):
                raise step
            yield [step]
        self.before_read()


class Upstream:
    """Answers each open() with the next script (a thread's run, resumable, when `location` is
    its stream's path); keeps every answer it gave in `opened`."""

    def __init__(
        self, *scripts: list[Any], location: str | None = None, before_read: Callable[[], None] = lambda: None
    ) -> None:
        self.scripts, self.location, self.before_read = list(scripts), location, before_read
        self.opened: list[Exchange] = []

    def open(self, *args: Any, **kwargs: Any) -> Exchange:
        self.opened.append(Exchange(self.scripts.pop(0), self.location, self.before_read))
        return self.opened[-1]


def handler(service: Any, method: str) -> Callable[[Any, Context], Any]:
    """grpc's handler for `service`'s `method`, as server.py registers it on the default flags:
    the access log on (its line an INFO record, as for an embedded gateway), no guards (no auth
    or limits configured); reconnecting at once (these tests are not about when it reconnects)."""
    service.relay = streaming.Relay(service.upstream, streaming.ReconnectPolicy(attempts=3, backoff=0))
    observers = (access_log.AccessLog(),)
    return calls._Method("pkg.Svc", method, guards=(), observers=observers).stream(getattr(service, method))
