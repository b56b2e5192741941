"""Auth at the gateway: keys and bearer tokens, checked before the upstream; never forwarded, never logged."""

from __future__ import annotations

import logging
import pathlib
import subprocess

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from langgraph_gateway.v1 import runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_grpc_gateway.auth import parse_file

from .production_support import GATEWAY, gateway_process, sleep_run
from .scripted_upstream import Script
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, error_info, gateway_for, stream_request

KEY, TOKEN, UPSTREAM_KEY = "gw-key-5b1d0e", "gw-token-91ac4f", "upstream-key-77e2aa"
SECRETS = (KEY, TOKEN, UPSTREAM_KEY)
OK = Script(headers=STREAM_HEADERS, chunks=EVENTS)
REFUSED = {
    "nothing": (),
    "wrong key": (("x-api-key", "nope"),),
    "empty key": (("x-api-key", ""),),
    "token as key": (("x-api-key", TOKEN),),
    "key as bearer": (("authorization", f"Bearer {KEY}"),),
    "token without scheme": (("authorization", TOKEN),),
    "basic scheme": (("authorization", f"Basic {TOKEN}"),),
    "key with a suffix": (("x-api-key", KEY + "x"),),
}


@pytest.mark.parametrize("metadata", REFUSED.values(), ids=REFUSED.keys())
async def test_calls_without_a_known_credential_are_unauthenticated_before_the_upstream(
    metadata: tuple[tuple[str, str], ...],
) -> None:
    async with gateway_for(OK, api_keys=frozenset({KEY}), bearer_tokens=frozenset({TOKEN})) as (
        upstream,
        runs,
    ):
        messages, error = await collect(runs.StreamRun(stream_request(), metadata=metadata))
    assert messages == [] and error is not None
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error.details() == "the gateway needs an API key in x-api-key or a bearer token in authorization"
    assert error_info(error).reason == "GATEWAY_UNAUTHENTICATED"
    assert upstream.requests == []


ADMITTED = {
    "key": (("x-api-key", KEY),),
    "bearer": (("authorization", f"Bearer {TOKEN}"),),
    "bearer, lower-case scheme": (("authorization", f"bearer {TOKEN}"),),
}


@pytest.mark.parametrize("metadata", ADMITTED.values(), ids=ADMITTED.keys())
async def test_a_known_credential_is_admitted_and_not_forwarded(
    metadata: tuple[tuple[str, str], ...],
) -> None:
    settings = {"api_keys": frozenset({KEY, "other"}), "bearer_tokens": frozenset({TOKEN})}
    async with gateway_for(OK, **settings) as (upstream, runs):
        messages, error = await collect(runs.StreamRun(stream_request(), metadata=metadata))
    assert error is None and len(messages) == 2
    sent = upstream.requests[0].headers
    assert "x-api-key" not in sent and "authorization" not in sent


async def test_the_gateway_holds_the_upstream_key_and_other_credentials_pass() -> None:
    settings = {"api_keys": frozenset({KEY}), "upstream_api_key": UPSTREAM_KEY}
    metadata = (("x-api-key", KEY), ("authorization", "Bearer for-the-upstream"))
    async with gateway_for(OK, **settings) as (upstream, runs):
        _, error = await collect(runs.StreamRun(stream_request(), metadata=metadata))
    assert error is None
    sent = upstream.requests[0].headers
    assert sent["x-api-key"] == UPSTREAM_KEY  # the caller's gateway key never goes upstream
    assert sent["authorization"] == "Bearer for-the-upstream"  # only keys are checked here


async def test_health_and_reflection_stay_open() -> None:
    gateway = Gateway(
        Settings(upstream="http://127.0.0.1:1", listen="127.0.0.1:0", api_keys=frozenset({KEY}))
    )
    await gateway.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            answer = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
            # Answered without a key; NOT_SERVING, as health follows the upstream (nothing at port 1).
            assert answer.status == health_pb2.HealthCheckResponse.NOT_SERVING
            call = reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
                iter([reflection_pb2.ServerReflectionRequest(list_services="")])
            )
            response = await call.read()
            assert response.list_services_response.service
            call.cancel()
    finally:
        await gateway.stop(0)


async def test_secrets_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, "langgraph_grpc_gateway")  # conftest's gateway_log sets INFO
    settings = {
        "api_keys": frozenset({KEY}),
        "bearer_tokens": frozenset({TOKEN}),
        "upstream_api_key": UPSTREAM_KEY,
    }
    logging.getLogger("test").info("settings: %r", Settings(upstream="http://h", **settings))  # type: ignore[arg-type]
    async with gateway_for(OK, **settings) as (_, runs):
        for metadata in [*REFUSED.values(), *ADMITTED.values(), (("x-api-key", KEY + "x"),)]:
            await collect(runs.StreamRun(stream_request(), metadata=metadata))
    assert "UNAUTHENTICATED" in caplog.text and '"code":"OK"' in caplog.text  # the calls were logged
    for secret in SECRETS:
        assert secret not in caplog.text


def test_auth_file_and_flags_through_the_cli(upstream_url: str, tmp_path: pathlib.Path) -> None:
    auth_file = tmp_path / "credentials"
    auth_file.write_text(f"# callers\napi-key {KEY}\nbearer {TOKEN}\n")
    args = ("--auth-file", str(auth_file), "--upstream-api-key", UPSTREAM_KEY, "--log-level", "DEBUG")
    with (
        gateway_process(upstream_url, *args, log=tmp_path / "gw.log") as gateway,
        grpc.insecure_channel(gateway.address) as channel,
    ):
        runs = runs_pb2_grpc.RunsServiceStub(channel)
        with pytest.raises(grpc.RpcError) as refused:
            list(runs.StreamRun(stream_request()))
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED  # type: ignore[attr-defined]
        assert list(runs.StreamRun(sleep_run(0), metadata=(("authorization", f"Bearer {TOKEN}"),)))
    output = gateway.output()
    assert "UNAUTHENTICATED" in output
    for secret in SECRETS:
        assert secret not in output


def test_a_bad_auth_file_names_the_line_not_the_secret(tmp_path: pathlib.Path) -> None:
    auth_file = tmp_path / "credentials"
    auth_file.write_text(f"api-key {KEY}\ntoken {TOKEN}\n")
    result = subprocess.run(
        [*GATEWAY, "--upstream", "http://127.0.0.1:1", "--auth-file", str(auth_file)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "line 2: expected `api-key SECRET` or `bearer SECRET`" in result.stderr
    assert TOKEN not in result.stderr


def test_parse_file() -> None:
    credentials = parse_file("# a comment\n\napi-key a#b\n  bearer  t1  \nAPI-KEY k2\n")
    assert credentials.api_keys == {"a#b", "k2"} and credentials.bearer_tokens == {"t1"}
    assert KEY not in repr(credentials)
