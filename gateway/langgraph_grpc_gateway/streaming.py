"""Upstream event streams as gRPC messages: the relay, resumption after a dropped connection,
and heartbeats. Every streaming RPC (StreamRun, JoinStream, JoinThreadStream) goes through Relay.

Resumption follows the LangGraph API's protocol: a thread run created with stream_resumable
tags each event with an id, and GET /threads/{tid}/runs/{rid}/stream with Last-Event-ID sends
exactly the events after it. So when the connection drops mid-stream (no clean end of the chunked
body), the relay reconnects there, a bounded number of times with backoff, and the client's
stream goes on without a gap or a duplicate. A stream that ends cleanly is the run's end: the
upstream closes it only then. A reconnection asks for what the first request asked (the same
query parameters), from after the last event delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TypeVar

from langgraph_gateway.v1 import runs_pb2, threads_pb2

from . import routes, translate
from .errors import GatewayError
from .sse import ServerSentEvent
from .upstream import Answer, Params, Upstream

T = TypeVar("T")
# The requests of streaming RPCs: each has data_format, heartbeat_seconds and coalesce_events.
StreamRequest = runs_pb2.StreamRunRequest | runs_pb2.JoinStreamRequest | threads_pb2.JoinThreadStreamRequest


@dataclass(frozen=True)
class ReconnectPolicy:
    attempts: int = 3
    """Reconnections in a row without receiving an event; 0 disables resumption."""
    backoff: float = 0.2
    """Seconds before the first reconnection, doubled for each next one (capped at 5 s)."""

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff * 2 ** (attempt - 1), 5.0))


@dataclass(frozen=True)
class Relay:
    """Relays upstream event streams to a gRPC client, as the client asked (one event or a batch
    per message, the data parsed or raw, heartbeats), resuming them across dropped connections.

        relay = Relay(upstream, ReconnectPolicy(attempts=3), send_limit=None)
        messages = relay.join(path, params, headers, "-1", request, JoinStreamResponse)
    """

    upstream: Upstream
    policy: ReconnectPolicy
    send_limit: int | None = None
    """Bytes a coalesced message stays under (the server's max send message size)."""

    def join(
        self,
        path: str,
        params: Params | None,
        headers: Mapping[str, str],
        last_event_id: str,
        request: StreamRequest,
        cls: type[translate.StreamMessage],
        *,
        end_on_run_error: bool = True,
    ) -> AsyncIterator[translate.StreamMessage | bytes]:
        """The messages of the event stream at GET `path` (a run's or a thread's), from after
        `last_event_id` when given."""
        first = {**headers, "last-event-id": last_event_id} if last_event_id else headers
        exchange = self.upstream.open("GET", path, first, params=params)
        return self.stream(
            exchange,
            headers,
            request,
            cls,
            resume_path=path,
            resume_params=params,
            end_on_run_error=end_on_run_error,
        )

    async def stream(
        self,
        exchange: AbstractAsyncContextManager[Answer],
        headers: Mapping[str, str],
        request: StreamRequest,
        cls: type[translate.StreamMessage],
        *,
        opened: Callable[[Answer], Awaitable[object]] | None = None,
        resume_path: str | None = None,
        resume_params: Params | None = None,
        end_on_run_error: bool = True,
    ) -> AsyncIterator[translate.StreamMessage | bytes]:
        """The messages of the event stream `exchange` answers (a run created with it, or one
        joined), its answer closed with the stream; `opened(answer)` runs before the first event.
        Resumed across dropped connections as `resumed_batches` says, with `headers`."""
        async with exchange as answer:
            answer.expect_event_stream()
            if opened is not None:
                await opened(answer)
            batches = resumed_batches(
                self.upstream,
                answer,
                headers,
                self.policy,
                resume_path=resume_path,
                resume_params=resume_params,
            )
            messages = self.messages(batches, request, cls, end_on_run_error=end_on_run_error)
            try:
                async for message in messages:
                    yield message
                    del message  # before waiting for the next: see calls._Method.stream
            finally:
                await close(messages)

    async def messages(
        self,
        batches: AsyncIterator[list[ServerSentEvent]],
        request: StreamRequest,
        cls: type[translate.StreamMessage],
        *,
        end_on_run_error: bool = True,
    ) -> AsyncIterator[translate.StreamMessage | bytes]:
        """Events as messages: one each, or a batch each when coalesced, with heartbeats when asked.
        A message of one event is its wire bytes (translate.EventWriter), the others are objects.
        An `error` event is sent, then raised: always when the request failed upstream (a run it
        could not find), and when a run failed only if `end_on_run_error` (a run's stream ends with
        its run; a thread's stream goes on past one run's failure)."""
        raw, coalesce, every = (
            translate.raw_json_wanted(request),
            request.coalesce_events,
            request.heartbeat_seconds,
        )
        items = with_heartbeats(batches, every) if every else batches
        write = translate.EventWriter(raw)
        event: ServerSentEvent | None = None
        message: translate.StreamMessage | None = None
        try:
            async for batch in items:
                if batch is None:
                    yield cls(event="heartbeat", mode="heartbeat")
                    continue
                if coalesce:
                    batch, failure = translate.upto_error(batch, run_failures=end_on_run_error)
                    for message in translate.coalesced_messages(batch, cls, raw, self.send_limit):
                        yield message
                    if failure:
                        raise failure
                    batch = message = None
                    continue
                for event in batch:
                    yield write(event)  # any of the three messages: the same fields
                    if (failure := translate.run_error(event)) and translate.ends_stream(
                        failure, run_failures=end_on_run_error
                    ):
                        raise failure
                # Let the last batch go before waiting for the next: a stream spends most of its life
                # waiting, and whatever it holds then is held once per open stream (with the chunk
                # Answer.batches lets go of, 2.4 KB of a token stream's 42.6 KB: bench/NOTES.md).
                batch = event = None
        finally:
            await close(items)


def resumed_batches(
    upstream: Upstream,
    first: Answer,
    headers: Mapping[str, str],
    policy: ReconnectPolicy,
    *,
    resume_path: str | None = None,
    resume_params: Params | None = None,
) -> AsyncIterator[list[ServerSentEvent]]:
    """The event batches of `first`, continued across dropped connections when the stream is
    resumable: reopened at `resume_path` (by default the run's, from its Location header) with
    `resume_params`. A stream that cannot be resumed (a stateless run's) is `first`'s batches as
    they are, with no generator of ours in between: one less step for every batch."""
    resume_path = resume_path or routes.resumable_stream(first.headers.get("location"))
    if resume_path is None or not policy.attempts:
        return first.batches()
    return _resumed(upstream, first, headers, policy, resume_path, resume_params)


async def _resumed(
    upstream: Upstream,
    first: Answer,
    headers: Mapping[str, str],
    policy: ReconnectPolicy,
    resume_path: str,
    resume_params: Params | None,
) -> AsyncIterator[list[ServerSentEvent]]:
    last_id, attempt, answer = "", 0, first
    async with contextlib.AsyncExitStack() as stack:
        while True:
            batches = answer.batches()
            try:
                async for batch in batches:
                    if attempt and batch[0].id and batch[0].id == last_id:
                        batch = batch[1:]  # already delivered before the reconnection
                    if batch:
                        last_id, attempt = _last_id(batch, last_id), 0
                        yield batch
                    del batch  # not held while the next is awaited (Relay.messages says why)
                return
            except GatewayError as exc:
                if not _resumable(exc, last_id) or attempt >= policy.attempts:
                    raise
            finally:
                await close(batches)  # as every layer closes what it reads: see close()
            attempt += 1
            await asyncio.sleep(policy.delay(attempt))
            await stack.aclose()
            resume_headers = {**headers, "last-event-id": last_id}
            answer = await _reopen(upstream, stack, resume_path, resume_headers, resume_params)


def _last_id(batch: list[ServerSentEvent], previous: str) -> str:
    return next((event.id for event in reversed(batch) if event.id), previous)


def _resumable(exc: GatewayError, last_id: str) -> bool:
    # Without an id there is no point to resume from that would not lose or repeat events.
    return exc.reason == "UPSTREAM_STREAM_BROKEN" and bool(last_id)


async def _reopen(
    upstream: Upstream,
    stack: contextlib.AsyncExitStack,
    path: str,
    headers: Mapping[str, str],
    params: Params | None,
) -> Answer:
    answer = await stack.enter_async_context(upstream.open("GET", path, headers, params=params))
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
        await close(iterator)


async def close(stream: AsyncIterator[object]) -> None:
    """Close `stream` (a generator) now, in this task. `async for` leaves the generator it reads
    open when the loop is left early (the client left, the call was cancelled): collected later,
    it is closed by asyncio in a task of its own, after the call has ended, and an upstream answer
    it holds stays open until then (tests/unit/test_closed_with_the_call.py)."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()
