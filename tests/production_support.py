"""Shared by the tests/test_production_*.py files: the gateway as a process, and runs to stream."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_gateway.v1 import runs_pb2

from .conftest import free_port

GATEWAY = [sys.executable, "-m", "langgraph_grpc_gateway"]
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


class GatewayProcess:
    """`langgraph-grpc-gateway` run as a user runs it; output collected in a file for assertions.

    Started with the flags given and no others (the defaults, access log on, unless a test is
    about a flag). `stop()` fails the test unless the process ends with the code expected: 0 after
    SIGTERM (or the signal a test sends), never a death from a signal nor an error exit, whether
    it happened before the stop or because of it. A test that kills it on purpose says so with
    `kill()`.

        gateway = GatewayProcess(upstream_url, "--workers", "2", log=tmp_path / "gw.log")
        gateway.wait_serving()
        ...
        gateway.stop()  # AssertionError "gateway died from SIGSEGV" + the tail of its output
    """

    def __init__(
        self,
        upstream: str | None,
        *args: str,
        log: Any,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.log_path = log
        self.expected_exit = 0
        self._out = open(log, "w+b")  # noqa: SIM115 (closed in stop)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_GATEWAY_")}
        upstream_args = ["--upstream", upstream] if upstream is not None else []
        self.process = subprocess.Popen(
            [*GATEWAY, *upstream_args, "--listen", f"127.0.0.1:{self.port}", *args],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env={**clean, **(env or {})},
        )

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def output(self) -> str:
        with open(self.log_path, "rb") as file:
            return file.read().decode(errors="replace")

    def wait_serving(self, timeout: float = 30) -> None:
        try:
            wait_serving(self.address, timeout, self.process)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self._tail()}") from None

    def kill(self, signum: int = signal.SIGKILL) -> None:
        """Ends the gateway with `signum` on purpose (a test about a gateway that dies): stop()
        then expects that death and no other end."""
        self.expected_exit = -signum
        self.process.send_signal(signum)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 30, *, signum: int = signal.SIGTERM) -> int:
        """Sends `signum` (SIGTERM, or SIGINT as Ctrl-C) if it still runs; fails unless it then
        exits 0 (or as kill() said): a crash or an error exit before or during the stop fails."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"gateway still running {timeout:g} s after {signal.Signals(signum).name}\n{self._tail()}"
            ) from None
        finally:
            self._out.close()
        if code != self.expected_exit:
            raise AssertionError(f"gateway {exit_description(code)}\n{self._tail()}")
        return code

    def _tail(self, chars: int = 3000) -> str:
        return f"--- the last of its output ({self.log_path}):\n{self.output()[-chars:]}"


def exit_description(code: int | None) -> str:
    """How a process ended, as Popen.returncode says it: "died from SIGSEGV", "exited with 1"."""
    if code is None:
        return "is still running"
    if code < 0:
        try:
            return f"died from {signal.Signals(-code).name}"
        except ValueError:
            return f"died from signal {-code}"
    return f"exited with {code}"


@contextmanager
def gateway_process(
    upstream: str | None, *args: str, log: Any, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[GatewayProcess]:
    """A GatewayProcess serving for the `with` block, stopped with SIGTERM after it (see stop())."""
    gateway = GatewayProcess(upstream, *args, log=log, port=port, env=env)
    try:
        gateway.wait_serving()
        yield gateway
    finally:
        gateway.stop()


def whole_lines(log: str) -> list[str]:
    """The lines of a log read while its process may be writing to it: the last counts only once
    its newline is there (a line half written is not yet a line)."""
    return log[: log.rfind("\n") + 1].splitlines()


def wait_serving(
    address: str, timeout: float = 30, process: subprocess.Popen[bytes] | None = None, **channel: Any
) -> None:
    deadline = time.monotonic() + timeout
    credentials = channel.pop("credentials", None)
    with (
        grpc.secure_channel(address, credentials, **channel)
        if credentials
        else grpc.insecure_channel(address)
    ) as chan:
        health = health_pb2_grpc.HealthStub(chan)
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise AssertionError(f"gateway {exit_description(process.returncode)} before it served")
            try:
                if health.Check(health_pb2.HealthCheckRequest(), timeout=1).status == SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    raise AssertionError(f"gateway at {address} never served")


def user(text: str) -> struct_pb2.Value:
    return json_format.ParseDict({"messages": [{"role": "user", "content": text}]}, struct_pb2.Value())


def sleep_run(seconds: int, **fields: Any) -> runs_pb2.StreamRunRequest:
    """A run that writes one custom event a second for `seconds` (tests/upstream/graph.py)."""
    return runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user(f"SLEEP {seconds}"), stream_mode=["custom"], **fields
    )


async def eventually(check: Any, within: float = 30, every: float = 0.2) -> Any:
    """Polls an async `check` until it returns something truthy."""
    deadline = time.monotonic() + within
    while True:
        if result := await check():
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {within}s: {check}")
        await asyncio.sleep(every)


async def read_all(call: Any) -> list[Any]:
    """The rest of a stream read with read() (which cannot be mixed with iteration)."""
    messages = []
    while (message := await call.read()) is not grpc.aio.EOF:
        messages.append(message)
    return messages
