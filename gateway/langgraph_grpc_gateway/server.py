"""Builds the gateway: the grpc.aio server with its services, health and reflection, and the
shared upstream client, started and stopped together.

    gateway = Gateway(Settings(upstream="http://127.0.0.1:8123", listen="127.0.0.1:0"))
    port = await gateway.start()
    ...
    await gateway.stop()
"""

from __future__ import annotations

import grpc
import httpx
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from langgraph_gateway.v1 import (
    assistants_pb2,
    assistants_pb2_grpc,
    runs_pb2,
    runs_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

from .config import Settings
from .services import AssistantsService, RunsService, ThreadsService
from .upstream import Upstream, create_client

SERVICE_NAMES = (
    runs_pb2.DESCRIPTOR.services_by_name["RunsService"].full_name,
    threads_pb2.DESCRIPTOR.services_by_name["ThreadsService"].full_name,
    assistants_pb2.DESCRIPTOR.services_by_name["AssistantsService"].full_name,
)


def server_options(settings: Settings) -> list[tuple[str, int]]:
    """grpc core channel arguments from the settings (keepalive, so idle streams stay open)."""
    if not settings.keepalive_time:
        return []
    return [
        ("grpc.keepalive_time_ms", int(settings.keepalive_time * 1000)),
        ("grpc.keepalive_timeout_ms", int(settings.keepalive_timeout * 1000)),
        ("grpc.keepalive_permit_without_calls", 1),
        ("grpc.http2.max_pings_without_data", 0),
    ]


class Gateway:
    """The gRPC server and the upstream client it owns."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._server: grpc.aio.Server | None = None
        self.health = health.aio.HealthServicer()  # type: ignore[attr-defined]  # not in the stubs
        self.port = 0

    async def start(self) -> int:
        """Bind and serve; returns the bound port (useful with port 0)."""
        self._client = create_client(self.settings, self._transport)
        server = grpc.aio.server(options=server_options(self.settings))
        upstream = Upstream(self._client)
        # The generated registration functions carry no type hints.
        for add, servicer in (
            (runs_pb2_grpc.add_RunsServiceServicer_to_server, RunsService),
            (threads_pb2_grpc.add_ThreadsServiceServicer_to_server, ThreadsService),
            (assistants_pb2_grpc.add_AssistantsServiceServicer_to_server, AssistantsService),
        ):
            add(servicer(upstream, self.settings), server)  # type: ignore[no-untyped-call]
        health_pb2_grpc.add_HealthServicer_to_server(self.health, server)
        reflection.enable_server_reflection(
            (
                *SERVICE_NAMES,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                reflection.SERVICE_NAME,
            ),
            server,
        )
        self.port = server.add_insecure_port(self.settings.listen)
        await server.start()
        self._server = server
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        return self.port

    async def stop(self, grace: float | None = None) -> None:
        """Health turns NOT_SERVING, new calls are refused, calls in flight get `grace` seconds."""
        await self.health.enter_graceful_shutdown()
        if self._server is not None:
            await self._server.stop(self.settings.shutdown_grace if grace is None else grace)
        if self._client is not None:
            await self._client.aclose()

    async def wait_for_termination(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()
