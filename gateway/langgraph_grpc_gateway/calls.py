"""Every call to the gateway's own services, seen once: admitted or refused, then recorded.

One grpc.aio server interceptor wraps each RunsService/ThreadsService/AssistantsService method.
Before the method runs, the guards (auth, the stream limit) may refuse the call with a
GatewayError, which boundary.abort_with turns into its status like any other; nothing has reached
the upstream then. While it runs, the Call record counts the messages sent and catches the run id
the servicer sends as initial metadata. However it ends, the observers (access log, metrics) get
the finished record. Health and reflection pass untouched: probes are neither refused nor counted.

    interceptor = CallInterceptor(guards=[auth_guard], observers=[access_log])
    grpc.aio.server(interceptors=[interceptor])
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias

import grpc

from . import boundary, headers
from .errors import GatewayError

Context = grpc.aio.ServicerContext[Any, Any]
Handler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"  # generic in the stubs only
UNTOUCHED = ("/grpc.health.v1.Health/", "/grpc.reflection.")


@dataclass
class Call:
    """What is known about one call; observers read it when the call ends."""

    service: str
    method: str
    kind: str  # go-grpc-prometheus's grpc_type: "unary" or "server_stream"
    metadata: tuple[tuple[str, str | bytes], ...]
    context: Context
    started: float = field(default_factory=time.monotonic)
    messages_sent: int = 0
    first_message: float | None = None
    run_id: str = ""
    code: grpc.StatusCode = grpc.StatusCode.OK

    @property
    def duration(self) -> float:
        return time.monotonic() - self.started


Guard = Callable[[Call], AbstractContextManager[None]]
"""Entered before the method runs (raise GatewayError to refuse), left when the call ends."""


class Observer(Protocol):
    def started(self, call: Call) -> None: ...
    def sent(self, call: Call) -> None: ...
    def finished(self, call: Call) -> None: ...


class CallInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]  # generic in the stubs only
    def __init__(self, *, guards: Sequence[Guard] = (), observers: Sequence[Observer] = ()) -> None:
        self._guards = tuple(guards)
        self._observers = tuple(observers)

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler]],
        details: grpc.HandlerCallDetails,
    ) -> Handler:
        handler = await continuation(details)
        method: str = details.method
        if handler is None or method.startswith(UNTOUCHED) or handler.request_streaming:
            return handler
        service, _, name = method.lstrip("/").rpartition("/")
        metadata = tuple(details.invocation_metadata or ())
        start = _CallStart(service, name, metadata, self._guards, self._observers)
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(
                start.stream(handler.unary_stream),  # type: ignore[arg-type]  # sync-typed stubs
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return grpc.unary_unary_rpc_method_handler(
            start.unary(handler.unary_unary),  # type: ignore[arg-type]  # sync-typed stubs
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


@dataclass
class _CallStart:
    service: str
    name: str
    metadata: tuple[tuple[str, str | bytes], ...]
    guards: tuple[Guard, ...]
    observers: tuple[Observer, ...]

    def unary(self, behavior: Callable[[Any, Context], Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def handle(request: Any, context: Context) -> Any:
            call = self._call("unary", request, context)
            async with self._running(call):
                return await behavior(request, _Recording(context, call))  # type: ignore[arg-type]

        return handle

    def stream(
        self, behavior: Callable[[Any, Context], AsyncIterator[Any]]
    ) -> Callable[..., AsyncIterator[Any]]:
        async def handle(request: Any, context: Context) -> AsyncIterator[Any]:
            call = self._call("server_stream", request, context)
            async with self._running(call):
                async for message in behavior(request, _Recording(context, call)):  # type: ignore[arg-type]
                    yield message
                    self._sent(call)

        return handle

    def _call(self, kind: str, request: Any, context: Context) -> Call:
        call = Call(self.service, self.name, kind, self.metadata, context)
        call.run_id = str(getattr(request, "run_id", ""))  # JoinStream, GetRun...: known up front
        return call

    def _sent(self, call: Call) -> None:
        call.messages_sent += 1
        if call.first_message is None:
            call.first_message = time.monotonic()
        for observer in self.observers:
            observer.sent(call)

    @contextlib.asynccontextmanager
    async def _running(self, call: Call) -> AsyncIterator[None]:
        for observer in self.observers:
            observer.started(call)
        try:
            with contextlib.ExitStack() as stack:
                try:
                    for guard in self.guards:
                        stack.enter_context(guard(call))
                except GatewayError as exc:
                    await boundary.abort_with(call.context, exc)
                yield
        except BaseException as exc:
            call.code = _code_of(call.context, exc)
            raise
        else:
            call.code = call.context.code() or grpc.StatusCode.OK
        finally:
            for observer in self.observers:
                observer.finished(call)


def _code_of(context: Context, exc: BaseException) -> grpc.StatusCode:
    """The status a call that raised ends with: the aborted code, CANCELLED, or UNKNOWN."""
    code: grpc.StatusCode | None = context.code()
    if code is not None:
        return code
    if isinstance(exc, asyncio.CancelledError | GeneratorExit):
        return grpc.StatusCode.CANCELLED  # asyncio.CancelledError: client gone, deadline, or drain
    return grpc.StatusCode.UNKNOWN


class _Recording:
    """The servicer's context, noting the run id it sends as initial metadata."""

    def __init__(self, context: Context, call: Call) -> None:
        self._context = context
        self._call = call

    async def send_initial_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        for key, value in metadata:
            if key == headers.RUN_ID and isinstance(value, str):
                self._call.run_id = value
        await self._context.send_initial_metadata(metadata)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)
