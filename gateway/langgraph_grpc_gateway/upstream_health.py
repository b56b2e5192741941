"""Health that follows the upstream: GET /ok every interval; the overall and per-service statuses
are SERVING while it answers 2xx, NOT_SERVING while it fails, so probes and meshes stop routing
to a gateway whose LangGraph server is gone, and route to it again when the server is back.

    monitor = UpstreamHealth(upstream, interval=5, timeout=2, publish=set_all)
    await monitor.check()   # once, before serving
    task = asyncio.create_task(monitor.run())
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from . import errors
from .upstream import Upstream

log = logging.getLogger(__name__)

Publish = Callable[[bool], Awaitable[None]]


class UpstreamHealth:
    def __init__(self, upstream: Upstream, *, interval: float, timeout: float, publish: Publish) -> None:
        self._upstream = upstream
        self._interval = interval
        self._timeout = timeout
        self._publish = publish
        self.healthy: bool | None = None

    async def probe(self) -> bool:
        """One GET /ok: True on a 2xx answer within the timeout."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._upstream.fetch("GET", "/ok", {})
        except (errors.GatewayError, TimeoutError):
            return False
        return True

    async def check(self) -> None:
        """Probe once and publish the result when it changed (logged, so operators see flapping)."""
        healthy = await self.probe()
        if healthy != self.healthy:
            log.log(
                logging.INFO if healthy else logging.WARNING,
                "upstream %s",
                "healthy" if healthy else "unhealthy",
            )
            self.healthy = healthy
            await self._publish(healthy)

    async def run(self) -> None:
        """Check every interval until cancelled."""
        while True:
            await asyncio.sleep(self._interval)
            await self.check()
