"""Read the upstream's wire recordings in ../shared/reference beside the repository
(or $LANGGRAPH_REFERENCE_DIR).

Each file is one raw HTTP response: status line, headers, a blank line, then the body (chunked
encoding already removed). A few files hold only an SSE or JSON body, with no status line.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re

_BESIDE_REPO = pathlib.Path(__file__).resolve().parents[3] / "shared" / "reference"
REFERENCE = pathlib.Path(os.environ.get("LANGGRAPH_REFERENCE_DIR", str(_BESIDE_REPO)))
WIRE = REFERENCE / "langgraph-api-wire"
OPENAPI = REFERENCE / "langgraph-api-openapi.json"

_HEAD = re.compile(rb"(HTTP/1\.[01]) (\d{3})[^\r\n]*\r?\n(.*?)\r?\n\r?\n", re.S)
_SSE_START = (b"event:", b"data:", b"id:", b":")


@dataclasses.dataclass(frozen=True)
class Recording:
    name: str
    status: int | None  # None for a body-only file
    headers: dict[str, str]
    body: bytes

    @property
    def is_event_stream(self) -> bool:
        if self.status is not None:
            return self.headers.get("content-type", "").startswith("text/event-stream")
        return self.body.lstrip(b"\r\n").startswith(_SSE_START)


def load(name: str) -> Recording:
    path = WIRE / name
    assert path.exists(), f"wire recording {path} not found (shared/reference must sit beside the repo)"
    raw = path.read_bytes()
    head = _HEAD.match(raw)
    if head is None:
        return Recording(name, None, {}, raw)
    headers = {}
    for line in head.group(3).splitlines():
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    return Recording(name, int(head.group(2)), headers, raw[head.end() :])


def names() -> list[str]:
    return sorted(p.name for p in WIRE.glob("*.txt")) if WIRE.is_dir() else []


def event_stream_names() -> list[str]:
    return [name for name in names() if load(name).is_event_stream]
