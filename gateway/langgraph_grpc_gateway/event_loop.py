"""Which asyncio event loop runs the gateway: uvloop when it is installed, else asyncio's own.

uvloop is libuv behind asyncio's API (the loop uvicorn uses and aiohttp recommends). The gateway
spends much of its CPU in the loop: waking on thousands of upstream sockets, reading them, and
running grpc.aio's callbacks. On uvloop that costs less. Measured on the benchmark's 2-core VM
(bench/): about a sixth less CPU per event at 2,000 token streams, and a tenth less per WaitRun.
grpc.aio runs on any asyncio loop. Its completion queue is polled on a thread of its own, which
hands results to the loop through a socket, so the loop's implementation does not matter to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .config import ConfigError

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def loop_factory(choice: str) -> LoopFactory | None:
    """The loop factory for asyncio.Runner: uvloop's for "uvloop" (which must be installed) and
    for "auto" when uvloop is installed; None (asyncio's own loop) otherwise."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise ConfigError("event_loop uvloop needs the uvloop package (pip install uvloop)") from None
        return None
    factory: LoopFactory = uvloop.new_event_loop
    return factory


def name(loop: asyncio.AbstractEventLoop) -> str:
    """ "uvloop" or "asyncio", for the startup log line."""
    return "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"
