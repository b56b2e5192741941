"""The cap on streaming calls served at once: beyond it a call is refused with RESOURCE_EXHAUSTED
before it reaches the upstream, so a burst of long LLM streams cannot exhaust the process.

A stream holds its slot until it ends, however it ends. Unary calls are not counted: they are
short, and grpc's own limits (message sizes, keepalive, connection age) bound them.

    limit = StreamLimit(100)
    Calls(guards=[limit.guard])
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import grpc

from .calls import Call
from .errors import GatewayError


class StreamLimit:
    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.in_flight = 0

    @contextlib.contextmanager
    def guard(self, call: Call) -> Iterator[None]:
        """The calls.Guard: takes a slot for a stream, or refuses when none is left."""
        if call.kind != "server_stream":
            yield
            return
        if self.in_flight >= self.maximum:
            raise GatewayError(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"the gateway is serving its maximum of {self.maximum} concurrent streams; retry later",
                reason="TOO_MANY_STREAMS",
                metadata={"max_concurrent_streams": str(self.maximum)},
            )
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
