"""The gateway's settings: one frozen value, checked when built.

Settings come from flags and environment variables in the entry point only (__main__); the rest
of the code receives a Settings and never reads the environment.

    Settings(upstream="http://127.0.0.1:8123", listen="127.0.0.1:50051")
"""

from __future__ import annotations

import dataclasses
import math
import os
import urllib.parse

from . import headers


class ConfigError(ValueError):
    """A setting has a value the gateway cannot use; the message names the setting."""


EVENT_LOOPS = ("auto", "uvloop", "asyncio")


def _secret() -> frozenset[str]:
    """A field of secrets: never printed, so never logged."""
    return dataclasses.field(default=frozenset(), repr=False)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    upstream: str
    """Base URL of the LangGraph API server, http:// or https://, optionally with a path prefix."""
    listen: str = "127.0.0.1:50051"
    """host:port for the gRPC listener; port 0 picks a free port."""
    upstream_api_key: str | None = dataclasses.field(default=None, repr=False)
    """Sent upstream as x-api-key on every request, in place of the caller's."""
    forward_metadata: frozenset[str] = headers.DEFAULT_FORWARDED
    """Request metadata keys passed to the upstream as headers."""
    connect_timeout: float = 10.0
    """Seconds to wait for a TCP/TLS connection to the upstream."""
    max_upstream_connections: int | None = None
    """Cap on open upstream connections; None means one per concurrent call."""
    shutdown_grace: float = 10.0
    """Seconds calls in flight may go on after a stop signal before they are cancelled."""
    drain_delay: float = 0.0
    """Seconds health reports NOT_SERVING before new calls are refused on a stop signal, so load
    balancers that probe health stop sending calls before the listener closes."""
    reconnect_attempts: int = 3
    """Reconnections of a dropped resumable stream, in a row; 0 turns transparent resumption off."""
    keepalive_time: float = 60.0
    """Seconds between HTTP/2 keepalive pings the server sends on an idle connection; 0 turns them off.
    Well under Envoy's default 5 min stream idle timeout, so proxies see traffic on long LLM pauses."""
    keepalive_timeout: float = 20.0
    """Seconds to wait for a keepalive ping's answer before the connection is closed."""

    # --- limits
    max_concurrent_streams: int | None = None
    """Streaming calls (StreamRun, JoinStream) served at once; beyond it RESOURCE_EXHAUSTED."""
    accept_ahead: int = 32
    """Requests for new StreamRun and WaitRun calls kept pending in grpc beside grpc.aio's one
    (accept_ahead.py): how many such calls a busy event loop can take in a turn. 0: grpc.aio's
    own accept loop alone."""
    max_receive_message_bytes: int = 4 * 1024 * 1024
    """Largest request message accepted (grpc's default, 4 MiB)."""
    max_send_message_bytes: int | None = None
    """Largest response message sent; None is no limit (grpc's default)."""
    max_connection_age: float | None = None
    """Seconds a client connection may live before the server asks it to go (GOAWAY), so L7
    balancers and clients re-resolve and spread long-lived HTTP/2 connections; None is forever."""
    max_connection_age_grace: float | None = None
    """Seconds calls on an aged connection may go on before it is closed; None is forever."""

    # --- health
    upstream_health_interval: float = 5.0
    """Seconds between GET /ok probes of the upstream (the first at start); health follows them, so
    a gateway whose upstream is down says NOT_SERVING. 0 turns probing off: health says SERVING
    whatever the upstream does."""
    upstream_health_timeout: float = 5.0
    """Seconds one upstream probe may take before it counts as failed."""

    # --- auth
    api_keys: frozenset[str] = _secret()
    """Callers must present one of these as x-api-key (or a bearer token); empty: no key auth."""
    bearer_tokens: frozenset[str] = _secret()
    """Callers must present one of these as `authorization: Bearer ...` (or an API key)."""

    # --- TLS
    tls_cert_file: str | None = None
    """PEM certificate chain of the gRPC listener; with tls_key_file, turns TLS on."""
    tls_key_file: str | None = None
    """PEM private key of the gRPC listener."""
    tls_client_ca_file: str | None = None
    """PEM CA bundle that client certificates are checked against (mTLS)."""
    tls_require_client_cert: bool = False
    """Refuse clients without a certificate signed by tls_client_ca_file."""
    upstream_ca_file: str | None = None
    """PEM CA bundle that an https upstream's certificate is checked against (default: system CAs)."""

    # --- observability
    access_log: bool = True
    """One JSON line per call on the langgraph_grpc_gateway.access logger."""
    metrics_listen: str | None = None
    """host:port of the Prometheus endpoint (GET /metrics); None turns metrics off."""
    tracing: bool = False
    """OpenTelemetry spans for gRPC calls and upstream requests, with the global tracer provider."""

    # --- processes
    workers: int = 1
    """Gateway processes serving one port (SO_REUSEPORT); one Python process uses one core."""
    event_loop: str = "auto"
    """The asyncio loop of each process: "auto" (uvloop when installed), "uvloop" or "asyncio"."""

    def __post_init__(self) -> None:
        _check_upstream(self.upstream)
        parse_listen(self.listen)
        if self.metrics_listen is not None:
            parse_listen(self.metrics_listen, "metrics_listen")
        _check_numbers(self)
        _check_tls(self)
        if self.workers > 1 and parse_listen(self.listen)[1] == 0:
            raise ConfigError("workers above 1 need a fixed listen port, not 0")
        if self.event_loop not in EVENT_LOOPS:
            raise ConfigError(f"event_loop must be one of {', '.join(EVENT_LOOPS)}, got {self.event_loop!r}")

    @property
    def upstream_base(self) -> str:
        return self.upstream.rstrip("/")

    @property
    def tls(self) -> bool:
        return self.tls_cert_file is not None


def parse_listen(listen: str, name: str = "listen") -> tuple[str, int]:
    """("host", port) from "host:port" or "[v6]:port"."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ConfigError(f"{name} must be HOST:PORT with a port from 0 to 65535, got {listen!r}")
    return host, int(port)


def _check_upstream(upstream: str) -> None:
    url = urllib.parse.urlsplit(upstream)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(f"upstream must be an http:// or https:// URL, got {upstream!r}")
    if "?" in upstream or "#" in upstream:
        raise ConfigError(f"upstream must not have a query or fragment, got {upstream!r}")
    try:
        url.port  # noqa: B018 (parsing the port is the check)
    except ValueError:
        raise ConfigError(f"upstream must have a valid port, got {upstream!r}") from None


# (field, lowest allowed, lowest is allowed itself): numbers that may be None are skipped when None.
_BOUNDS: tuple[tuple[str, float, bool], ...] = (
    ("connect_timeout", 0, False),
    ("shutdown_grace", 0, True),
    ("drain_delay", 0, True),
    ("reconnect_attempts", 0, True),
    ("keepalive_time", 0, True),
    ("keepalive_timeout", 0, True),
    ("max_upstream_connections", 1, True),
    ("max_concurrent_streams", 1, True),
    ("accept_ahead", 0, True),
    ("max_receive_message_bytes", 1, True),
    ("max_send_message_bytes", 1, True),
    ("max_connection_age", 0, False),
    ("max_connection_age_grace", 0, True),
    ("upstream_health_interval", 0, True),
    ("upstream_health_timeout", 0, False),
    ("workers", 1, True),
)


def _check_numbers(settings: Settings) -> None:
    for name, low, inclusive in _BOUNDS:
        value = getattr(settings, name)
        if value is None:
            continue
        if not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number, got {value}")
        if inclusive and value < low:
            raise ConfigError(
                f"{name} must be at least {low}, got {value}"
                if low
                else f"{name} must not be negative, got {value}"
            )
        if not inclusive and value <= low:
            raise ConfigError(f"{name} must be positive, got {value}")


def _check_tls(settings: Settings) -> None:
    if (settings.tls_cert_file is None) != (settings.tls_key_file is None):
        raise ConfigError("tls_cert_file and tls_key_file go together: give both or neither")
    if settings.tls_client_ca_file is not None and not settings.tls:
        raise ConfigError("tls_client_ca_file needs TLS on the listener (tls_cert_file and tls_key_file)")
    if settings.tls_require_client_cert and settings.tls_client_ca_file is None:
        raise ConfigError("tls_require_client_cert needs tls_client_ca_file to check client certificates")
    for name in ("tls_cert_file", "tls_key_file", "tls_client_ca_file", "upstream_ca_file"):
        path = getattr(settings, name)
        if path is not None and not os.path.isfile(path):
            raise ConfigError(f"{name} must be a readable file, got {path!r}")
    if settings.upstream_ca_file is not None and not settings.upstream.lower().startswith("https:"):
        raise ConfigError("upstream_ca_file needs an https:// upstream")
