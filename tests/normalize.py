"""Normalisation for comparing two runs of the same request: pure functions, no I/O.

Two runs of one graph on one server differ only in what is generated per run: UUIDs (run,
thread, message, task and checkpoint ids, also inside strings such as "lc_run--<uuid>" or
"updates|inner:<task id>"), interrupt ids (32 hex digits), timestamps and request start times.
A Normalizer replaces each distinct id with a placeholder numbered by first appearance
("<id0>", "<id1>", ...), so the comparison still checks that an id recurs where it should
(the run id of `metadata` is the run id inside later events), and replaces timestamps with
"<ts>". Everything else is compared as it is.

Dict keys are visited in a stable order (ids blanked out), so that numbering does not depend on
the order a map happened to iterate in: protobuf Struct fields are a map with no order.
"""

from __future__ import annotations

import re
from typing import Any

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEX_ID = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{32}(?![0-9a-fA-F])")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
SSE_ID = re.compile(r"\d+-\d+")
# Values that are clock readings under these keys, whatever their type.
CLOCK_KEYS = frozenset({"__request_start_time_ms__", "timestamp", "created_at", "updated_at", "ts"})

_ANY_ID = re.compile(f"{UUID.pattern}|{HEX_ID.pattern}")


class Normalizer:
    """One per stream (or per answer): numbering is consistent within everything it sees."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def _id(self, match: re.Match[str]) -> str:
        raw = match.group(0).lower()
        if raw not in self.ids:
            self.ids[raw] = f"<id{len(self.ids)}>"
        return self.ids[raw]

    def text(self, value: str) -> str:
        value = TIMESTAMP.sub("<ts>", value)
        return _ANY_ID.sub(self._id, value)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key in sorted(value, key=_sort_key):
                item = value[key]
                out[self.text(key)] = "<clock>" if key in CLOCK_KEYS and item is not None else self(item)
            return out
        if isinstance(value, list | tuple):
            return [self(item) for item in value]
        if isinstance(value, float) and value.is_integer():
            return int(value)  # protobuf Value carries every number as a double
        return value


def _sort_key(key: str) -> tuple[str, str]:
    return (_ANY_ID.sub("", key), key)


def events(parts: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A stream as (event name, data) pairs, names and data normalised with one shared numbering."""
    norm = Normalizer()
    return [(norm.text(name), norm(data)) for name, data in parts]


def value(data: Any) -> Any:
    """One JSON answer (e.g. a /runs/wait result or a thread state), normalised on its own."""
    return Normalizer()(data)
