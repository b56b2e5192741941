"""Builds the gateway: the grpc.aio server with its services, health and reflection, what wraps
every call of its services (calls.Calls: tracing, auth, the stream limit, access log, metrics),
the shared upstream client,
the upstream health monitor and the metrics endpoint, started and stopped together.

    gateway = Gateway(Settings(upstream="http://127.0.0.1:8123", listen="127.0.0.1:0"))
    port = await gateway.start()
    ...
    await gateway.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import aiohttp
import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc
from grpc_reflection.v1alpha._async import ReflectionServicer
from langgraph_gateway.v1 import (
    assistants_pb2,
    assistants_pb2_grpc,
    crons_pb2,
    crons_pb2_grpc,
    runs_pb2,
    runs_pb2_grpc,
    store_pb2,
    store_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)

from . import accept_ahead, tls, tracing
from .access_log import AccessLog
from .auth import Credentials, forwarded_without_credentials
from .calls import Calls, Guard, Observer, register
from .config import ConfigError, Settings
from .limits import StreamLimit
from .metrics import Metrics
from .services import AssistantsService, CronsService, RunsService, StoreService, ThreadsService
from .upstream import Upstream, create_session
from .upstream_health import UpstreamHealth

log = logging.getLogger("langgraph_grpc_gateway")

# A health service name that is SERVING while the process serves, whatever the upstream does: for
# liveness probes, so an upstream outage takes gateways out of rotation but never restarts them.
LIVENESS = "liveness"

SERVICE_NAMES = (
    runs_pb2.DESCRIPTOR.services_by_name["RunsService"].full_name,
    threads_pb2.DESCRIPTOR.services_by_name["ThreadsService"].full_name,
    assistants_pb2.DESCRIPTOR.services_by_name["AssistantsService"].full_name,
    crons_pb2.DESCRIPTOR.services_by_name["CronsService"].full_name,
    store_pb2.DESCRIPTOR.services_by_name["StoreService"].full_name,
)


def server_options(settings: Settings) -> list[tuple[str, int]]:
    """grpc core channel arguments from the settings."""
    options = [
        ("grpc.max_receive_message_length", settings.max_receive_message_bytes),
        ("grpc.max_send_message_length", settings.max_send_message_bytes or -1),
        # Workers share the port on purpose; one process alone must fail on a port in use.
        ("grpc.so_reuseport", 1 if settings.workers > 1 else 0),
    ]
    if settings.keepalive_time:  # so idle streams stay open through proxies
        options += [
            ("grpc.keepalive_time_ms", _ms(settings.keepalive_time)),
            ("grpc.keepalive_timeout_ms", _ms(settings.keepalive_timeout)),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.max_pings_without_data", 0),
        ]
    if settings.max_connection_age is not None:  # GOAWAY, so clients and L7 balancers rebalance
        options.append(("grpc.max_connection_age_ms", _ms(settings.max_connection_age)))
    if settings.max_connection_age_grace is not None:
        options.append(("grpc.max_connection_age_grace_ms", _ms(settings.max_connection_age_grace)))
    return options


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class Gateway:
    """The gRPC server and everything it owns.

    `tracer_provider` replaces the global OpenTelemetry one when settings.tracing is on.
    `access_lines` receives each access line (bytes, newline included) instead of the
    `langgraph_grpc_gateway.access` logger: the command line writes them to stderr.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        tracer_provider: Any = None,
        access_lines: Callable[[bytes], object] | None = None,
    ) -> None:
        self.settings = settings
        self._tracer_provider = tracer_provider
        self._access_lines = access_lines
        self._session: aiohttp.ClientSession | None = None
        self._upstream: Upstream | None = None
        self._server: grpc.aio.Server | None = None
        self._monitor: asyncio.Task[None] | None = None
        self._probe_session: aiohttp.ClientSession | None = None
        self._metrics_server: Any = None
        self.credentials = Credentials(settings.api_keys, settings.bearer_tokens)
        self.metrics = Metrics() if settings.metrics_listen is not None else None
        self.health = health.aio.HealthServicer()  # type: ignore[attr-defined]  # not in the stubs
        self.port = 0
        self.metrics_port = 0
        self.accept_ahead: accept_ahead.AcceptAhead | None = None

    async def start(self) -> int:
        """Bind and serve; returns the bound port (useful with port 0)."""
        self._session = self._create_session()
        self._upstream = Upstream(self._session, self.settings.upstream_base)
        server = grpc.aio.server(options=server_options(self.settings))
        registered = self._add_services(server)
        try:
            self.port = self._bind(server)
        except BaseException:
            await self._session.close()
            raise
        await self._start_health()
        await server.start()
        self._server = server
        if registered:
            self.accept_ahead = accept_ahead.AcceptAhead(server, registered, self.settings.accept_ahead)
            self.accept_ahead.start()
        if self.metrics is not None and self.settings.metrics_listen is not None:
            self._metrics_server = self.metrics.serve(self.settings.metrics_listen)
            self.metrics_port = self._metrics_server.server_port
        return self.port

    def _bind(self, server: grpc.aio.Server) -> int:
        try:
            if self.settings.tls:
                return server.add_secure_port(self.settings.listen, tls.server_credentials(self.settings))
            return server.add_insecure_port(self.settings.listen)
        except RuntimeError:  # grpc says only "Failed to bind"; the usual causes are these two
            raise ConfigError(
                f"listen {self.settings.listen}: cannot listen there"
                " (the port is in use, or the host is not an address of this machine)"
            ) from None

    async def stop(self, grace: float | None = None) -> None:
        """Health turns NOT_SERVING; after the drain delay new calls are refused, and calls in flight
        get `grace` seconds before they are cancelled (closing their upstream requests)."""
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor
        await self.health.enter_graceful_shutdown()
        if self._server is not None:
            if self.settings.drain_delay and grace is None:
                await asyncio.sleep(self.settings.drain_delay)
            await self._server.stop(self.settings.shutdown_grace if grace is None else grace)
            if self.accept_ahead is not None:
                await self.accept_ahead.stopped()
        for session in (self._session, self._probe_session):
            if session is not None:
                await session.close()
        if self._metrics_server is not None:
            self._metrics_server.shutdown()
            self._metrics_server.server_close()

    async def wait_for_termination(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()

    def _create_session(self) -> aiohttp.ClientSession:
        trace_configs = []
        if self.metrics is not None:
            trace_configs.append(self.metrics.upstream_trace_config())
        if self.settings.tracing:
            trace_configs.append(tracing.client_trace_config(self._tracer_provider))
        verify = tls.upstream_context(self.settings)
        return create_session(self.settings, verify=verify, trace_configs=trace_configs)

    def _calls(self) -> Calls:
        guards: list[Guard] = []
        if self.settings.tracing:  # first: the server span covers the whole call, refusals too
            guards.append(tracing.server_spans(self._tracer_provider))
        if self.credentials.required:
            guards.append(self.credentials.guard)
        if self.settings.max_concurrent_streams is not None:
            guards.append(StreamLimit(self.settings.max_concurrent_streams).guard)
        observers: list[Observer] = [AccessLog(self._access_lines)] if self.settings.access_log else []
        if self.metrics is not None:
            observers.append(self.metrics)
        # Always, even with no guard or observer: it is what runs every streaming method so that
        # its end (and the upstream request's close) happens in the call's own task (calls.py).
        client_certificates = self.settings.tls and self.settings.tls_client_ca_file is not None
        return Calls(guards=guards, observers=observers, client_certificates=client_certificates)

    def _add_services(self, server: grpc.aio.Server) -> dict[str, Any]:
        """Adds every service; returns the hot methods' handlers (by full name) to accept ahead,
        none when that is off or this grpcio lacks what it needs."""
        # The servicers never forward the credential a caller used for the gateway itself.
        forwarded = forwarded_without_credentials(self.settings.forward_metadata, self.credentials)
        settings = dataclasses.replace(self.settings, forward_metadata=forwarded)
        upstream = self._upstream
        assert upstream is not None  # created just before
        calls = self._calls()
        ahead = self._hot_methods(server)
        registered: dict[str, Any] = {}
        # The generated registration functions carry no type hints.
        for add, servicer in (
            (runs_pb2_grpc.add_RunsServiceServicer_to_server, RunsService),
            (threads_pb2_grpc.add_ThreadsServiceServicer_to_server, ThreadsService),
            (assistants_pb2_grpc.add_AssistantsServiceServicer_to_server, AssistantsService),
            (crons_pb2_grpc.add_CronsServiceServicer_to_server, CronsService),
            (store_pb2_grpc.add_StoreServiceServicer_to_server, StoreService),
        ):
            registered.update(calls.register(server, add, servicer(upstream, settings), ahead))
        register(server, health_pb2_grpc.add_HealthServicer_to_server, self.health)
        names = (
            *SERVICE_NAMES,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        )
        # enable_server_reflection(names, server), with its method served as a generic handler
        register(
            server, reflection_pb2_grpc.add_ServerReflectionServicer_to_server, ReflectionServicer(names)
        )
        return registered

    def _hot_methods(self, server: grpc.aio.Server) -> frozenset[str]:
        if not self.settings.accept_ahead:
            return frozenset()
        lacking = accept_ahead.missing(server)
        if lacking:
            log.warning(
                "accept-ahead is off: this grpcio (%s) lacks %s; new calls are taken in one at a time",
                grpc.__version__,
                ", ".join(lacking),
            )
            return frozenset()
        return accept_ahead.HOT_METHODS

    async def _start_health(self) -> None:
        """Whatever the first upstream probe says (logged: a WARNING when it fails), or SERVING from
        the start when the upstream is not probed."""
        await self.health.set(LIVENESS, health_pb2.HealthCheckResponse.SERVING)
        if not self.settings.upstream_health_interval:
            await self._publish(True)
            return
        # A session of their own: probes are not calls (upstream_health.py).
        self._probe_session = create_session(
            self.settings, verify=tls.upstream_context(self.settings), pooled=False
        )
        key = self.settings.upstream_api_key
        monitor = UpstreamHealth(
            self._probe_session,
            self.settings.upstream_base,
            interval=self.settings.upstream_health_interval,
            timeout=self.settings.upstream_health_timeout,
            publish=self._publish,
            headers={"x-api-key": key} if key else None,
        )
        await monitor.check()
        self._monitor = asyncio.create_task(monitor.run())

    async def _publish(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, status)
