"""The gateway's settings: one frozen value, checked when built.

Settings come from flags and environment variables in the entry point only (__main__); the rest
of the code receives a Settings and never reads the environment.

    Settings(upstream="http://127.0.0.1:8123", listen="127.0.0.1:50051")
"""

from __future__ import annotations

import dataclasses
import math
import urllib.parse

from . import headers


class ConfigError(ValueError):
    """A setting has a value the gateway cannot use; the message names the setting."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    upstream: str
    """Base URL of the LangGraph API server, http:// or https://, optionally with a path prefix."""
    listen: str = "127.0.0.1:50051"
    """host:port for the gRPC listener; port 0 picks a free port."""
    upstream_api_key: str | None = None
    """Sent upstream as x-api-key on every request, in place of the caller's."""
    forward_metadata: frozenset[str] = headers.DEFAULT_FORWARDED
    """Request metadata keys passed to the upstream as headers."""
    connect_timeout: float = 10.0
    """Seconds to wait for a TCP/TLS connection to the upstream."""
    max_upstream_connections: int | None = None
    """Cap on open upstream connections; None means one per concurrent call."""
    shutdown_grace: float = 10.0
    """Seconds calls in flight may go on after a stop signal before they are cancelled."""
    reconnect_attempts: int = 3
    """Reconnections of a dropped resumable stream, in a row; 0 turns transparent resumption off."""
    keepalive_time: float = 60.0
    """Seconds between HTTP/2 keepalive pings the server sends on an idle connection; 0 turns them off.
    Well under Envoy's default 5 min stream idle timeout, so proxies see traffic on long LLM pauses."""
    keepalive_timeout: float = 20.0
    """Seconds to wait for a keepalive ping's answer before the connection is closed."""

    def __post_init__(self) -> None:
        url = urllib.parse.urlsplit(self.upstream)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(f"upstream must be an http:// or https:// URL, got {self.upstream!r}")
        if "?" in self.upstream or "#" in self.upstream:
            raise ConfigError(f"upstream must not have a query or fragment, got {self.upstream!r}")
        try:
            url.port  # noqa: B018 (parsing the port is the check)
        except ValueError:
            raise ConfigError(f"upstream must have a valid port, got {self.upstream!r}") from None
        parse_listen(self.listen)
        for name in ("connect_timeout", "shutdown_grace", "keepalive_time", "keepalive_timeout"):
            if not math.isfinite(getattr(self, name)):
                raise ConfigError(f"{name} must be a finite number, got {getattr(self, name)}")
        if self.connect_timeout <= 0:
            raise ConfigError(f"connect_timeout must be positive, got {self.connect_timeout}")
        if self.shutdown_grace < 0:
            raise ConfigError(f"shutdown_grace must not be negative, got {self.shutdown_grace}")
        for name in ("reconnect_attempts", "keepalive_time", "keepalive_timeout"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must not be negative, got {getattr(self, name)}")
        if self.max_upstream_connections is not None and self.max_upstream_connections < 1:
            raise ConfigError(
                f"max_upstream_connections must be at least 1, got {self.max_upstream_connections}"
            )

    @property
    def upstream_base(self) -> str:
        return self.upstream.rstrip("/")


def parse_listen(listen: str) -> tuple[str, int]:
    """("host", port) from "host:port" or "[v6]:port"."""
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ConfigError(f"listen must be HOST:PORT with a port from 0 to 65535, got {listen!r}")
    return host, int(port)
