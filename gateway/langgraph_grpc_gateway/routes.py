"""Upstream URL paths, built only from validated ids.

An id goes into a path only when it is made of RFC 3986 unreserved characters and does not
start with a dot. Percent-encoding alone is not enough: the upstream (Starlette) routes on the
*decoded* path, so "a%2F..%2Fassistants" would still walk to another endpoint there. With only
unreserved characters there is nothing to encode and nothing for anyone to decode. A name that
is not an id (a subgraph namespace) is percent-encoded instead, and refused only where it could
leave its segment once decoded (name_segment).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from . import errors

_SAFE_ID = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}")


def segment(value: str, field: str) -> str:
    """`value` as one path segment, or INVALID_ARGUMENT naming `field`."""
    if not value:
        raise errors.invalid_argument(f"{field} is required", field)
    if not _SAFE_ID.fullmatch(value):
        raise errors.invalid_argument(
            f"{field} {value!r} is not a valid id: use letters, digits, '-', '_', '.' or '~' "
            "(at most 128, not starting with '.')",
            field,
        )
    return value


def run_create(thread_id: str | None, action: str = "") -> str:
    """POST path of a run creation: action is "stream", "wait" or "" (a background run)."""
    runs = f"/threads/{segment(thread_id, 'thread_id')}/runs" if thread_id else "/runs"
    return f"{runs}/{action}" if action else runs


def assistant(assistant_id: str, tail: str = "") -> str:
    return f"/assistants/{segment(assistant_id, 'assistant_id')}{tail}"


def subgraphs(assistant_id: str, namespace: str = "") -> str:
    """Path of an assistant's subgraphs, or of the one at `namespace` ("inner", "outer|inner")."""
    path = assistant(assistant_id, "/subgraphs")
    return f"{path}/{name_segment(namespace, 'namespace')}" if namespace else path


def name_segment(value: str, field: str) -> str:
    """A name (a subgraph namespace: node names, which may hold spaces or '|') as one
    percent-encoded path segment. Starlette decodes the path once before routing, so what is
    refused is only what would still leave the segment once decoded ('/', and '\\', which some
    servers read as '/'), a leading '.' (the dot-segments '.' and '..'), and control characters."""
    if not value:
        raise errors.invalid_argument(f"{field} is required", field)
    if "/" in value or "\\" in value or value.startswith(".") or not value.isprintable():
        raise errors.invalid_argument(
            f"{field} {value!r} cannot be a path segment: no '/', '\\', control characters or leading '.'",
            field,
        )
    return quote(value, safe="")


def thread(thread_id: str, tail: str = "") -> str:
    return f"/threads/{segment(thread_id, 'thread_id')}{tail}"


def thread_state(thread_id: str, checkpoint_id: str = "") -> str:
    """A thread's state: the latest, or at a checkpoint given by its id."""
    at = f"/{segment(checkpoint_id, 'checkpoint_id')}" if checkpoint_id else ""
    return thread(thread_id, f"/state{at}")


def run(thread_id: str, run_id: str, tail: str = "") -> str:
    return thread(thread_id, f"/runs/{segment(run_id, 'run_id')}{tail}")


def cron_create(thread_id: str | None) -> str:
    """POST path of a cron creation: on the thread, or stateless when there is none."""
    return run_create(thread_id, "crons")


def cron(cron_id: str) -> str:
    return f"/runs/crons/{segment(cron_id, 'cron_id')}"


def resumable_stream(location: str | None) -> str | None:
    """The join-stream path of a thread run from its Location header, rebuilt from validated ids;
    None for anything else (stateless runs cannot be resumed upstream)."""
    parts = (location or "").split("?", 1)[0].split("/")
    if len(parts) != 6 or parts[0] or parts[1] != "threads" or parts[3] != "runs" or parts[5] != "stream":
        return None
    if not (_SAFE_ID.fullmatch(parts[2]) and _SAFE_ID.fullmatch(parts[4])):
        return None
    return run(parts[2], parts[4], "/stream")


def ids_from_content_location(location: str | None) -> tuple[str, str]:
    """(run_id, thread_id) from "/runs/<rid>" or "/threads/<tid>/runs/<rid>"; "" where absent or
    not a well-formed id (they go out as gRPC metadata, which allows printable ASCII only)."""
    parts = (location or "").split("?", 1)[0].strip("/").split("/")
    run_id = parts[parts.index("runs") + 1] if "runs" in parts[:-1] else ""
    thread_id = parts[parts.index("threads") + 1] if "threads" in parts[:-1] else ""
    return _id_or_empty(run_id), _id_or_empty(thread_id)


def _id_or_empty(value: str) -> str:
    return value if _SAFE_ID.fullmatch(value) else ""
