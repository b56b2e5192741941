"""One structured JSON line per call, on the `langgraph_grpc_gateway.access` logger.

    {"method": "/langgraph_gateway.v1.RunsService/StreamRun", "code": "OK", "duration_ms": 812.4,
     "run_id": "...", "messages_sent": 5, "peer": "ipv4:127.0.0.1:53012", "client": "CN=svc-a"}

Built from the calls.Call record only: metadata (and with it every credential) never reaches a
log line, and nothing here touches grpc's context (the call may be gone by now: see
calls.capture). `client` is the TLS client certificate's identity, present with mTLS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

import grpc
import orjson

from .calls import Call

log = logging.getLogger("langgraph_grpc_gateway.access")

# Read once, not for every line: os.getpid() is a system call each time (glibc keeps no copy),
# and a status code's `name` is an Enum property. The pid is read again in a forked child.
_CODE_NAMES = {code: code.name for code in grpc.StatusCode}
_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def record(call: Call) -> dict[str, Any]:
    """The access line's fields for a finished call."""
    fields: dict[str, Any] = {
        "method": f"/{call.service}/{call.method}",
        "code": _CODE_NAMES[call.code],
        "duration_ms": round(call.duration * 1000, 1),
        "messages_sent": call.messages_sent,
        "peer": call.peer,
        "pid": _pid,
    }
    if call.run_id:
        fields["run_id"] = call.run_id
    if call.client:
        fields["client"] = call.client
    return fields


def line(call: Call) -> bytes:
    """The line as UTF-8 JSON, without its newline."""
    return orjson.dumps(record(call))


class AccessLog:
    """The calls.Observer that writes the line when a call ends: as an INFO record of the access
    logger (the default, for a gateway embedded in a program that configures logging), or
    straight to `write` (the command line: Batched, to its stderr).

    Why the second: a line per call through the logging machinery (a LogRecord, handler locks,
    a formatter, a flush) measured about 60 us of CPU per call in the gateway process, a tenth of
    what the least grpc.aio proxy spends on a whole WaitRun (bench/versus_floor.py); one
    os.write of the line costs about a third of that. The line is the same."""

    per_message = False  # a line per call: sent() is never called

    def __init__(self, write: Callable[[bytes], object] | None = None) -> None:
        self._write = write

    def started(self, call: Call) -> None:
        pass

    def sent(self, call: Call) -> None:
        pass

    def finished(self, call: Call) -> None:
        if self._write is not None:
            self._write(line(call) + b"\n")
        elif log.isEnabledFor(logging.INFO):
            log.info(line(call).decode())


class Batched:
    """Access lines written a batch at a time: within `interval` seconds of the first line of a
    batch, in writes of whole lines of at most `limit` bytes (a line longer than that alone).

    Why: one write per line cost a sixth of the access log's CPU per call, in the kernel (the
    profile of bench/versus_floor.py); under load many lines now share a write. Envoy's file access
    log does the same (every 10 s by default). A line is late by at most `interval`, and lines not
    yet written are lost only to a process killed outright; flush() writes them before a clean exit.
    Writes of whole lines of at most 4 KiB stay whole in a pipe, so the lines of `--workers`
    processes sharing one stderr never interleave.

        lines = Batched(to_stderr)
        lines(b'{"method": ...}\n')
        lines.flush()
    """

    def __init__(self, write: Callable[[bytes], object], interval: float = 0.1, limit: int = 4096) -> None:
        self._write, self._interval, self._limit = write, interval, limit
        self._lines: list[bytes] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None

    def __call__(self, line: bytes) -> None:
        if self._size + len(line) > self._limit:
            self.flush()
        self._lines.append(line)
        self._size += len(line)
        if self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(self._interval, self.flush)
            except RuntimeError:  # no event loop to come back: written now
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._lines:
            data = b"".join(self._lines)
            self._lines.clear()
            self._size = 0
            self._write(data)


def to_stderr(data: bytes) -> None:
    """One write of whole lines, so that the lines of `--workers` processes sharing one stderr
    never interleave (a pipe keeps writes of up to 4 KiB whole)."""
    with contextlib.suppress(OSError):  # stderr closed or broken: the call is fine all the same
        os.write(2, data)
