"""Health follows the upstream's GET /ok, by default: Check and Watch, overall and per service; a
warning at start when the upstream does not answer."""

from __future__ import annotations

import logging
import pathlib

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings

from .certificates import Authority
from .conftest import free_port
from .production_support import NOT_SERVING, SERVING, GatewayProcess, eventually
from .scripted_upstream import Request, Script, ScriptedUpstream
from .test_production_tls import https_context

RUNS = "langgraph_gateway.v1.RunsService"


class Switchable:
    """An upstream whose /ok answers 200 or 503, as the test says."""

    def __init__(self) -> None:
        self.ok = True

    def __call__(self, request: Request) -> Script:
        assert request.path == "/ok"
        status = 200 if self.ok else 503
        return Script(status=status, headers={"content-type": "application/json"}, chunks=[b'{"ok":true}'])


async def test_health_turns_not_serving_while_the_upstream_fails_and_back() -> None:
    switch = Switchable()
    async with ScriptedUpstream(switch, probes=False) as upstream:
        gateway = Gateway(Settings(upstream=upstream.url, listen="127.0.0.1:0", upstream_health_interval=0.1))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                health = health_pb2_grpc.HealthStub(channel)
                watch = health.Watch(health_pb2.HealthCheckRequest(service=RUNS))
                assert (await watch.read()).status == SERVING

                async def statuses() -> set[int]:
                    answers = [
                        await health.Check(health_pb2.HealthCheckRequest(service=s)) for s in ("", RUNS)
                    ]
                    return {answer.status for answer in answers}

                assert await statuses() == {SERVING}
                switch.ok = False
                assert (await watch.read()).status == NOT_SERVING
                assert await statuses() == {NOT_SERVING}
                liveness = await health.Check(health_pb2.HealthCheckRequest(service="liveness"))
                assert liveness.status == SERVING  # an upstream outage must not restart gateways
                switch.ok = True
                assert (await watch.read()).status == SERVING
                assert await statuses() == {SERVING}
                watch.cancel()
        finally:
            await gateway.stop(0)
    assert {r.path for r in upstream.requests} == {"/ok"}


async def statuses(gateway: Gateway) -> dict[str, int]:
    """What health says for the overall name, one service, and liveness."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        return {
            name: (await health.Check(health_pb2.HealthCheckRequest(service=name))).status
            for name in ("", RUNS, "liveness")
        }


async def test_by_default_an_unreachable_upstream_starts_not_serving_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The defaults probe the upstream at start: a WARNING naming the URL and the failure, and
    health NOT_SERVING; the gateway starts all the same (the upstream may come later)."""
    url = f"http://127.0.0.1:{free_port()}"
    gateway = Gateway(Settings(upstream=url, listen="127.0.0.1:0"))
    await gateway.start()
    try:
        assert await statuses(gateway) == {"": NOT_SERVING, RUNS: NOT_SERVING, "liveness": SERVING}
    finally:
        await gateway.stop(0)
    [warning] = [r for r in caplog.records if url in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith(f"upstream unhealthy: GET {url}/ok: Connection refused. ")
    assert "checking every 5 s" in warning.getMessage()


async def test_by_default_health_follows_a_live_upstream(caplog: pytest.LogCaptureFixture) -> None:
    async with ScriptedUpstream(Switchable(), probes=False) as upstream:
        url = upstream.url
        gateway = Gateway(Settings(upstream=url, listen="127.0.0.1:0"))
        await gateway.start()
        try:
            assert await statuses(gateway) == {"": SERVING, RUNS: SERVING, "liveness": SERVING}
        finally:
            await gateway.stop(0)
    assert [r.path for r in upstream.requests] == ["/ok"]  # the probe at start; the next in 5 s
    # On a connection of its own, closed after the answer: no connection held between probes.
    assert upstream.requests[0].headers.get("connection") == "close"
    assert f"upstream healthy: GET {url}/ok answered" in caplog.messages


async def test_an_https_upstream_of_an_unknown_ca_is_named_in_the_warning(
    tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture
) -> None:
    https = https_context(Authority(tmp_path))
    async with ScriptedUpstream(Switchable(), ssl_context=https, probes=False) as upstream:
        url = upstream.url
        gateway = Gateway(Settings(upstream=url, listen="127.0.0.1:0"))
        await gateway.start()
        try:
            assert (await statuses(gateway))[""] == NOT_SERVING
        finally:
            await gateway.stop(0)
    [warning] = [r.getMessage() for r in caplog.records if url in r.getMessage()]
    assert warning.startswith(f"upstream unhealthy: GET {url}/ok: Cannot connect to host"), warning
    assert "CERTIFICATE_VERIFY_FAILED" in warning


async def test_interval_0_turns_probing_off() -> None:
    gateway = Gateway(
        Settings(upstream=f"http://127.0.0.1:{free_port()}", listen="127.0.0.1:0", upstream_health_interval=0)
    )
    await gateway.start()
    try:
        assert await statuses(gateway) == {"": SERVING, RUNS: SERVING, "liveness": SERVING}
    finally:
        await gateway.stop(0)


async def test_the_probe_sends_the_upstream_api_key() -> None:
    """A LangSmith Deployment wants its key on every request: the probe carries it too."""
    async with ScriptedUpstream(Switchable(), probes=False) as upstream:
        gateway = Gateway(Settings(upstream=upstream.url, listen="127.0.0.1:0", upstream_api_key="up-key"))
        await gateway.start()
        await gateway.stop(0)
    assert [r.headers.get("x-api-key") for r in upstream.requests] == ["up-key"]


def test_the_process_on_defaults_warns_and_serves_liveness(tmp_path: pathlib.Path) -> None:
    """`langgraph-grpc-gateway --upstream URL` with nothing there: it says so, and keeps running."""
    url = f"http://127.0.0.1:{free_port()}"
    gateway = GatewayProcess(url, log=tmp_path / "gw.log")
    try:
        with grpc.insecure_channel(gateway.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            check = health.Check(
                health_pb2.HealthCheckRequest(service="liveness"), wait_for_ready=True, timeout=30
            )
            assert check.status == SERVING
            assert health.Check(health_pb2.HealthCheckRequest(), timeout=5).status == NOT_SERVING
    finally:
        gateway.stop()
    assert (
        f"WARNING langgraph_grpc_gateway.upstream_health upstream unhealthy: GET {url}/ok: "
        in gateway.output()
    )


async def test_health_is_serving_against_the_real_upstream(upstream_url: str) -> None:
    gateway = Gateway(Settings(upstream=upstream_url, listen="127.0.0.1:0", upstream_health_interval=0.2))
    await gateway.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)

            async def serving() -> bool:
                return (await health.Check(health_pb2.HealthCheckRequest(service=RUNS))).status == SERVING

            assert await eventually(serving)
    finally:
        await gateway.stop(0)
