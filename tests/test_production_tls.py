"""TLS on the listener, mTLS with the client's identity in the access log, and an https upstream
checked against a custom CA bundle: with certificates the tests make."""

from __future__ import annotations

import json
import logging
import pathlib
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
import pytest
from langgraph_gateway.v1 import runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_grpc_gateway.config import ConfigError

from .certificates import Authority
from .scripted_upstream import Script, ScriptedUpstream
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, error_info, stream_request

OK = Script(headers=STREAM_HEADERS, chunks=EVENTS)


@asynccontextmanager
async def tls_gateway(upstream_url: str, **settings: Any) -> AsyncIterator[Gateway]:
    gateway = Gateway(Settings(upstream=upstream_url, listen="127.0.0.1:0", **settings))
    await gateway.start()
    try:
        yield gateway
    finally:
        await gateway.stop(0)


async def stream_over(channel: grpc.aio.Channel) -> tuple[list[Any], grpc.aio.AioRpcError | None]:
    return await collect(runs_pb2_grpc.RunsServiceStub(channel).StreamRun(stream_request(), timeout=10))


async def plaintext_call(upstream_url: str, **settings: Any) -> tuple[list[Any], grpc.aio.AioRpcError | None]:
    async with (
        tls_gateway(upstream_url, **settings) as gateway,
        grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel,
    ):
        return await stream_over(channel)


def credentials(ca: Authority, client: Any = None) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(
        root_certificates=ca.pair.cert.read_bytes(),
        private_key=client.key.read_bytes() if client else None,
        certificate_chain=client.cert.read_bytes() if client else None,
    )


async def test_tls_listener_serves_tls_and_refuses_plaintext(tmp_path: pathlib.Path) -> None:
    ca = Authority(tmp_path)
    server = ca.issue("gateway.test", server=True)
    async with (
        ScriptedUpstream(OK) as upstream,
        tls_gateway(upstream.url, tls_cert_file=str(server.cert), tls_key_file=str(server.key)) as gateway,
    ):
        async with grpc.aio.secure_channel(f"localhost:{gateway.port}", credentials(ca)) as channel:
            messages, error = await stream_over(channel)
            assert error is None and len(messages) == 2
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            _, error = await stream_over(channel)
            assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
        other_ca = Authority(tmp_path, "other CA")
        async with grpc.aio.secure_channel(f"localhost:{gateway.port}", credentials(other_ca)) as channel:
            _, error = await stream_over(channel)
            assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
    assert len(upstream.requests) == 1


async def test_mtls_requires_a_client_certificate_and_logs_its_identity(
    tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "langgraph_grpc_gateway.access")
    ca = Authority(tmp_path)
    server, client = ca.issue("gateway.test", server=True), ca.issue("svc-a.test", server=False)
    mtls = {
        "tls_cert_file": str(server.cert),
        "tls_key_file": str(server.key),
        "tls_client_ca_file": str(ca.pair.cert),
        "tls_require_client_cert": True,
    }
    async with ScriptedUpstream(OK) as upstream, tls_gateway(upstream.url, **mtls) as gateway:
        async with grpc.aio.secure_channel(f"localhost:{gateway.port}", credentials(ca)) as channel:
            _, error = await stream_over(channel)
            assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
        async with grpc.aio.secure_channel(f"localhost:{gateway.port}", credentials(ca, client)) as channel:
            messages, error = await stream_over(channel)
            assert error is None and len(messages) == 2
    assert len(upstream.requests) == 1
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name.endswith(".access")]
    assert line["client"] == "svc-a.test"


def https_context(ca: Authority) -> ssl.SSLContext:
    server = ca.issue("upstream.test", server=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(server.cert, server.key)
    return context


async def test_https_upstream_checked_against_a_custom_ca(tmp_path: pathlib.Path) -> None:
    ca = Authority(tmp_path)
    async with ScriptedUpstream(OK, ssl_context=https_context(ca)) as upstream:
        assert upstream.url.startswith("https://")
        messages, error = await plaintext_call(upstream.url, upstream_ca_file=str(ca.pair.cert))
        assert error is None and len(messages) == 2
        # Without the bundle the system CAs do not know the upstream's certificate: no request goes out.
        _, error = await plaintext_call(upstream.url)
        assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE
        assert error_info(error).reason == "UPSTREAM_UNAVAILABLE"
    assert len(upstream.requests) == 1


def test_tls_settings_are_checked(tmp_path: pathlib.Path) -> None:
    ca = Authority(tmp_path)
    cert, key = str(ca.pair.cert), str(ca.pair.key)
    cases = [
        ({"tls_cert_file": cert}, "tls_cert_file and tls_key_file go together"),
        ({"tls_client_ca_file": cert}, "tls_client_ca_file needs TLS on the listener"),
        (
            {"tls_cert_file": cert, "tls_key_file": key, "tls_require_client_cert": True},
            "needs tls_client_ca_file",
        ),
        (
            {"tls_cert_file": cert, "tls_key_file": str(tmp_path / "missing")},
            "tls_key_file must be a readable file",
        ),
        ({"upstream_ca_file": cert}, "upstream_ca_file needs an https:// upstream"),
    ]
    for fields, message in cases:
        with pytest.raises(ConfigError, match=message):
            Settings(upstream="http://h", **fields)  # type: ignore[arg-type]
