"""Optional OpenTelemetry: a server span per gRPC call and a client span per upstream request.

Off by default. With it on, the gRPC server span continues the caller's W3C traceparent, and the
aiohttp client instrumentation sends the upstream a traceparent of its client span, child of the server
span: one trace from the caller through the gateway to the LangGraph server. With it off, the
caller's traceparent still reaches the upstream unchanged (headers.DEFAULT_FORWARDED).

The opentelemetry packages are the `otel` extra; a tracer provider (and its exporter) is the
application's to set, globally or passed in (tests use an in-memory exporter).
"""

from __future__ import annotations

from typing import Any

from .config import ConfigError

_MISSING = "tracing needs the otel extra: pip install 'langgraph-grpc-gateway[otel]'"


def server_interceptor(tracer_provider: Any = None) -> Any:
    """The grpc.aio server interceptor that opens a span per call."""
    try:
        from opentelemetry.instrumentation.grpc import aio_server_interceptor
    except ImportError:
        raise ConfigError(_MISSING) from None
    return aio_server_interceptor(tracer_provider=tracer_provider)  # type: ignore[no-untyped-call]


def client_trace_config(tracer_provider: Any = None) -> Any:
    """The aiohttp TraceConfig that opens a client span per upstream request, with traceparent injected."""
    try:
        from opentelemetry.instrumentation.aiohttp_client import create_trace_config
    except ImportError:
        raise ConfigError(_MISSING) from None
    return create_trace_config(tracer_provider=tracer_provider)
