"""Upstream URL paths, built only from validated ids.

An id goes into a path only when it is made of RFC 3986 unreserved characters and does not
start with a dot. Percent-encoding alone is not enough: the upstream (Starlette) routes on the
*decoded* path, so "a%2F..%2Fassistants" would still walk to another endpoint there. With only
unreserved characters there is nothing to encode and nothing for anyone to decode.
"""

from __future__ import annotations

import re

from . import errors

_SAFE_ID = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}")


def segment(value: str, field: str) -> str:
    """`value` as one path segment, or INVALID_ARGUMENT naming `field`."""
    if not _SAFE_ID.fullmatch(value):
        raise errors.invalid_argument(
            f"{field} {value!r} is not a valid id: use letters, digits, '-', '_', '.' or '~' "
            "(at most 128, not starting with '.')",
            field,
        )
    return value


def run_create(thread_id: str | None, action: str) -> str:
    """POST path of a run creation: action is "stream" or "wait"."""
    if not thread_id:
        return f"/runs/{action}"
    return f"/threads/{segment(thread_id, 'thread_id')}/runs/{action}"


def ids_from_content_location(location: str | None) -> tuple[str, str]:
    """(run_id, thread_id) from "/runs/<rid>" or "/threads/<tid>/runs/<rid>"; "" where absent."""
    parts = (location or "").split("?", 1)[0].strip("/").split("/")
    run_id = parts[parts.index("runs") + 1] if "runs" in parts[:-1] else ""
    thread_id = parts[parts.index("threads") + 1] if "threads" in parts[:-1] else ""
    return run_id, thread_id
