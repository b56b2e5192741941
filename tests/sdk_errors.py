"""Comparing a gateway error with the error langgraph-sdk got for the same request."""

from __future__ import annotations

import json

import grpc
from langgraph_sdk.errors import APIStatusError

from .status_details import error_info

StatusCode = grpc.StatusCode

# The gRPC code each HTTP status the real server produces must map to (errors.HTTP_TO_GRPC).
EXPECTED_CODE = {
    400: StatusCode.INVALID_ARGUMENT,
    404: StatusCode.NOT_FOUND,
    409: StatusCode.ABORTED,
    422: StatusCode.INVALID_ARGUMENT,
}


def upstream_message(body: object) -> str:
    """The status message the gateway gives for an upstream error body, as the sdk decoded it:
    FastAPI's `detail`, any other JSON as JSON text ({"error": "Key is required"}), plain text
    (the store's "Namespace label ..." answers) as is."""
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    if isinstance(body, dict | list):
        return json.dumps(body)
    return str(body).strip()


def assert_same_error(ours: grpc.aio.AioRpcError, theirs: APIStatusError, *, message: bool = True) -> None:
    """The gateway's error is the sdk's: the upstream's status mapped to its code and kept in the
    ErrorInfo, and (unless `message` is False) the upstream's message."""
    assert ours.code() == EXPECTED_CODE[theirs.status_code], (ours, theirs)
    info = error_info(ours)
    assert info.reason == "UPSTREAM_HTTP_ERROR", info
    assert info.metadata["http_status"] == str(theirs.status_code), info
    if message:
        assert ours.details() == upstream_message(theirs.body), (ours.details(), theirs.body)


def assert_refused(error: grpc.aio.AioRpcError, field: str) -> None:
    """Refused by the gateway itself, before any upstream call."""
    assert error.code() == StatusCode.INVALID_ARGUMENT, error
    info = error_info(error)
    assert info.reason == "INVALID_REQUEST", info
    assert info.metadata["field"] == field, info
