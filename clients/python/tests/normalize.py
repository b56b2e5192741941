"""Normalisation for comparing two runs of the same request (ours over gRPC, langgraph-sdk's
over HTTP): each distinct generated id (UUIDs, 32-hex interrupt ids) becomes "<idN>", numbered by
first appearance, so recurring ids must still recur in the same places; timestamps become
"<ts>"; clock-valued keys become "<clock>". Dict keys are visited in sorted order (ids blanked),
so numbering does not depend on the order of a protobuf Struct's map."""

from __future__ import annotations

import re
from typing import Any

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
HEX_ID = r"(?<![0-9a-fA-F])[0-9a-f]{32}(?![0-9a-fA-F])"
ANY_ID = re.compile(f"{UUID}|{HEX_ID}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
CLOCK_KEYS = frozenset({"__request_start_time_ms__", "timestamp", "created_at", "updated_at", "ts"})


class Normalizer:
    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def _id(self, match: re.Match[str]) -> str:
        return self.ids.setdefault(match.group(0).lower(), f"<id{len(self.ids)}>")

    def text(self, value: str) -> str:
        return ANY_ID.sub(self._id, TIMESTAMP.sub("<ts>", value))

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                self.text(key): "<clock>"
                if key in CLOCK_KEYS and value[key] is not None
                else self(value[key])
                for key in sorted(value, key=lambda k: (ANY_ID.sub("", k), k))
            }
        if isinstance(value, list | tuple):
            return [self(item) for item in value]
        return value


def parts(stream: list[Any]) -> list[tuple[str, Any, Any]]:
    """StreamParts (ours or the sdk's) as normalised (event, data, id) triples."""
    norm = Normalizer()
    return [(norm.text(p.event), norm(p.data), p.id) for p in stream]


def value(data: Any) -> Any:
    return Normalizer()(data)


def _present(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_present(item) for item in value]
    return value


def resource(ours: dict[str, Any], theirs: dict[str, Any]) -> tuple[Any, Any]:
    """A resource as our client returns it and as langgraph-sdk does, made comparable: keys whose
    value is None dropped on both sides (the gateway cannot tell a null from a key the server
    left out), and the sdk's keys the gateway's message has no field for (e.g. ThreadState's
    redundant checkpoint_id) dropped."""
    kept = {k: v for k, v in theirs.items() if k in ours}
    return _present(ours), _present(kept)
