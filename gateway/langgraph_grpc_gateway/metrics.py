"""Prometheus metrics: go-grpc-prometheus's server names, plus the gateway's own.

The grpc_server_* families keep go-grpc-prometheus's names and labels so existing dashboards and
alerts work unchanged. The gateway adds streams in flight, upstream requests by status, upstream
latency (until the answer's headers) and time to the first event of a stream. Each Gateway has its
own registry, served on its own port by serve().

    metrics = Metrics()
    Calls(observers=[metrics])
    aiohttp.ClientSession(trace_configs=[metrics.upstream_trace_config()])
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from .calls import Call
from .config import parse_listen

GRPC_LABELS = ("grpc_type", "grpc_service", "grpc_method")
# Seconds: LLM runs last from well under a second to minutes.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class Metrics:
    """The calls.Observer that counts calls, and the httpx hooks that time upstream requests."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.started_total = Counter(
            "grpc_server_started_total", "RPCs started on the server.", GRPC_LABELS, registry=r
        )
        self.handled_total = Counter(
            "grpc_server_handled_total",
            "RPCs completed on the server, by code.",
            (*GRPC_LABELS, "grpc_code"),
            registry=r,
        )
        self.handling_seconds = Histogram(
            "grpc_server_handling_seconds",
            "RPC handling time.",
            GRPC_LABELS,
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.msg_sent_total = Counter(
            "grpc_server_msg_sent_total", "Stream messages sent.", GRPC_LABELS, registry=r
        )
        self.msg_received_total = Counter(
            "grpc_server_msg_received_total", "Stream messages received.", GRPC_LABELS, registry=r
        )
        self.streams_in_flight = Gauge(
            "langgraph_gateway_streams_in_flight", "Streaming calls being served now.", registry=r
        )
        self.upstream_requests = Counter(
            "langgraph_gateway_upstream_requests_total",
            "Upstream requests answered, by HTTP method and status.",
            ("method", "status"),
            registry=r,
        )
        self.upstream_seconds = Histogram(
            "langgraph_gateway_upstream_request_seconds",
            "Time from sending an upstream request to its answer's headers.",
            ("method",),
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.first_event_seconds = Histogram(
            "langgraph_gateway_time_to_first_event_seconds",
            "Time from the start of a streaming call to its first message.",
            ("grpc_service", "grpc_method"),
            buckets=LATENCY_BUCKETS,
            registry=r,
        )

    # --- calls.Observer

    per_message = True  # messages sent are counted, and the first one timed

    def started(self, call: Call) -> None:
        self.started_total.labels(*_labels(call)).inc()
        self.msg_received_total.labels(*_labels(call)).inc()  # every method takes one request
        if call.kind == "server_stream":
            self.streams_in_flight.inc()

    def sent(self, call: Call) -> None:
        if call.kind == "server_stream":
            self.msg_sent_total.labels(*_labels(call)).inc()
        if call.messages_sent == 1 and call.first_message is not None:
            self.first_event_seconds.labels(call.service, call.method).observe(
                call.first_message - call.started
            )

    def finished(self, call: Call) -> None:
        self.handled_total.labels(*_labels(call), call.code.name).inc()
        self.handling_seconds.labels(*_labels(call)).observe(call.duration)
        if call.kind == "server_stream":
            self.streams_in_flight.dec()

    # --- httpx

    def upstream_trace_config(self) -> aiohttp.TraceConfig:
        """Hooks for the upstream aiohttp session: count answers by status, time them to headers."""
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._request_sent)
        config.on_request_end.append(self._answered)
        return config

    async def _request_sent(
        self, _session: Any, context: Any, _params: aiohttp.TraceRequestStartParams
    ) -> None:
        context.started = time.monotonic()

    async def _answered(self, _session: Any, context: Any, params: aiohttp.TraceRequestEndParams) -> None:
        self.upstream_requests.labels(params.method, str(params.response.status)).inc()
        self.upstream_seconds.labels(params.method).observe(time.monotonic() - context.started)

    def serve(self, listen: str) -> Any:
        """Serve GET /metrics on host:port in a thread; returns the server (shutdown() stops it)."""
        host, port = parse_listen(listen, "metrics_listen")
        server, _thread = start_http_server(port, addr=host.strip("[]"), registry=self.registry)
        return server


def _labels(call: Call) -> tuple[str, str, str]:
    return call.kind, call.service, call.method
