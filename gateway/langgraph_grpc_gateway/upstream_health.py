"""Health that follows the upstream: GET /ok at start and every interval; the overall and
per-service statuses are SERVING while it answers 2xx, NOT_SERVING while it fails, so probes and
meshes stop routing to a gateway whose LangGraph server is gone (or not there yet), and route to it
again when the server is back. Each change is logged with the URL and what failed, the first
probe's result too: an upstream that is unreachable at start is a WARNING, never a refusal to
start (in a cluster the upstream may come up later).

The probes have their own session: they are not calls, so they never wait behind calls for a
pooled connection, nor count in the upstream metrics, nor start trace spans.

    monitor = UpstreamHealth(session, "http://127.0.0.1:8123", interval=5, timeout=5, publish=set_all)
    await monitor.check()   # once, before serving
    task = asyncio.create_task(monitor.run())
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

import aiohttp

from . import errors

log = logging.getLogger(__name__)

Publish = Callable[[bool], Awaitable[None]]


class UpstreamHealth:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        interval: float,
        timeout: float,
        publish: Publish,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._session = session
        self.url = base_url.rstrip("/") + "/ok"
        self._interval = interval
        self._timeout = timeout
        self._publish = publish
        self._headers = dict(headers or {})
        self.healthy: bool | None = None

    async def probe(self) -> str | None:
        """One GET /ok: None when it answers 2xx within the timeout, else what went wrong."""
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.get(self.url, headers=self._headers, allow_redirects=False) as answer,
            ):
                return None if answer.status < 300 else f"answered HTTP {answer.status}"
        except aiohttp.ClientSSLError as exc:  # aiohttp's text says what: a certificate, a handshake
            return str(exc)
        except aiohttp.ClientError as exc:  # connect timeouts included: "connect timed out"
            return errors.describe_transport_error(exc)
        except TimeoutError:
            return f"no answer within {self._timeout:g} s"

    async def check(self) -> None:
        """Probe once and publish the result when it changed (logged, so operators see flapping)."""
        failure = await self.probe()
        healthy = failure is None
        if healthy == self.healthy:
            return
        if failure is None:
            log.info("upstream healthy: GET %s answered", self.url)
        else:
            log.warning(
                "upstream unhealthy: GET %s: %s. Health says NOT_SERVING (the name `liveness` stays"
                " SERVING) and calls will fail until it answers; checking every %g s",
                self.url,
                failure,
                self._interval,
            )
        self.healthy = healthy
        await self._publish(healthy)

    async def run(self) -> None:
        """Check every interval until cancelled."""
        while True:
            await asyncio.sleep(self._interval)
            await self.check()
