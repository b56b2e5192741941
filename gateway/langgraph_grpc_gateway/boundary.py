"""Where errors become gRPC statuses: the one place, for every servicer method.

A request that cannot even be decoded (a Value nested past protobuf's depth limit) is refused
here too, as INVALID_ARGUMENT: `tolerant` makes the decoder hand over an Undecodable instead of
raising inside grpc, where the client would only see UNKNOWN.

A GatewayError ends the call with its code, message and google.rpc.Status details. Anything else
is a bug: it is logged with its traceback and ends the call with INTERNAL (never a hang, and
never a Python exception text leaked as UNKNOWN).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, NoReturn, TypeVar

import grpc
from google.protobuf.message import DecodeError
from grpc_status import rpc_status

from .errors import GatewayError
from .streaming import close

log = logging.getLogger(__name__)


class Undecodable:
    """Stands for a request message that protobuf could not decode."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def tolerant(deserialize: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    """`deserialize`, handing over an Undecodable where protobuf raises (calls.Calls wraps every
    method of our services with it)."""
    if deserialize is None:
        return None

    def read(data: bytes) -> Any:
        try:
            return deserialize(data)
        except DecodeError as exc:
            return Undecodable(str(exc))

    return read


def _refuse_undecodable(request: object) -> None:
    if isinstance(request, Undecodable):
        raise GatewayError(
            grpc.StatusCode.INVALID_ARGUMENT,
            f"the request could not be decoded: {request.reason}",
            reason="INVALID_REQUEST",
        )


Req = TypeVar("Req")
Resp = TypeVar("Resp")
Self = TypeVar("Self")


async def abort_with(context: grpc.aio.ServicerContext[Any, Any], error: GatewayError) -> NoReturn:
    status = rpc_status.to_status(error.to_rpc_status())
    await context.abort(status.code, status.details, status.trailing_metadata)
    raise AssertionError("context.abort returned")  # pragma: no cover (abort always raises)


def _as_gateway_error(method: str, exc: Exception) -> GatewayError:
    """The error as reported; anything but a GatewayError is a bug, logged with its traceback."""
    if isinstance(exc, GatewayError):
        return exc
    log.exception("unexpected error in %s", method, exc_info=exc)
    return GatewayError(
        grpc.StatusCode.INTERNAL, f"gateway error: {type(exc).__name__}", reason="GATEWAY_BUG"
    )


def unary(
    method: Callable[[Self, Req, grpc.aio.ServicerContext[Req, Resp]], Awaitable[Resp]],
) -> Callable[[Self, Req, grpc.aio.ServicerContext[Req, Resp]], Awaitable[Resp]]:
    @functools.wraps(method)
    async def handler(self: Self, request: Req, context: grpc.aio.ServicerContext[Req, Resp]) -> Resp:
        try:
            _refuse_undecodable(request)
            return await method(self, request, context)
        except grpc.aio.BaseError:
            raise  # an abort, or grpc's word that the call is over (client gone, server stopping)
        except Exception as exc:
            await abort_with(context, _as_gateway_error(method.__name__, exc))

    return handler


def server_streaming(
    method: Callable[[Self, Req, grpc.aio.ServicerContext[Req, Resp]], AsyncIterator[Resp]],
) -> Callable[[Self, Req, grpc.aio.ServicerContext[Req, Resp]], AsyncIterator[Resp]]:
    @functools.wraps(method)
    async def handler(
        self: Self, request: Req, context: grpc.aio.ServicerContext[Req, Resp]
    ) -> AsyncIterator[Resp]:
        try:
            _refuse_undecodable(request)
            stream = method(self, request, context)
            try:
                async for message in stream:
                    yield message
                    del message  # before waiting for the next: see calls._Method.stream
            finally:
                await close(stream)  # with the upstream answer it holds, in the call's own task
        except grpc.aio.BaseError:
            raise  # an abort, or grpc's word that the call is over (client gone, server stopping)
        except Exception as exc:
            await abort_with(context, _as_gateway_error(method.__name__, exc))

    return handler
