"""Optional OpenTelemetry: a server span per gRPC call and a client span per upstream request.

Off by default. With it on, each call to the gateway's services gets a server span that
continues the caller's W3C traceparent, and the aiohttp client instrumentation sends the upstream
a traceparent of its client span, child of the server span: one trace from the caller through the
gateway to the LangGraph server. With it off, the caller's traceparent still reaches the upstream
unchanged (headers.DEFAULT_FORWARDED).

The server span is a calls.Guard built on the Call record, not opentelemetry-instrumentation-grpc's
aio interceptor: that one wraps a streaming handler in an async generator, which grpc.aio abandons
when the client leaves, so the span ended later in another task ("Failed to detach context") and
read grpc's context after the call was gone. Here the span opens and ends in the call's own task,
and its attributes follow that instrumentation's (rpc.system, rpc.service, rpc.method,
rpc.grpc.status_code, net.peer.ip/port, rpc.user_agent).

The opentelemetry packages are the `otel` extra; a tracer provider (and its exporter) is the
application's to set, globally or passed in (tests use an in-memory exporter).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import grpc

from .calls import Call, Guard
from .config import ConfigError

_MISSING = "tracing needs the otel extra: pip install 'langgraph-grpc-gateway[otel]'"
# The codes that mark a server span as failed, as the OpenTelemetry gRPC conventions say.
_ERRORS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)


def server_spans(tracer_provider: Any = None) -> Guard:
    """The calls.Guard that holds a server span, current while the call runs."""
    try:
        from opentelemetry import trace
    except ImportError:
        raise ConfigError(_MISSING) from None
    return functools.partial(_server_span, trace.get_tracer(__name__, tracer_provider=tracer_provider))


@contextlib.contextmanager
def _server_span(tracer: Any, call: Call) -> Iterator[None]:
    from opentelemetry import propagate, trace
    from opentelemetry.trace import Status, StatusCode

    carrier = {key: value for key, value in call.metadata if isinstance(value, str)}
    with tracer.start_as_current_span(
        f"/{call.service}/{call.method}",
        context=propagate.extract(carrier),
        kind=trace.SpanKind.SERVER,
        attributes=span_attributes(call),
        record_exception=False,
        set_status_on_exception=False,
    ) as span:
        try:
            yield
        finally:
            span.set_attribute("rpc.grpc.status_code", call.code.value[0])
            if call.code in _ERRORS:
                span.set_status(Status(StatusCode.ERROR, f"{call.code}"))


def span_attributes(call: Call) -> dict[str, str]:
    """The server span's attributes, from the Call record alone."""
    attributes = {"rpc.system": "grpc", "rpc.service": call.service, "rpc.method": call.method}
    agent = next((v for k, v in call.metadata if k == "user-agent" and isinstance(v, str)), None)
    if agent:
        attributes["rpc.user_agent"] = agent
    # grpc's peer: "ipv4:127.0.0.1:57284", "ipv6:[::1]:57284" or "unix:/path" (no address to split).
    kind, _, address = call.peer.partition(":")
    if kind in ("ipv4", "ipv6") and ":" in address:
        ip, _, port = address.rpartition(":")
        attributes.update({"net.peer.ip": unquote(ip), "net.peer.port": port})
    return attributes


def client_trace_config(tracer_provider: Any = None) -> Any:
    """The aiohttp TraceConfig that opens a client span per upstream request, with traceparent injected."""
    try:
        from opentelemetry.instrumentation.aiohttp_client import create_trace_config
    except ImportError:
        raise ConfigError(_MISSING) from None
    return create_trace_config(tracer_provider=tracer_provider)
