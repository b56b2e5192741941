"""Upstream paths are built only from ids that cannot change which endpoint they reach."""

from __future__ import annotations

import re

import grpc
import pytest
from langgraph_grpc_gateway import routes
from langgraph_grpc_gateway.errors import GatewayError

from . import recordings

HOSTILE = {
    "dot dot slash": "../x",
    "dot dot": "..",
    "dot": ".",
    "three dots": "...",
    "leading dot": ".hidden",
    "slash": "a/b",
    "leading slash": "/a",
    "backslash": "a\\b",
    "query": "a?b",
    "fragment": "a#b",
    "encoded slash": "%2F",
    "encoded slash inside": "a%2Fb",
    "encoded dot dot": "%2e%2e",
    "percent": "a%b",
    "space": " ",
    "inner space": "a b",
    "129 characters": "a" * 129,
    "very long": "a" * 10_000,
    "unicode letters": "ünïcode",
    "cjk": "日本",
    "arabic-indic digits": "١٢٣",
    "fullwidth letter": "\uff41",
    "zero-width space": "a\u200bb",
    "cr lf": "a\r\nb",
    "lf": "a\n",
    "cr": "\r",
    "tab": "a\tb",
    "nul": "a\0b",
    "semicolon": "a;b",
    "colon": "a:b",
    "at": "a@b",
    "plus": "a+b",
    "ampersand": "a&b",
    "equals": "a=b",
}

SAFE = {
    "uuid": "01a21395-a3f9-7753-aa10-396f54005f8a",
    "uppercase uuid": "01A21395-A3F9-7753-AA10-396F54005F8A",
    "graph name": "agent",
    "graph name with underscore": "my_graph_2",
    "dots inside": "a.b..c",
    "tilde": "~x",
    "leading dash": "-a",
    "leading underscore": "_a",
    "single character": "a",
    "128 characters": "a" * 128,
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_segment(value: str) -> None:
    with pytest.raises(GatewayError) as caught:
        routes.segment(value, "thread_id")
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_REQUEST"
    assert error.metadata == {"field": "thread_id"}
    assert error.message == (
        f"thread_id {value!r} is not a valid id: use letters, digits, '-', '_', '.' or '~' "
        "(at most 128, not starting with '.')"
    )


def test_empty_segment() -> None:
    with pytest.raises(GatewayError) as caught:
        routes.segment("", "run_id")
    error = caught.value
    assert (error.code, error.reason, error.metadata) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_REQUEST",
        {"field": "run_id"},
    )
    assert "run_id" in error.message


@pytest.mark.parametrize("value", SAFE.values(), ids=SAFE.keys())
def test_safe_segment(value: str) -> None:
    assert routes.segment(value, "thread_id") == value


RUN_CREATE = {
    "stateless stream": (None, "stream", "/runs/stream"),
    "stateless wait": (None, "wait", "/runs/wait"),
    "empty thread id is stateless": ("", "stream", "/runs/stream"),
    "thread stream": (
        "01a21395-a3f9-7753-aa10-396f54005f8a",
        "stream",
        "/threads/01a21395-a3f9-7753-aa10-396f54005f8a/runs/stream",
    ),
    "thread wait": ("t-1", "wait", "/threads/t-1/runs/wait"),
}


@pytest.mark.parametrize(("thread_id", "action", "path"), RUN_CREATE.values(), ids=RUN_CREATE.keys())
def test_run_create(thread_id: str | None, action: str, path: str) -> None:
    assert routes.run_create(thread_id, action) == path


@pytest.mark.parametrize(
    "value", [v for v in HOSTILE.values() if v], ids=[k for k, v in HOSTILE.items() if v]
)
def test_run_create_hostile_thread_id(value: str) -> None:
    with pytest.raises(GatewayError) as caught:
        routes.run_create(value, "stream")
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.metadata == {"field": "thread_id"}


CONTENT_LOCATIONS = {
    "stateless": ("/runs/01a21395-21d0-76d7", ("01a21395-21d0-76d7", "")),
    "thread": ("/threads/t-1/runs/r-1", ("r-1", "t-1")),
    "missing header": (None, ("", "")),
    "empty header": ("", ("", "")),
    "trailing slash": ("/runs/r-1/", ("r-1", "")),
    "query": ("/threads/t-1/runs/r-1?x=1", ("r-1", "t-1")),
    "absolute url": ("http://127.0.0.1:8123/threads/t-1/runs/r-1", ("r-1", "t-1")),
    "path prefix": ("/api/v1/threads/t-1/runs/r-1", ("r-1", "t-1")),
    "location shape with /stream": ("/threads/t-1/runs/r-1/stream", ("r-1", "t-1")),
    "runs without id": ("/runs", ("", "")),
    "runs with empty id": ("/runs/", ("", "")),
    "unrelated": ("/assistants/a-1", ("", "")),
}


@pytest.mark.parametrize(("header", "expected"), CONTENT_LOCATIONS.values(), ids=CONTENT_LOCATIONS.keys())
def test_ids_from_content_location(header: str | None, expected: tuple[str, str]) -> None:
    assert routes.ids_from_content_location(header) == expected


_LOCATION = re.compile(r"^(?:/threads/([0-9a-f-]{36}))?/runs/([0-9a-f-]{36})$")


WITH_LOCATION = [name for name in recordings.names() if "content-location" in recordings.load(name).headers]


def test_recordings_with_content_location() -> None:
    assert {"runs_stream_nodeerror.txt", "runs_wait.txt", "resumable_part1.txt"} <= set(WITH_LOCATION)


@pytest.mark.parametrize("name", WITH_LOCATION)
def test_ids_from_recorded_content_location(name: str) -> None:
    header = recordings.load(name).headers["content-location"]
    match = _LOCATION.fullmatch(header)
    assert match, header
    assert routes.ids_from_content_location(header) == (match.group(2), match.group(1) or "")
