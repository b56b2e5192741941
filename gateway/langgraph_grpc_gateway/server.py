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
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

from .config import Settings
from .service import RunsService
from .upstream import Upstream, create_client

SERVICE_NAMES = (runs_pb2.DESCRIPTOR.services_by_name["RunsService"].full_name,)


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
        server = grpc.aio.server()
        # The generated registration functions carry no type hints.
        runs_pb2_grpc.add_RunsServiceServicer_to_server(  # type: ignore[no-untyped-call]
            RunsService(Upstream(self._client), self.settings), server
        )
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
