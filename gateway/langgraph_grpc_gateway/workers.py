"""--workers N: N gateway processes on one port, since one Python process uses one core.

The parent only supervises: it starts N copies of the same command line, each marked with its
index in LANGGRAPH_GATEWAY_WORKER_INDEX; each binds the port with SO_REUSEPORT (server_options),
and the kernel spreads new connections across them. SIGTERM and SIGINT are forwarded, so each
worker drains as a single gateway would. If a worker dies on its own the parent stops the others
and exits non-zero: the orchestrator restarts the whole, rather than one half-serving process.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

INDEX_VARIABLE = "LANGGRAPH_GATEWAY_WORKER_INDEX"

log = logging.getLogger(__name__)


def supervise(argv: Sequence[str], count: int) -> int:
    """Run `count` workers with `argv` until they end; the exit code is the worst of theirs."""
    children = [_spawn(argv, index) for index in range(count)]
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        _signal_all(children, signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    log.info("supervising %d workers: %s", count, " ".join(str(child.pid) for child in children))
    codes = []
    for _ in children:
        pid, status = os.wait()  # retried across signals (PEP 475)
        code = os.waitstatus_to_exitcode(status)
        codes.append(code)
        if not stopping:
            log.error("worker %d exited with %d; stopping the others", pid, code)
            stopping = True
            _signal_all(children, signal.SIGTERM)
            codes.append(1)
    return max(abs(code) for code in codes)


def _spawn(argv: Sequence[str], index: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, INDEX_VARIABLE: str(index)}
    return subprocess.Popen([sys.executable, "-m", "langgraph_grpc_gateway", *argv], env=env)


def _signal_all(children: Sequence[subprocess.Popen[bytes]], signum: int) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signum)
