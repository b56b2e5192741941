"""Every error the gateway reports, and the one table that maps upstream HTTP to gRPC status.

    GatewayError                 a gRPC status with a message and an ErrorInfo (reason, metadata)
    +-- from_http_status()       the upstream answered an error status
    +-- from_transport_error()   the upstream could not be reached, or the connection broke
    +-- run_failed()             the run itself failed (an `error` event, or `__error__`)
    +-- partly_done()            the upstream did only part of the work, and said so in a 2xx
    +-- invalid_argument()       the request was refused before any upstream call

A GatewayError becomes the call's status in exactly one place (service.abort_with), with a
google.rpc.Status carrying the ErrorInfo in the trailers (grpc-status-details-bin), so clients
with grpcio-status, grpc-go's status.FromError or grpc-java's StatusProto get the details.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Mapping

import aiohttp
import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

DOMAIN = "langgraph-grpc-gateway"
log = logging.getLogger(__name__)

Code = grpc.StatusCode

# Upstream HTTP status -> gRPC status. Each debatable choice says why.
HTTP_TO_GRPC: Mapping[int, grpc.StatusCode] = {
    400: Code.INVALID_ARGUMENT,  # a malformed request (e.g. a thread id that is not a UUID)
    401: Code.UNAUTHENTICATED,
    403: Code.PERMISSION_DENIED,
    404: Code.NOT_FOUND,  # unknown thread, run or assistant UUID
    405: Code.UNIMPLEMENTED,  # the upstream has no such operation
    408: Code.DEADLINE_EXCEEDED,
    # 409 is "the thread is busy" (multitask_strategy reject) or "already exists": both are
    # conflicts with concurrent state that the client may resolve and retry at a higher level,
    # which is ABORTED's meaning in the gRPC guide (not ALREADY_EXISTS, which fits only one).
    409: Code.ABORTED,
    413: Code.RESOURCE_EXHAUSTED,  # request too large
    # 422 is FastAPI's body validation failure (unknown assistant name, bad field type): the
    # request itself is wrong, like 400.
    422: Code.INVALID_ARGUMENT,
    429: Code.RESOURCE_EXHAUSTED,  # rate limited; clients back off as for quota
    501: Code.UNIMPLEMENTED,
    # 502 and 503 say the upstream (or something before it) cannot serve now and a retry may
    # succeed: UNAVAILABLE, as Envoy's grpc_http1_bridge and grpc-gateway clients expect.
    502: Code.UNAVAILABLE,
    503: Code.UNAVAILABLE,
    # 504: a proxy before the upstream timed out. The work may or may not have happened, which
    # is exactly DEADLINE_EXCEEDED's contract.
    504: Code.DEADLINE_EXCEEDED,
}


def grpc_code_for_http(status: int) -> grpc.StatusCode:
    """The gRPC code for an upstream HTTP status (see HTTP_TO_GRPC for the reasons)."""
    if status in HTTP_TO_GRPC:
        return HTTP_TO_GRPC[status]
    if 400 <= status < 500:
        return Code.FAILED_PRECONDITION  # a client error the table does not name
    if status >= 500:
        return Code.INTERNAL
    return Code.UNKNOWN  # 1xx/3xx where a final answer was expected: we never follow redirects


class GatewayError(Exception):
    """A failure to report to the gRPC client as a status with details."""

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        *,
        reason: str,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason
        self.metadata = dict(metadata or {})

    def to_rpc_status(self) -> status_pb2.Status:
        info = error_details_pb2.ErrorInfo(reason=self.reason, domain=DOMAIN, metadata=self.metadata)
        detail = any_pb2.Any()
        detail.Pack(info)
        return status_pb2.Status(code=_rpc_code(self.code), message=self.message, details=[detail])

    def __repr__(self) -> str:
        return f"GatewayError({self.code.name}, {self.message!r}, reason={self.reason!r})"


def _rpc_code(code: grpc.StatusCode) -> int:
    return int(code_pb2.Code.Value(code.name))


def from_http_status(status: int, body: bytes) -> GatewayError:
    """The error for an upstream error answer; its `detail` becomes the status message."""
    detail = _detail(body) or f"upstream answered HTTP {status}"
    return GatewayError(
        grpc_code_for_http(status),
        detail,
        reason="UPSTREAM_HTTP_ERROR",
        metadata={"http_status": str(status)},
    )


def _detail(body: bytes) -> str:
    """FastAPI puts the message in {"detail": ...}; anything else is shown as text, cut short."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:500]
    if isinstance(parsed, dict) and "detail" in parsed:
        detail = parsed["detail"]
        return detail if isinstance(detail, str) else json.dumps(detail)
    return json.dumps(parsed)[:500]


def from_transport_error(exc: aiohttp.ClientError | asyncio.TimeoutError, *, started: bool) -> GatewayError:
    """The error for a failure to reach the upstream, an answer that is not HTTP, or a connection
    lost mid-answer.

    A timeout while connecting is "unreachable" (UNAVAILABLE, worth a retry); any other timeout
    is the upstream being too slow (DEADLINE_EXCEEDED). An answer that is not HTTP came from a
    reachable upstream that misbehaves: a protocol error, which a retry will not mend. Status
    messages describe the failure without the library's text, which names the upstream's address;
    the full text is logged for operators."""
    log.warning("upstream transport error: %r", exc)
    what = describe_transport_error(exc)
    connecting = isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    if isinstance(exc, asyncio.TimeoutError) and not connecting:
        return GatewayError(Code.DEADLINE_EXCEEDED, f"upstream timed out: {what}", reason="UPSTREAM_TIMEOUT")
    if isinstance(exc, aiohttp.ClientResponseError):
        return protocol_error(f"upstream answered something that is not HTTP: {what}")
    if started:
        message = f"upstream connection lost mid-stream: {what}"
        return GatewayError(Code.UNAVAILABLE, message, reason="UPSTREAM_STREAM_BROKEN")
    return GatewayError(Code.UNAVAILABLE, f"upstream unreachable: {what}", reason="UPSTREAM_UNAVAILABLE")


def describe_transport_error(exc: BaseException) -> str:
    """What went wrong, in words that never name a host, port or URL."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return _os_error(exc.os_error)
    if isinstance(exc, aiohttp.ClientResponseError):
        return (exc.message or type(exc).__name__).splitlines()[0].rstrip(":")
    if isinstance(exc, aiohttp.ClientOSError) and exc.errno:
        return _os_error(exc)
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
        return str(exc).split(":", 1)[0] or type(exc).__name__
    if isinstance(exc, asyncio.TimeoutError):
        return "connect timed out" if isinstance(exc, aiohttp.ConnectionTimeoutError) else "read timed out"
    return type(exc).__name__


def _os_error(exc: OSError) -> str:
    # From the errno: asyncio's own texts name the address ("Connect call failed ('10.0.0.5', 80)").
    return os.strerror(exc.errno) if exc.errno else type(exc).__name__


def deadline_exceeded() -> GatewayError:
    return GatewayError(
        Code.DEADLINE_EXCEEDED,
        "the upstream did not finish before the call's deadline",
        reason="UPSTREAM_TIMEOUT",
    )


def run_failed(error: object) -> GatewayError:
    """The error for a run that failed upstream: {"error": type, "message": text}.

    The upstream reports some request errors this way too, inside a 200 answer (a join of an
    unknown run: {"error": "HTTPException", "message": "404: Run not found"}): those are mapped
    like the HTTP status they carry, since the run did not fail, the request did."""
    fields = error if isinstance(error, dict) else {"message": json.dumps(error)}
    kind = str(fields.get("error") or "Error")
    text = str(fields.get("message") or "")
    status, _, detail = text.partition(": ")
    if kind == "HTTPException" and status.isascii() and status.isdigit() and len(status) == 3:
        return GatewayError(
            grpc_code_for_http(int(status)),
            detail,
            reason="UPSTREAM_HTTP_ERROR",
            metadata={"http_status": status},
        )
    return GatewayError(
        Code.INTERNAL,
        f"run failed: {kind}: {text}",
        reason="RUN_FAILED",
        metadata={"error": kind, "message": text},
    )


def partly_done(detail: str) -> GatewayError:
    """A success answer whose body is an error `detail`: the upstream did part of the work only
    (POST /threads answers 201 {"detail": ...} when it created the thread but could not apply its
    supersteps). FAILED_PRECONDITION: what stopped the rest is the state of the system (no graph
    for the thread), and the message says what was done (it names the new thread)."""
    return GatewayError(Code.FAILED_PRECONDITION, detail, reason="UPSTREAM_PARTLY_DONE")


def protocol_error(message: str) -> GatewayError:
    """The upstream answered something the LangGraph API never sends (e.g. data that is not JSON)."""
    return GatewayError(Code.INTERNAL, message, reason="UPSTREAM_PROTOCOL_ERROR")


def invalid_argument(message: str, field: str) -> GatewayError:
    return GatewayError(Code.INVALID_ARGUMENT, message, reason="INVALID_REQUEST", metadata={"field": field})


def failed_precondition(message: str, field: str) -> GatewayError:
    return GatewayError(
        Code.FAILED_PRECONDITION, message, reason="FAILED_PRECONDITION", metadata={"field": field}
    )
