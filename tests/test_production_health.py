"""Health follows the upstream's GET /ok: Check and Watch, overall and per service."""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings

from .conftest import free_port
from .production_support import NOT_SERVING, SERVING, eventually
from .scripted_upstream import Request, Script, ScriptedUpstream

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
    async with ScriptedUpstream(switch) as upstream:
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


async def test_an_unreachable_upstream_starts_not_serving() -> None:
    gateway = Gateway(
        Settings(upstream=f"http://127.0.0.1:{free_port()}", listen="127.0.0.1:0", upstream_health_interval=5)
    )
    await gateway.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
            answer = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
            assert answer.status == NOT_SERVING
    finally:
        await gateway.stop(0)


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
