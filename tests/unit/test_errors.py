"""The HTTP -> gRPC status table, upstream error details, and the google.rpc.Status we send."""

from __future__ import annotations

import json

import aiohttp
import grpc
import pytest
from aiohttp.client_reqrep import ConnectionKey
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status
from langgraph_grpc_gateway import errors
from langgraph_grpc_gateway.errors import GatewayError

from . import recordings

C = grpc.StatusCode

HTTP_CASES = {
    400: C.INVALID_ARGUMENT,
    401: C.UNAUTHENTICATED,
    403: C.PERMISSION_DENIED,
    404: C.NOT_FOUND,
    405: C.UNIMPLEMENTED,
    408: C.DEADLINE_EXCEEDED,
    409: C.ABORTED,
    413: C.RESOURCE_EXHAUSTED,
    422: C.INVALID_ARGUMENT,
    429: C.RESOURCE_EXHAUSTED,
    501: C.UNIMPLEMENTED,
    502: C.UNAVAILABLE,
    503: C.UNAVAILABLE,
    504: C.DEADLINE_EXCEEDED,
}
OTHER_CASES = {
    500: C.INTERNAL,
    505: C.INTERNAL,
    599: C.INTERNAL,
    402: C.FAILED_PRECONDITION,
    406: C.FAILED_PRECONDITION,
    410: C.FAILED_PRECONDITION,
    412: C.FAILED_PRECONDITION,
    418: C.FAILED_PRECONDITION,
    451: C.FAILED_PRECONDITION,
    499: C.FAILED_PRECONDITION,
    300: C.UNKNOWN,
    301: C.UNKNOWN,
    302: C.UNKNOWN,
    304: C.UNKNOWN,
    307: C.UNKNOWN,
    308: C.UNKNOWN,
    100: C.UNKNOWN,
}


def test_table_is_exactly_the_documented_one() -> None:
    assert dict(errors.HTTP_TO_GRPC) == HTTP_CASES


@pytest.mark.parametrize(("status", "code"), {**HTTP_CASES, **OTHER_CASES}.items())
def test_grpc_code_for_http(status: int, code: grpc.StatusCode) -> None:
    assert errors.grpc_code_for_http(status) == code


@pytest.mark.parametrize(("status", "code"), {**HTTP_CASES, **OTHER_CASES}.items())
def test_from_http_status(status: int, code: grpc.StatusCode) -> None:
    error = errors.from_http_status(status, b'{"detail":"nope"}')
    assert (error.code, error.message, error.reason, error.metadata) == (
        code,
        "nope",
        "UPSTREAM_HTTP_ERROR",
        {"http_status": str(status)},
    )


# Every recorded error answer, with the upstream's detail text as the server wrote it.
RECORDED = {
    "err_bad_stream_mode.txt": (
        422,
        C.INVALID_ARGUMENT,
        "[\"bogus\"] is not valid under any of the schemas listed in the 'anyOf' keyword\n\n"
        'Failed validating "anyOf" in schema["components"]["schemas"]["RunCreateStateless"]'
        '["properties"]["stream_mode"]\n\nOn instance["stream_mode"]:\n    ["bogus"]',
    ),
    "err_bad_stream_mode_wait.txt": (
        422,
        C.INVALID_ARGUMENT,
        "\"bogus\" is not valid under any of the schemas listed in the 'anyOf' keyword\n\n"
        'Failed validating "anyOf" in schema["components"]["schemas"]["RunCreateStateless"]'
        '["properties"]["stream_mode"]\n\nOn instance["stream_mode"]:\n    "bogus"',
    ),
    "err_bad_thread_id.txt": (400, C.INVALID_ARGUMENT, "badly formed hexadecimal UUID string"),
    "err_empty_body.txt": (422, C.INVALID_ARGUMENT, "Invalid JSON in request body"),
    "err_malformed_json.txt": (422, C.INVALID_ARGUMENT, "Invalid JSON in request body"),
    "err_missing_assistant.txt": (
        422,
        C.INVALID_ARGUMENT,
        '"assistant_id" is a required property\n\n'
        'Failed validating "required" in schema["components"]["schemas"]["RunCreateStateless"]\n\n'
        'On instance:\n    {"input":{}}',
    ),
    "err_unknown_assistant_stream.txt": (
        422,
        C.INVALID_ARGUMENT,
        "Invalid assistant: 'nope'. Must be either:\n- A valid assistant UUID, or\n"
        "- One of the registered graphs: agent, nested, fakellm",
    ),
    "err_unknown_assistant_wait.txt": (
        422,
        C.INVALID_ARGUMENT,
        "Invalid assistant: 'nope'. Must be either:\n- A valid assistant UUID, or\n"
        "- One of the registered graphs: agent, nested, fakellm",
    ),
    "err_unknown_assistant_uuid_stream.txt": (404, C.NOT_FOUND, "Thread or assistant not found."),
    "err_unknown_thread_stream.txt": (404, C.NOT_FOUND, "Thread or assistant not found."),
    "err_unknown_thread_wait.txt": (404, C.NOT_FOUND, "Thread or assistant not found."),
}


def test_every_recorded_error_is_in_the_table() -> None:
    failing = {n for n in recordings.names() if (recordings.load(n).status or 0) >= 400}
    assert failing == set(RECORDED)


@pytest.mark.parametrize(("name", "expected"), RECORDED.items(), ids=RECORDED.keys())
def test_recorded_error(name: str, expected: tuple[int, grpc.StatusCode, str]) -> None:
    status, code, detail = expected
    recording = recordings.load(name)
    assert recording.status == status
    assert json.loads(recording.body)["detail"] == detail  # guard: the table holds the real text
    error = errors.from_http_status(recording.status, recording.body)
    assert (error.code, error.message, error.reason, error.metadata) == (
        code,
        detail,
        "UPSTREAM_HTTP_ERROR",
        {"http_status": str(status)},
    )


DETAILS = {
    "empty body": (b"", "upstream answered HTTP 502"),
    "whitespace body": (b" \r\n", "upstream answered HTTP 502"),
    "plain text": (b"Bad Gateway\n", "Bad Gateway"),
    "html": (b"<html><body>502</body></html>", "<html><body>502</body></html>"),
    "long text is cut at 500": (b"x" * 2000, "x" * 500),
    "invalid utf-8": (b"bad \xff gateway", "bad \ufffd gateway"),
    "empty detail": (b'{"detail":""}', "upstream answered HTTP 502"),
    "validation list detail": (
        b'{"detail":[{"loc":["body","input"],"msg":"bad"}]}',
        '[{"loc": ["body", "input"], "msg": "bad"}]',
    ),
    "object detail": (b'{"detail":{"a":1}}', '{"a": 1}'),
    "other json object": (b'{"message":"no"}', '{"message": "no"}'),
    "json string": (b'"oops"', '"oops"'),
    "json null": (b"null", "null"),
    "unicode detail": ('{"detail":"non trouvé é"}'.encode(), "non trouvé é"),
}


@pytest.mark.parametrize(("body", "message"), DETAILS.values(), ids=DETAILS.keys())
def test_detail_extraction(body: bytes, message: str) -> None:
    assert errors.from_http_status(502, body).message == message


# --- google.rpc.Status ------------------------------------------------------------------------


def _round_trip(error: GatewayError) -> tuple[grpc.Status, status_pb2.Status]:
    status = rpc_status.to_status(error.to_rpc_status())
    trailers = dict(status.trailing_metadata)
    assert set(trailers) == {"grpc-status-details-bin"}
    return status, status_pb2.Status.FromString(trailers["grpc-status-details-bin"])


def _error_info(status: status_pb2.Status) -> error_details_pb2.ErrorInfo:
    assert len(status.details) == 1
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    return info


@pytest.mark.parametrize(("status", "code"), {**HTTP_CASES, **OTHER_CASES}.items())
def test_to_rpc_status_round_trip(status: int, code: grpc.StatusCode) -> None:
    error = errors.from_http_status(status, b'{"detail":"Thread or assistant not found."}')
    grpc_status, details = _round_trip(error)
    assert grpc_status.code == code
    assert grpc_status.details == "Thread or assistant not found."
    assert details.code == code.value[0]
    assert details.message == "Thread or assistant not found."
    info = _error_info(details)
    assert info.domain == "langgraph-grpc-gateway"
    assert info.reason == "UPSTREAM_HTTP_ERROR"
    assert dict(info.metadata) == {"http_status": str(status)}


def test_to_rpc_status_of_invalid_argument() -> None:
    grpc_status, details = _round_trip(errors.invalid_argument("assistant_id is required", "assistant_id"))
    assert (grpc_status.code, grpc_status.details) == (C.INVALID_ARGUMENT, "assistant_id is required")
    info = _error_info(details)
    assert (info.domain, info.reason, dict(info.metadata)) == (
        "langgraph-grpc-gateway",
        "INVALID_REQUEST",
        {"field": "assistant_id"},
    )


def test_to_rpc_status_of_run_failure_keeps_unicode() -> None:
    grpc_status, details = _round_trip(errors.run_failed({"error": "ValueError", "message": "échec 💥"}))
    assert grpc_status.details == "run failed: ValueError: échec 💥"
    assert dict(_error_info(details).metadata) == {"error": "ValueError", "message": "échec 💥"}


@pytest.mark.parametrize("code", [c for c in C if c != C.OK], ids=lambda c: c.name)
def test_every_code_maps_to_its_number(code: grpc.StatusCode) -> None:
    status = GatewayError(code, "m", reason="R").to_rpc_status()
    assert status.code == code.value[0]


# --- transport errors -------------------------------------------------------------------------

_REFUSED = aiohttp.ClientConnectorError(
    ConnectionKey("127.0.0.1", 1, False, True, None, None, None),
    ConnectionRefusedError(111, "Connection refused"),
)

TRANSPORT = {
    "connect refused": (
        _REFUSED,
        False,
        C.UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
        "upstream unreachable: Connection refused",
    ),
    "connect timeout is unreachable, not a deadline": (
        aiohttp.ConnectionTimeoutError("Connection timeout to host http://127.0.0.1:1"),
        False,
        C.UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
        "upstream unreachable: connect timed out",
    ),
    "read timeout": (
        aiohttp.SocketTimeoutError("Timeout on reading data from socket"),
        False,
        C.DEADLINE_EXCEEDED,
        "UPSTREAM_TIMEOUT",
        "upstream timed out: read timed out",
    ),
    "read timeout mid-stream": (
        TimeoutError("read timed out"),
        True,
        C.DEADLINE_EXCEEDED,
        "UPSTREAM_TIMEOUT",
        "upstream timed out: read timed out",
    ),
    "connection lost mid-stream": (
        aiohttp.ClientPayloadError("Response payload is not completed"),
        True,
        C.UNAVAILABLE,
        "UPSTREAM_STREAM_BROKEN",
        "upstream connection lost mid-stream: Response payload is not completed",
    ),
    "reset mid-stream": (
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        True,
        C.UNAVAILABLE,
        "UPSTREAM_STREAM_BROKEN",
        "upstream connection lost mid-stream: Connection reset by peer",
    ),
    "disconnected before the answer": (
        aiohttp.ServerDisconnectedError("Server disconnected"),
        False,
        C.UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
        "upstream unreachable: Server disconnected",
    ),
    "error without text names its type": (
        aiohttp.ClientPayloadError(""),
        False,
        C.UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
        "upstream unreachable: ClientPayloadError",
    ),
    "mid-stream error without text names its type": (
        aiohttp.ClientPayloadError(""),
        True,
        C.UNAVAILABLE,
        "UPSTREAM_STREAM_BROKEN",
        "upstream connection lost mid-stream: ClientPayloadError",
    ),
}


@pytest.mark.parametrize(
    ("exc", "started", "code", "reason", "message"), TRANSPORT.values(), ids=TRANSPORT.keys()
)
def test_from_transport_error(
    exc: aiohttp.ClientError | TimeoutError, started: bool, code: grpc.StatusCode, reason: str, message: str
) -> None:
    error = errors.from_transport_error(exc, started=started)
    assert (error.code, error.reason, error.message, error.metadata) == (code, reason, message, {})


def test_deadline_exceeded() -> None:
    error = errors.deadline_exceeded()
    assert (error.code, error.reason, error.message) == (
        C.DEADLINE_EXCEEDED,
        "UPSTREAM_TIMEOUT",
        "the upstream did not finish before the call's deadline",
    )


# --- run failures and the rest ----------------------------------------------------------------

RUN_FAILED = {
    "recorded shape": (
        {"error": "ValueError", "message": "boom: FAIL now"},
        "run failed: ValueError: boom: FAIL now",
        {"error": "ValueError", "message": "boom: FAIL now"},
    ),
    "empty object": ({}, "run failed: Error: ", {"error": "Error", "message": ""}),
    "message only": ({"message": "m"}, "run failed: Error: m", {"error": "Error", "message": "m"}),
    "error only": ({"error": "KeyError"}, "run failed: KeyError: ", {"error": "KeyError", "message": ""}),
    "nulls": ({"error": None, "message": None}, "run failed: Error: ", {"error": "Error", "message": ""}),
    "non-string values": (
        {"error": 7, "message": 1.5},
        "run failed: 7: 1.5",
        {"error": "7", "message": "1.5"},
    ),
    "a string": ("oops", 'run failed: Error: "oops"', {"error": "Error", "message": '"oops"'}),
    "a list": ([1, 2], "run failed: Error: [1, 2]", {"error": "Error", "message": "[1, 2]"}),
    "null": (None, "run failed: Error: null", {"error": "Error", "message": "null"}),
}


@pytest.mark.parametrize(("data", "message", "metadata"), RUN_FAILED.values(), ids=RUN_FAILED.keys())
def test_run_failed(data: object, message: str, metadata: dict[str, str]) -> None:
    error = errors.run_failed(data)
    assert (error.code, error.reason, error.message, error.metadata) == (
        C.INTERNAL,
        "RUN_FAILED",
        message,
        metadata,
    )


def test_protocol_error() -> None:
    error = errors.protocol_error("bad")
    assert (error.code, error.reason, error.message, error.metadata) == (
        C.INTERNAL,
        "UPSTREAM_PROTOCOL_ERROR",
        "bad",
        {},
    )


def test_invalid_argument() -> None:
    error = errors.invalid_argument("thread_id is bad", "thread_id")
    assert (error.code, error.reason, error.message, error.metadata) == (
        C.INVALID_ARGUMENT,
        "INVALID_REQUEST",
        "thread_id is bad",
        {"field": "thread_id"},
    )


def test_gateway_error_basics() -> None:
    metadata = {"a": "1"}
    error = GatewayError(C.NOT_FOUND, "gone", reason="R", metadata=metadata)
    metadata["a"] = "2"
    assert error.metadata == {"a": "1"}  # copied
    assert str(error) == "gone"
    assert repr(error) == "GatewayError(NOT_FOUND, 'gone', reason='R')"
    assert isinstance(error, Exception)


def test_an_http_exception_inside_a_200_is_mapped_like_its_status() -> None:
    # A join of an unknown run answers 200 {"__error__": {"error": "HTTPException", ...}}.
    error = errors.run_failed({"error": "HTTPException", "message": "404: Run not found"})
    assert (error.code, error.message, error.reason) == (C.NOT_FOUND, "Run not found", "UPSTREAM_HTTP_ERROR")
    assert error.metadata == {"http_status": "404"}
    assert errors.run_failed({"error": "HTTPException", "message": "oops"}).code == C.INTERNAL
