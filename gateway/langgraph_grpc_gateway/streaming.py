"""Keeping an upstream event stream going: resumption after a dropped connection, and heartbeats.

Resumption follows the LangGraph API's protocol: a thread run created with stream_resumable
tags each event with an id, and GET /threads/{tid}/runs/{rid}/stream with Last-Event-ID sends
exactly the events after it. So when the connection drops mid-stream (no clean end of the chunked
body), the relay reconnects there, a bounded number of times with backoff, and the client's
stream goes on without a gap or a duplicate. A stream that ends cleanly is the run's end: the
upstream closes it only then.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from . import routes
from .errors import GatewayError
from .sse import ServerSentEvent
from .upstream import Answer, Upstream

T = TypeVar("T")


@dataclass(frozen=True)
class ReconnectPolicy:
    attempts: int = 3
    """Reconnections in a row without receiving an event; 0 disables resumption."""
    backoff: float = 0.2
    """Seconds before the first reconnection, doubled for each next one (capped at 5 s)."""

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff * 2 ** (attempt - 1), 5.0))


async def resumed_batches(
    upstream: Upstream,
    first: Answer,
    headers: Mapping[str, str],
    policy: ReconnectPolicy,
    *,
    resume_path: str | None = None,
) -> AsyncIterator[list[ServerSentEvent]]:
    """The event batches of `first`, continued across dropped connections when the run is resumable."""
    resume_path = resume_path or routes.resumable_stream(first.headers.get("location"))
    last_id, attempt, answer = "", 0, first
    async with contextlib.AsyncExitStack() as stack:
        while True:
            try:
                async for batch in answer.batches():
                    if attempt and batch[0].id and batch[0].id == last_id:
                        batch = batch[1:]  # already delivered before the reconnection
                    if batch:
                        last_id, attempt = _last_id(batch, last_id), 0
                        yield batch
                return
            except GatewayError as exc:
                if not _resumable(exc, resume_path, last_id) or attempt >= policy.attempts:
                    raise
            attempt += 1
            await asyncio.sleep(policy.delay(attempt))
            await stack.aclose()
            assert resume_path is not None
            answer = await _reopen(upstream, stack, resume_path, {**headers, "last-event-id": last_id})


def _last_id(batch: list[ServerSentEvent], previous: str) -> str:
    return next((event.id for event in reversed(batch) if event.id), previous)


def _resumable(exc: GatewayError, resume_path: str | None, last_id: str) -> bool:
    # Without an id there is no point to resume from that would not lose or repeat events.
    return exc.reason == "UPSTREAM_STREAM_BROKEN" and resume_path is not None and bool(last_id)


async def _reopen(
    upstream: Upstream, stack: contextlib.AsyncExitStack, path: str, headers: Mapping[str, str]
) -> Answer:
    answer = await stack.enter_async_context(upstream.open("GET", path, headers))
    answer.expect_event_stream()
    return answer


async def with_heartbeats(items: AsyncIterator[T], every: float) -> AsyncIterator[T | None]:
    """`items`, with None after every `every` seconds in which no item came."""
    iterator = aiter(items)
    pending: asyncio.Future[T] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            done, _ = await asyncio.wait({pending}, timeout=every)
            if not done:
                yield None
                continue
            finished, pending = pending, None
            try:
                item = finished.result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()
