"""The client's exceptions: langgraph-sdk's hierarchy, chosen by gRPC status code.

    LangGraphError
    +-- APIError                       every failed call: code, message, status, error_info, ...
        +-- APIStatusError             the gateway (or the server behind it) answered an error
        |   +-- BadRequestError        INVALID_ARGUMENT, OUT_OF_RANGE
        |   |   +-- UnprocessableEntityError   ... when the server answered HTTP 422
        |   +-- AuthenticationError    UNAUTHENTICATED
        |   +-- PermissionDeniedError  PERMISSION_DENIED
        |   +-- NotFoundError          NOT_FOUND
        |   +-- ConflictError          ABORTED, ALREADY_EXISTS (HTTP 409: thread busy, ...)
        |   +-- RateLimitError         RESOURCE_EXHAUSTED
        |   +-- InternalServerError    INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED; and
        |       |                      UNAVAILABLE / DEADLINE_EXCEEDED when the server answered
        |       |                      an HTTP 5xx (502, 503, 504)
        |       +-- RunFailedError     INTERNAL with reason RUN_FAILED: the run itself failed
        |   (FAILED_PRECONDITION and other codes: APIStatusError itself)
        +-- APIConnectionError         UNAVAILABLE, CANCELLED: the gateway or the server could
            |                          not be reached, or the connection broke
            +-- APITimeoutError        DEADLINE_EXCEEDED: the call's deadline passed

The class names are langgraph-sdk's (`langgraph_sdk.errors`), so `except NotFoundError:` works
after switching clients. Every error also carries the gRPC side: `code` (grpc.StatusCode), the
status `message`, the decoded google.rpc.Status (`status`, via grpcio-status) and its details
(`details`, with the gateway's ErrorInfo as `error_info`, `reason`, `metadata`), and
`status_code`, the HTTP status the server answered (ErrorInfo `http_status`) or the usual HTTP
equivalent of the gRPC code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import grpc
from google.protobuf import any_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message as ProtoMessage
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

GATEWAY_DOMAIN = "langgraph-grpc-gateway"

Code = grpc.StatusCode

# The usual HTTP status for a gRPC code (https://cloud.google.com/apis/design/errors).
_HTTP_FOR_CODE: dict[grpc.StatusCode, int] = {
    Code.OK: 200,
    Code.CANCELLED: 499,
    Code.UNKNOWN: 500,
    Code.INVALID_ARGUMENT: 400,
    Code.DEADLINE_EXCEEDED: 504,
    Code.NOT_FOUND: 404,
    Code.ALREADY_EXISTS: 409,
    Code.PERMISSION_DENIED: 403,
    Code.RESOURCE_EXHAUSTED: 429,
    Code.FAILED_PRECONDITION: 400,
    Code.ABORTED: 409,
    Code.OUT_OF_RANGE: 400,
    Code.UNIMPLEMENTED: 501,
    Code.INTERNAL: 500,
    Code.UNAVAILABLE: 503,
    Code.DATA_LOSS: 500,
    Code.UNAUTHENTICATED: 401,
}

Trailers = tuple[tuple[str, str | bytes], ...]


class LangGraphError(Exception):
    """Base of every error this client raises."""


class APIError(LangGraphError):
    """A call that ended with a non-OK gRPC status."""

    message: str
    """The status message (for errors from the server: the server's own `detail`)."""
    code: grpc.StatusCode
    """The gRPC status code."""
    status: status_pb2.Status | None
    """The google.rpc.Status from the trailers (grpc-status-details-bin), when there was one."""
    details: list[ProtoMessage]
    """The status details, unpacked (ErrorInfo, RetryInfo, ...; unknown types stay Any)."""
    error_info: error_details_pb2.ErrorInfo | None
    """The first ErrorInfo detail: the gateway's reason and metadata."""
    status_code: int
    """The server's HTTP status (ErrorInfo metadata `http_status`), else the code's HTTP equivalent."""
    trailing_metadata: Trailers
    """The call's trailing metadata."""

    def __init__(
        self,
        message: str,
        *,
        code: grpc.StatusCode,
        status: status_pb2.Status | None = None,
        trailing_metadata: Trailers = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.trailing_metadata = trailing_metadata
        self.details = [_unpack(detail) for detail in status.details] if status is not None else []
        self.error_info = next((d for d in self.details if isinstance(d, error_details_pb2.ErrorInfo)), None)
        self.status_code = _http_status(self.error_info) or _HTTP_FOR_CODE.get(code, 500)

    @property
    def reason(self) -> str | None:
        """ErrorInfo.reason, e.g. "RUN_FAILED", "UPSTREAM_HTTP_ERROR", "INVALID_REQUEST"."""
        return self.error_info.reason if self.error_info is not None else None

    @property
    def domain(self) -> str | None:
        """ErrorInfo.domain ("langgraph-grpc-gateway" for the gateway's errors)."""
        return self.error_info.domain if self.error_info is not None else None

    @property
    def metadata(self) -> dict[str, str]:
        """ErrorInfo.metadata, e.g. {"http_status": "404"} or {"error": ..., "message": ...}."""
        return dict(self.error_info.metadata) if self.error_info is not None else {}

    def __repr__(self) -> str:
        reason = f", reason={self.reason!r}" if self.reason else ""
        return f"{type(self).__name__}({self.code.name}, {self.message!r}{reason})"


class APIStatusError(APIError):
    """The gateway, or the LangGraph server behind it, answered with an error."""


class BadRequestError(APIStatusError):
    """INVALID_ARGUMENT or OUT_OF_RANGE: the request is malformed (HTTP 400 / 422)."""


class UnprocessableEntityError(BadRequestError):
    """INVALID_ARGUMENT from an HTTP 422: the server refused the body (e.g. an unknown graph)."""


class AuthenticationError(APIStatusError):
    """UNAUTHENTICATED (HTTP 401)."""


class PermissionDeniedError(APIStatusError):
    """PERMISSION_DENIED (HTTP 403)."""


class NotFoundError(APIStatusError):
    """NOT_FOUND (HTTP 404): unknown thread, run or assistant."""


class ConflictError(APIStatusError):
    """ABORTED or ALREADY_EXISTS (HTTP 409): e.g. the thread is busy (multitask_strategy reject)."""


class RateLimitError(APIStatusError):
    """RESOURCE_EXHAUSTED (HTTP 429 or 413): back off."""


class InternalServerError(APIStatusError):
    """INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED, or an HTTP 5xx answer of the server."""


class RunFailedError(InternalServerError):
    """The run itself failed (INTERNAL, reason RUN_FAILED): `error_type` and `error_message` say why."""

    @property
    def error_type(self) -> str:
        """The exception type the graph raised, e.g. "ValueError"."""
        return self.metadata.get("error", "")

    @property
    def error_message(self) -> str:
        """The exception's message."""
        return self.metadata.get("message", "")


class APIConnectionError(APIError):
    """UNAVAILABLE or CANCELLED: the gateway or its server could not be reached, or the
    connection broke mid-call."""


class APITimeoutError(APIConnectionError):
    """DEADLINE_EXCEEDED: the call's deadline passed (or the server timed out)."""


_CLASS_FOR_CODE: dict[grpc.StatusCode, type[APIError]] = {
    Code.INVALID_ARGUMENT: BadRequestError,
    Code.OUT_OF_RANGE: BadRequestError,
    Code.UNAUTHENTICATED: AuthenticationError,
    Code.PERMISSION_DENIED: PermissionDeniedError,
    Code.NOT_FOUND: NotFoundError,
    Code.ABORTED: ConflictError,
    Code.ALREADY_EXISTS: ConflictError,
    Code.RESOURCE_EXHAUSTED: RateLimitError,
    Code.INTERNAL: InternalServerError,
    Code.UNKNOWN: InternalServerError,
    Code.DATA_LOSS: InternalServerError,
    Code.UNIMPLEMENTED: InternalServerError,
    Code.UNAVAILABLE: APIConnectionError,
    Code.CANCELLED: APIConnectionError,
    Code.DEADLINE_EXCEEDED: APITimeoutError,
}


def error_class(
    code: grpc.StatusCode, error_info: error_details_pb2.ErrorInfo | None = None
) -> type[APIError]:
    """The exception class for a status code, refined by the gateway's ErrorInfo."""
    cls = _CLASS_FOR_CODE.get(code, APIStatusError)
    http_status = _http_status(error_info)
    reason = error_info.reason if error_info is not None else ""
    if code == Code.INVALID_ARGUMENT and http_status == 422:
        return UnprocessableEntityError
    if code == Code.INTERNAL and reason == "RUN_FAILED":
        return RunFailedError
    if issubclass(cls, APIConnectionError) and http_status is not None and http_status >= 500:
        return InternalServerError  # the server answered 502/503/504: as langgraph-sdk says it
    return cls


def from_rpc_error(error: grpc.RpcError) -> APIError:
    """The typed exception for a failed call (grpc.Call or grpc.aio.AioRpcError)."""
    code = _call(error, "code") or Code.UNKNOWN
    text = _call(error, "details") or ""
    trailers = _trailers(_call(error, "trailing_metadata"))
    try:
        status: status_pb2.Status | None = rpc_status.from_call(cast(grpc.Call, error))
    except (ValueError, AttributeError, TypeError):
        status = None  # no (or inconsistent) details: the code and message still stand
    info = None
    if status is not None:
        info = next(
            (d for d in map(_unpack, status.details) if isinstance(d, error_details_pb2.ErrorInfo)), None
        )
    cls = error_class(code, info)
    return cls(text, code=code, status=status, trailing_metadata=trailers)


def _call(error: object, name: str) -> Any:
    method = getattr(error, name, None)
    if not callable(method):
        return None
    try:
        return method()
    except Exception:
        return None


def _trailers(metadata: Iterable[tuple[str, str | bytes]] | None) -> Trailers:
    return tuple((str(key), value) for key, value in metadata or ())


def _unpack(detail: any_pb2.Any) -> ProtoMessage:
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(detail.TypeName())
    except KeyError:
        return detail
    cls = message_factory.GetMessageClass(descriptor)
    unpacked = cls()
    return unpacked if detail.Unpack(unpacked) else detail


def _http_status(info: error_details_pb2.ErrorInfo | None) -> int | None:
    if info is None:
        return None
    raw = info.metadata.get("http_status", "")
    return int(raw) if raw.isdigit() else None
