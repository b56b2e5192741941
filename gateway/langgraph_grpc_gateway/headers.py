"""gRPC metadata <-> upstream HTTP headers, in one place. Pure: no I/O.

Only an allow-list of request metadata reaches the upstream: credentials, request ids and W3C
trace context, plus whatever the operator adds. Everything else (grpc-*, :authority, user-agent,
binary -bin keys, anything unknown) stays at the gateway.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import errors

DEFAULT_FORWARDED = frozenset(
    {"authorization", "x-api-key", "x-request-id", "traceparent", "tracestate", "baggage"}
)

RUN_ID = "x-langgraph-run-id"
THREAD_ID = "x-langgraph-thread-id"


def upstream_headers(
    metadata: Iterable[tuple[str, str | bytes]] | None,
    *,
    forwarded: frozenset[str] = DEFAULT_FORWARDED,
    api_key: str | None = None,
) -> dict[str, str]:
    """The headers to send upstream for a call that arrived with `metadata`.

    A configured `api_key` replaces any x-api-key the caller sent: the gateway then holds the
    upstream's credential, and a caller's own key is for the gateway alone.
    """
    headers: dict[str, str] = {}
    for key, value in metadata or ():
        name = key.lower()
        if name not in forwarded or isinstance(value, bytes):
            continue
        if any(c in value for c in "\r\n\0"):
            raise errors.invalid_argument(f"metadata {name!r} holds a control character", name)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    if api_key:
        headers["x-api-key"] = api_key
    return headers


def run_metadata(run_id: str, thread_id: str) -> tuple[tuple[str, str], ...]:
    """The initial metadata that tells a client its run (and thread) before the first event."""
    pairs = ((RUN_ID, run_id), (THREAD_ID, thread_id))
    return tuple((k, v) for k, v in pairs if v)


def forwarded_names(extra: Iterable[str]) -> frozenset[str]:
    return DEFAULT_FORWARDED | {name.strip().lower() for name in extra if name.strip()}
