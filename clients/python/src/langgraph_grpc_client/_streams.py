"""The event streams of runs and threads (async and sync): a stream part per message, the call's
run ids from its initial metadata, and cancellation when the reader leaves early."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Any

import grpc

from langgraph_grpc_client import _common
from langgraph_grpc_client.errors import RunFailedError, from_rpc_error
from langgraph_grpc_client.schema import RunCreateMetadata, StreamPart


class AsyncRunStream(AsyncIterator[StreamPart]):
    """The events of a streamed run, as StreamParts. The call starts on the first iteration.

    After the first part, `run_id` and `thread_id` hold the ids the gateway sent as initial
    metadata. Leaving the stream early (break, `aclose()`, `async with` exit, a cancelled task)
    cancels the call, and the gateway hangs up on the server (which then applies on_disconnect).
    """

    run_id: str | None
    thread_id: str | None

    def __init__(
        self,
        start: Callable[[], grpc.aio.UnaryStreamCall[Any, Any]],
        *,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        raise_error: bool = True,
    ) -> None:
        self._start = start
        self._on_run_created = on_run_created
        self._raise_error = raise_error
        self._call: grpc.aio.UnaryStreamCall[Any, Any] | None = None
        self._messages: AsyncIterator[Any] | None = None
        self._done = False
        self._saw_error_event = False
        self.run_id = None
        self.thread_id = None

    def __aiter__(self) -> AsyncRunStream:
        return self

    async def __anext__(self) -> StreamPart:
        if self._done:
            raise StopAsyncIteration
        try:
            if self._call is None or self._messages is None:
                self._call = self._start()
                self._messages = self._call.__aiter__()
                self._created(await self._call.initial_metadata())
            message = await anext(self._messages)
        except StopAsyncIteration:
            self._done = True
            raise
        except grpc.aio.AioRpcError as exc:
            self._done = True
            error = from_rpc_error(exc)
            if isinstance(error, RunFailedError) and self._saw_error_event and not self._raise_error:
                raise StopAsyncIteration from None  # as langgraph-sdk: the `error` event ends it
            raise error from exc
        except BaseException:
            await self.aclose()
            raise
        part = _common.stream_part(message)
        if part.event == "error":
            self._saw_error_event = True
        return part

    def _created(self, initial_metadata: Any) -> None:
        created = _common.run_created(initial_metadata)
        if created is not None:
            self.run_id, self.thread_id = created["run_id"], created["thread_id"]
            if self._on_run_created is not None:
                self._on_run_created(created)

    async def aclose(self) -> None:
        """Stop reading and cancel the call if it is still going."""
        self._done = True
        if self._call is not None and not self._call.done():
            self._call.cancel()

    async def __aenter__(self) -> AsyncRunStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        call = getattr(self, "_call", None)
        if call is not None and not call.done():
            with contextlib.suppress(Exception):  # e.g. the event loop is already closed
                call.cancel()


class SyncRunStream(Iterator[StreamPart]):
    """The events of a streamed run, as StreamParts. The call starts on the first iteration.

    After the first part, `run_id` and `thread_id` hold the ids the gateway sent as initial
    metadata. Leaving the stream early (`close()`, `with` exit, garbage collection) cancels
    the call, and the gateway hangs up on the server (which then applies on_disconnect).
    """

    run_id: str | None
    thread_id: str | None

    def __init__(
        self,
        start: Callable[[], grpc.CallIterator[Any]],
        *,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        raise_error: bool = True,
    ) -> None:
        self._start = start
        self._on_run_created = on_run_created
        self._raise_error = raise_error
        self._call: grpc.CallIterator[Any] | None = None
        self._messages: Iterator[Any] | None = None
        self._done = False
        self._saw_error_event = False
        self.run_id = None
        self.thread_id = None

    def __iter__(self) -> SyncRunStream:
        return self

    def __next__(self) -> StreamPart:
        if self._done:
            raise StopIteration
        try:
            if self._call is None or self._messages is None:
                self._call = self._start()
                self._messages = iter(self._call)
                self._created(self._call.initial_metadata())
            message = next(self._messages)
        except StopIteration:
            self._done = True
            raise
        except grpc.RpcError as exc:
            self._done = True
            error = from_rpc_error(exc)
            if isinstance(error, RunFailedError) and self._saw_error_event and not self._raise_error:
                raise StopIteration from None  # as langgraph-sdk: the `error` event ends it
            raise error from exc
        except BaseException:
            self.close()
            raise
        part = _common.stream_part(message)
        if part.event == "error":
            self._saw_error_event = True
        return part

    def _created(self, initial_metadata: Any) -> None:
        created = _common.run_created(initial_metadata)
        if created is not None:
            self.run_id, self.thread_id = created["run_id"], created["thread_id"]
            if self._on_run_created is not None:
                self._on_run_created(created)

    def close(self) -> None:
        """Stop reading and cancel the call if it is still going."""
        self._done = True
        if self._call is not None:
            _cancel(self._call)

    def __enter__(self) -> SyncRunStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        call = getattr(self, "_call", None)
        if call is not None:
            with contextlib.suppress(Exception):  # e.g. the event loop is already closed
                _cancel(call)


def _cancel(call: Any) -> None:
    call.cancel()
