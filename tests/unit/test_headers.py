"""Only allow-listed metadata reaches the upstream, and never with a control character."""

from __future__ import annotations

import grpc
import pytest
from langgraph_grpc_gateway import headers
from langgraph_grpc_gateway.errors import GatewayError


def test_default_allow_list() -> None:
    expected = {"authorization", "x-api-key", "x-request-id", "traceparent", "tracestate", "baggage"}
    forwarded = headers.DEFAULT_FORWARDED
    assert forwarded == frozenset(expected)


FORWARDED = {
    "authorization": ("authorization", "Bearer tok"),
    "x-api-key": ("x-api-key", "lsv2_key"),
    "x-request-id": ("x-request-id", "req-1"),
    "traceparent": ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    "tracestate": ("tracestate", "vendor=1"),
    "baggage": ("baggage", "user=1"),
    "upper case key": ("Authorization", "Bearer tok"),
    "mixed case key": ("X-Request-ID", "req-2"),
    "empty value": ("x-request-id", ""),
    "unicode value": ("baggage", "user=é"),
}


@pytest.mark.parametrize(("key", "value"), FORWARDED.values(), ids=FORWARDED.keys())
def test_forwarded(key: str, value: str) -> None:
    assert headers.upstream_headers([(key, value)]) == {key.lower(): value}


NOT_FORWARDED = {
    "grpc-timeout": ("grpc-timeout", "5S"),
    "grpc-accept-encoding": ("grpc-accept-encoding", "gzip"),
    "user-agent": ("user-agent", "grpc-python/1.85"),
    ":authority": (":authority", "localhost:50051"),
    "content-type": ("content-type", "application/grpc"),
    "host": ("host", "evil"),
    "te": ("te", "trailers"),
    "x-foo": ("x-foo", "bar"),
    "cookie": ("cookie", "a=b"),
    "x-forwarded-for": ("x-forwarded-for", "1.2.3.4"),
    "binary key": ("trace-bin", b"\x00\x01"),
    "binary value on an allow-listed key": ("x-api-key", b"key"),
    "prefix of an allow-listed key": ("x-api", "k"),
    "allow-listed key with suffix": ("authorization-bin", b"x"),
}


@pytest.mark.parametrize(("key", "value"), NOT_FORWARDED.values(), ids=NOT_FORWARDED.keys())
def test_not_forwarded(key: str, value: str | bytes) -> None:
    assert headers.upstream_headers([(key, value)]) == {}


def test_mixed_metadata() -> None:
    metadata = [
        ("user-agent", "grpc"),
        ("authorization", "Bearer a"),
        ("grpc-timeout", "1S"),
        ("x-trace-bin", b"\x01"),
        ("traceparent", "00-aa-bb-01"),
    ]
    assert headers.upstream_headers(metadata) == {"authorization": "Bearer a", "traceparent": "00-aa-bb-01"}


def test_repeated_key_is_joined() -> None:
    metadata = [("baggage", "a=1"), ("Baggage", "b=2")]
    assert headers.upstream_headers(metadata) == {"baggage": "a=1, b=2"}


@pytest.mark.parametrize("metadata", [None, (), []], ids=["none", "empty tuple", "empty list"])
def test_no_metadata(metadata: object) -> None:
    assert headers.upstream_headers(metadata) == {}  # type: ignore[arg-type]


def test_forwarded_names() -> None:
    assert headers.forwarded_names([" X-Tenant ", "", "  ", "x-other", "AUTHORIZATION"]) == (
        headers.DEFAULT_FORWARDED | {"x-tenant", "x-other"}
    )
    assert headers.forwarded_names([]) == headers.DEFAULT_FORWARDED


def test_extra_allow_list() -> None:
    forwarded = headers.forwarded_names(["X-Tenant"])
    metadata = [("x-tenant", "acme"), ("X-Tenant", "two"), ("x-foo", "no"), ("authorization", "a")]
    assert headers.upstream_headers(metadata, forwarded=forwarded) == {
        "x-tenant": "acme, two",
        "authorization": "a",
    }
    # the default allow-list does not know it
    assert headers.upstream_headers([("x-tenant", "acme")]) == {}


def test_extra_binary_key_is_still_not_forwarded() -> None:
    forwarded = headers.forwarded_names(["x-trace-bin"])
    assert headers.upstream_headers([("x-trace-bin", b"\x00")], forwarded=forwarded) == {}


API_KEY = {
    "replaces the caller's": ([("x-api-key", "caller")], "server", {"x-api-key": "server"}),
    "replaces the caller's whatever its case": ([("X-API-KEY", "caller")], "server", {"x-api-key": "server"}),
    "added when the caller sent none": (
        [("authorization", "a")],
        "server",
        {"authorization": "a", "x-api-key": "server"},
    ),
    "none configured keeps the caller's": ([("x-api-key", "caller")], None, {"x-api-key": "caller"}),
    "empty configured keeps the caller's": ([("x-api-key", "caller")], "", {"x-api-key": "caller"}),
    "added with no metadata at all": (None, "server", {"x-api-key": "server"}),
}


@pytest.mark.parametrize(("metadata", "api_key", "expected"), API_KEY.values(), ids=API_KEY.keys())
def test_api_key(metadata: object, api_key: str | None, expected: dict[str, str]) -> None:
    assert headers.upstream_headers(metadata, api_key=api_key) == expected  # type: ignore[arg-type]


CONTROL = {
    "cr": ("authorization", "Bearer a\rb"),
    "lf": ("x-request-id", "a\nInjected: 1"),
    "crlf": ("traceparent", "x\r\ny"),
    "nul": ("baggage", "a\0b"),
    "trailing lf": ("x-api-key", "key\n"),
    "upper-case key": ("X-Request-Id", "a\rb"),
}


@pytest.mark.parametrize(("key", "value"), CONTROL.values(), ids=CONTROL.keys())
def test_control_characters(key: str, value: str) -> None:
    with pytest.raises(GatewayError) as caught:
        headers.upstream_headers([(key, value)])
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_REQUEST"
    assert error.metadata == {"field": key.lower()}
    assert error.message == f"metadata {key.lower()!r} holds a control character"


def test_control_characters_in_ignored_keys_are_harmless() -> None:
    assert headers.upstream_headers([("x-foo", "a\r\nb"), ("authorization", "ok")]) == {"authorization": "ok"}


RUN_METADATA = {
    "both": (("r-1", "t-1"), (("x-langgraph-run-id", "r-1"), ("x-langgraph-thread-id", "t-1"))),
    "run only": (("r-1", ""), (("x-langgraph-run-id", "r-1"),)),
    "thread only": (("", "t-1"), (("x-langgraph-thread-id", "t-1"),)),
    "neither": (("", ""), ()),
}


@pytest.mark.parametrize(("ids", "expected"), RUN_METADATA.values(), ids=RUN_METADATA.keys())
def test_run_metadata(ids: tuple[str, str], expected: tuple[tuple[str, str], ...]) -> None:
    assert headers.run_metadata(*ids) == expected
    assert (headers.RUN_ID, headers.THREAD_ID) == ("x-langgraph-run-id", "x-langgraph-thread-id")
