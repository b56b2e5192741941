"""Every call to the gateway's own services, seen once: admitted or refused, run, then recorded.

Each method of our services is wrapped once, when it is registered (Calls.register).
When a call starts, what the gateway needs from grpc's ServicerContext (peer, client identity,
metadata, deadline) is read once into a Call record (see `capture`). Before the method runs, the
guards (auth, the stream limit, the tracing span) may refuse the call with a GatewayError, which
boundary.abort_with turns into its status like any other; nothing has reached the upstream then.
While it runs, the Call counts the messages sent and catches the run id the servicer sends as
initial metadata. However it ends, the guards are left and the observers (access log, metrics)
get the finished record. Health and reflection are not wrapped: probes are neither refused nor
counted.

A streaming method is run as grpc.aio's writer-style coroutine (`await context.write(message)`),
never handed to grpc as an async generator: grpc.aio abandons a generator when the client leaves,
and asyncio closes it later, in another task, after grpc has freed the call. Run this way, every
end of a call (the last message, an error, the client cancelling, the deadline, the drain) runs
our cleanup inside grpc's own task, while the call is still there: the upstream request closes
at once, and the end of the call is recorded in the task (and tracing context) that started it.

    calls = Calls(guards=[auth_guard], observers=[access_log])
    calls.register(server, runs_pb2_grpc.add_RunsServiceServicer_to_server, servicer)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Collection,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeAlias

import grpc

from . import boundary, headers
from .errors import GatewayError

Context = grpc.aio.ServicerContext[Any, Any]
Handler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"  # generic in the stubs only
Metadata = tuple[tuple[str, str | bytes], ...]
# A client whose deadline passes cancels the call itself (RST_STREAM), and that can reach us before
# the server's own timer for the same deadline fires, which counts from when the request arrived:
# on a busy machine tens of milliseconds later. A call cancelled this close to its deadline ended by it.
DEADLINE_SLACK = 0.25


@dataclass(slots=True)
class Call:
    """What is known about one call; guards and observers read this, never grpc's context."""

    service: str
    method: str
    kind: str  # go-grpc-prometheus's grpc_type: "unary" or "server_stream"
    metadata: Metadata
    peer: str = ""
    client: str | None = None  # the verified TLS client certificate's identity (mTLS)
    deadline: float | None = None  # time.monotonic() at which the client's deadline passes
    started: float = field(default_factory=time.monotonic)
    messages_sent: int = 0
    first_message: float | None = None
    run_id: str = ""
    code: grpc.StatusCode = grpc.StatusCode.OK

    @property
    def duration(self) -> float:
        return time.monotonic() - self.started

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline - DEADLINE_SLACK


def capture(
    service: str, method: str, kind: str, metadata: Metadata, context: Context, *, identify: bool = True
) -> Call:
    """The Call record of a call that has just started: the one place the gateway reads grpc's
    context for itself.

    Why only here: when a call ends, grpc.aio frees it (its C pointer becomes NULL), and a
    context method that reaches grpc's core then (peer(), auth_context(), ...) crashes the whole
    process. Everything that runs at the end of a call (the guards' exits, the observers'
    `finished`, the tracing span's end) reads this record instead. The servicers use the context
    only while their call runs (send_initial_metadata, abort), and they get it through _Recording,
    which answers invocation_metadata() from this record too.

    `identify=False` skips the client certificate (auth_context(), about 5 us per call): for a
    listener that asks for none, there is never one to read.
    """
    now = time.monotonic()
    remaining = context.time_remaining()
    return Call(
        service,
        method,
        kind,
        metadata,
        peer=context.peer(),
        client=client_identity(context.auth_context()) if identify else None,
        deadline=None if remaining is None else now + remaining,
        started=now,
    )


def client_identity(auth_context: Mapping[str, Iterable[bytes]]) -> str | None:
    """The verified client certificate's subject (common name, else its first SAN), if any."""
    for key in ("x509_common_name", "x509_subject_alternative_name"):
        for value in auth_context.get(key, ()):
            return value.decode(errors="replace")
    return None


Guard = Callable[[Call], AbstractContextManager[None]]
"""Entered before the method runs, left when the call ends with call.code set. A guard may refuse
the call (raise GatewayError when entered); tracing's guard holds the call's span."""


class Observer(Protocol):
    per_message: bool
    """Whether `sent` is called for every message sent. False for an observer of whole calls
    (the access log): a stream's events then cost it nothing."""

    def started(self, call: Call) -> None: ...
    def sent(self, call: Call) -> None: ...
    def finished(self, call: Call) -> None: ...


class Calls:
    """Wraps each method of our services once, when it is registered: every call of the method
    then runs through `_Method` (the guards, the record, the observers). Wrapping at registration
    rather than with a grpc.aio interceptor keeps grpc's per-call lookup of the handler on its fast
    path: an interceptor is an extra coroutine and a new handler object for every call.

    A method may return (or yield) a response's wire bytes instead of a message: they are sent as
    they are (the hot paths serialize once, by hand; see wire.py)."""

    def __init__(
        self,
        *,
        guards: Sequence[Guard] = (),
        observers: Sequence[Observer] = (),
        client_certificates: bool = True,
    ) -> None:
        """`client_certificates=False` for a listener that asks clients for none (no mTLS): the
        calls' records then never look for one."""
        self._guards = tuple(guards)
        self._observers = tuple(observers)
        self._identify = client_certificates

    def register(
        self,
        server: grpc.aio.Server,
        add: Callable[[Any, Any], None],
        servicer: Any,
        registered: Collection[str] = (),
    ) -> dict[str, Handler]:
        """`add(servicer, server)`, the generated add_*Servicer_to_server, with every method wrapped
        and served as a generic handler (see `register`), except the methods named (by full name)
        in `registered`: grpc registered methods, for accept_ahead. Returns those, by full name."""
        registrar = _Registrar(server, self.wrap, registered)
        add(servicer, registrar)
        return registrar.registered

    def wrap(self, service: str, handlers: Mapping[str, Handler]) -> dict[str, Handler]:
        return {name: self._wrap(service, name, handler) for name, handler in handlers.items()}

    def _wrap(self, service: str, name: str, handler: Handler) -> Handler:
        if handler.request_streaming:  # none of ours; left as it is
            return handler
        method = _Method(service, name, self._guards, self._observers, self._identify)
        deserialize = boundary.tolerant(handler.request_deserializer)
        # No response serializer: _Method hands grpc every response as wire bytes (see _wire).
        if handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(
                method.stream(handler.unary_stream),  # type: ignore[arg-type]  # sync-typed stubs
                request_deserializer=deserialize,
            )
        return grpc.unary_unary_rpc_method_handler(
            method.unary(handler.unary_unary),  # type: ignore[arg-type]  # sync-typed stubs
            request_deserializer=deserialize,
        )


def register(server: grpc.aio.Server, add: Callable[[Any, Any], None], servicer: Any) -> None:
    """`add(servicer, server)`, a generated add_*Servicer_to_server, with the methods served as
    generic handlers only, never as grpc's "registered methods".

    Why: grpc.aio's server keeps one pending request per registered method and waits on all of
    them (asyncio.wait) for every call it accepts, so each call costs in proportion to the number
    of registered methods (here about fifty: our services, health, reflection). With generic
    handlers alone there is one pending request, and a method is found by a dict lookup."""
    add(servicer, _Registrar(server, lambda service, handlers: dict(handlers)))


class _Registrar:
    """Stands for the server while a generated add_*Servicer_to_server runs: the method handlers it
    registers go to the server as one generic handler, after `wrap`; those named (by full name) in
    `registered` go as grpc registered methods instead, and are kept in `self.registered`."""

    def __init__(
        self,
        server: grpc.aio.Server,
        wrap: Callable[[str, Mapping[str, Handler]], dict[str, Handler]],
        registered: Collection[str] = (),
    ) -> None:
        self._server = server
        self._wrap = wrap
        self._names = frozenset(registered)
        self.registered: dict[str, Handler] = {}

    def add_generic_rpc_handlers(self, handlers: Sequence[Any]) -> None:
        pass  # the same methods come to add_registered_method_handlers, and are registered there

    def add_registered_method_handlers(self, service: str, handlers: Mapping[str, Handler]) -> None:
        wrapped = self._wrap(service, handlers)
        chosen = {name: handler for name, handler in wrapped.items() if f"/{service}/{name}" in self._names}
        if chosen:
            self._server.add_registered_method_handlers(service, chosen)  # type: ignore[attr-defined]
            self.registered.update({f"/{service}/{name}": handler for name, handler in chosen.items()})
        rest = {name: handler for name, handler in wrapped.items() if name not in chosen}
        self._server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, rest),))


def _wire(message: Any) -> bytes:
    """A response as grpc sends it: the wire bytes a method handed over, or its message serialized.

    Done here, on our side, rather than by a response_serializer that grpc calls: the hot paths
    hand over bytes already (wire.py), and for them grpc then makes no call back into Python, one
    per message. Inlined where it runs once per message."""
    return message if message.__class__ is bytes else message.SerializeToString()


@dataclass
class _Method:
    service: str
    name: str
    guards: tuple[Guard, ...]
    observers: tuple[Observer, ...]
    identify: bool = True  # read the client certificate (see capture)
    senders: tuple[Observer, ...] = field(init=False)  # the observers told of every message

    def __post_init__(self) -> None:
        self.senders = tuple(observer for observer in self.observers if observer.per_message)

    # The two handlers below spell out their try/finally rather than share a context manager:
    # they run once per call, and an async context manager is several calls more each time.

    def unary(self, behavior: Callable[[Any, Context], Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def handle(request: Any, context: Context) -> Any:
            call = self._call("unary", request, context)
            recording = _Recording(context, call)
            try:
                guards = self._enter(call)
            except GatewayError as exc:
                await self._refuse(call, recording, exc)
            try:
                return _wire(await behavior(request, recording))  # type: ignore[arg-type]
            except BaseException as exc:
                call.code = _ended_code(call, exc)
                raise
            finally:
                self._leave(call, guards)

        return handle

    def stream(
        self, behavior: Callable[[Any, Context], AsyncGenerator[Any, None]]
    ) -> Callable[..., Awaitable[None]]:
        # A coroutine, not an async generator: see the module docstring.
        async def handle(request: Any, context: Context) -> None:
            call = self._call("server_stream", request, context)
            recording = _Recording(context, call)
            try:
                guards = self._enter(call)
            except GatewayError as exc:
                await self._refuse(call, recording, exc)
            messages = behavior(request, recording)  # type: ignore[arg-type]
            try:
                try:
                    async for message in messages:
                        if message.__class__ is not bytes:  # _wire, inline: this runs once per event
                            message = message.SerializeToString()
                        try:  # inline, not a helper: this runs once per event
                            await context.write(message)
                        except grpc.aio.AbortError:
                            raise
                        except grpc.aio.BaseError as exc:
                            raise _over_on_grpcs_side() from exc
                        self._sent(call)
                        # Let the message go before waiting for the next: a stream spends most of
                        # its life waiting, so whatever it holds then is held once per open stream
                        # (the last message, about a kilobyte for a token: bench/NOTES.md). Each
                        # layer a message passes through lets go of it the same way.
                        del message
                finally:
                    await messages.aclose()  # the upstream request closes now, in this task
            except BaseException as exc:
                call.code = _ended_code(call, exc)
                raise
            finally:
                self._leave(call, guards)

        return handle

    def _call(self, kind: str, request: Any, context: Context) -> Call:
        metadata = tuple(context.invocation_metadata() or ())
        call = capture(self.service, self.name, kind, metadata, context, identify=self.identify)
        names_a_run = _NAMES_A_RUN.get(request.__class__)
        if names_a_run is None:  # once per request type: getattr with a default costs an exception
            names_a_run = _NAMES_A_RUN[request.__class__] = hasattr(request, "run_id")
        if names_a_run:
            call.run_id = str(request.run_id)  # JoinStream, GetRun...: known up front
        return call

    def _sent(self, call: Call) -> None:
        call.messages_sent += 1
        if call.first_message is None:
            call.first_message = time.monotonic()
        for observer in self.senders:
            observer.sent(call)

    def _enter(self, call: Call) -> contextlib.ExitStack | None:
        """The observers hear of the call and the guards admit it (held in the stack returned);
        a guard's GatewayError refuses it, once the guards entered before it were left."""
        for observer in self.observers:
            observer.started(call)
        if not self.guards:
            return None
        with contextlib.ExitStack() as stack:
            for guard in self.guards:
                stack.enter_context(guard(call))
            return stack.pop_all()

    async def _refuse(self, call: Call, context: _Recording, error: GatewayError) -> NoReturn:
        try:
            await boundary.abort_with(context, error)  # type: ignore[arg-type]
        finally:
            self._leave(call, None)

    def _leave(self, call: Call, guards: contextlib.ExitStack | None) -> None:
        try:
            if guards is not None:
                guards.close()
        finally:
            for observer in self.observers:
                observer.finished(call)


_NAMES_A_RUN: dict[type, bool] = {}  # request type: whether it has a run_id (JoinStream, GetRun...)


def _over_on_grpcs_side() -> asyncio.CancelledError:
    """What to raise for grpc's own error (not an abort) from sending a message or initial
    metadata: the call ended on grpc's side (the client left, its deadline passed, the server
    stopped) before grpc told this task so. Ending the way grpc ends a cancelled call is quiet;
    let through, grpc would log the error as a servicer's, with a traceback."""
    return asyncio.CancelledError("the call is over")


def _ended_code(call: Call, exc: BaseException) -> grpc.StatusCode:
    """The status a call that raised ends with: the code it aborted with, DEADLINE_EXCEEDED or
    CANCELLED when grpc ended it (the client left, its deadline passed, the server stopped), or
    UNKNOWN."""
    if isinstance(exc, grpc.aio.AbortError):
        return call.code  # _Recording.abort noted it
    # CancelledError: grpc cancelled the task, or told us the call is over (_over_on_grpcs_side).
    if isinstance(exc, asyncio.CancelledError | GeneratorExit | grpc.aio.BaseError):
        return grpc.StatusCode.DEADLINE_EXCEEDED if call.past_deadline() else grpc.StatusCode.CANCELLED
    return grpc.StatusCode.UNKNOWN


class _Recording:
    """The servicer's view of the context: notes the run id it sends as initial or trailing
    metadata and the code it aborts with, and answers invocation_metadata() from the Call record.
    Trailing metadata set before an abort goes out with the abort's own (grpc.aio would drop it),
    so that a WaitRun whose run failed still names the run."""

    def __init__(self, context: Context, call: Call) -> None:
        self._context = context
        self._call = call

    def invocation_metadata(self) -> Metadata:
        return self._call.metadata

    async def send_initial_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        self._note_run(metadata)
        try:
            await self._context.send_initial_metadata(metadata)
        except grpc.aio.AbortError:
            raise
        except grpc.aio.BaseError as exc:
            raise _over_on_grpcs_side() from exc

    def set_trailing_metadata(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        self._note_run(metadata)
        self._context.set_trailing_metadata(metadata)

    def _note_run(self, metadata: Sequence[tuple[str, str | bytes]]) -> None:
        for key, value in metadata:
            if key == headers.RUN_ID and isinstance(value, str):
                self._call.run_id = value

    async def abort(self, code: grpc.StatusCode, details: str = "", trailing_metadata: Metadata = ()) -> None:
        self._call.code = code
        if trailing_metadata:  # grpc.aio keeps what was set only when the abort brings none
            trailing_metadata = (*(self._context.trailing_metadata() or ()), *trailing_metadata)
        await self._context.abort(code, details, trailing_metadata)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)
