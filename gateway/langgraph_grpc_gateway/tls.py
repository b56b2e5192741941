"""TLS on both sides: the gRPC listener's credentials (optionally mTLS) and the context that checks
an https upstream's certificate against a custom CA bundle.

    server.add_secure_port(settings.listen, server_credentials(settings))
    httpx.AsyncClient(verify=upstream_context(settings))
"""

from __future__ import annotations

import pathlib
import ssl

import grpc

from .config import ConfigError, Settings


def server_credentials(settings: Settings) -> grpc.ServerCredentials:
    """The listener's certificate and key; with a client CA, client certificates are checked."""
    assert settings.tls_cert_file is not None and settings.tls_key_file is not None
    pair = (_read("tls_key_file", settings.tls_key_file), _read("tls_cert_file", settings.tls_cert_file))
    client_ca = (
        _read("tls_client_ca_file", settings.tls_client_ca_file) if settings.tls_client_ca_file else None
    )
    return grpc.ssl_server_credentials(
        [pair], root_certificates=client_ca, require_client_auth=settings.tls_require_client_cert
    )


def upstream_context(settings: Settings) -> ssl.SSLContext | bool:
    """What httpx checks the upstream's certificate with: the system CAs, or the configured bundle."""
    if settings.upstream_ca_file is None:
        return True
    try:
        return ssl.create_default_context(cafile=settings.upstream_ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"upstream_ca_file {settings.upstream_ca_file!r} is not a PEM CA bundle: {exc}"
        ) from None


def _read(name: str, path: str) -> bytes:
    try:
        return pathlib.Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{name} {path!r} cannot be read: {exc.strerror}") from None
