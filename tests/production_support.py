"""Shared by the tests/test_production_*.py files: the gateway as a process, and runs to stream."""

from __future__ import annotations

import asyncio
import os
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
    """`langgraph-grpc-gateway` run as a user runs it; output collected in a file for assertions."""

    def __init__(self, upstream: str, *args: str, log: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log
        self._out = open(log, "w+b")  # noqa: SIM115 (closed in stop)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_GATEWAY_")}
        self.process = subprocess.Popen(
            [*GATEWAY, "--upstream", upstream, "--listen", f"127.0.0.1:{self.port}", *args],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=env,
        )

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def output(self) -> str:
        with open(self.log_path, "rb") as file:
            return file.read().decode(errors="replace")

    def wait_serving(self, timeout: float = 30) -> None:
        wait_serving(self.address, timeout, self.process)

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.process.kill()
            self._out.close()


@contextmanager
def gateway_process(upstream: str, *args: str, log: Any, port: int | None = None) -> Iterator[GatewayProcess]:
    gateway = GatewayProcess(upstream, *args, log=log, port=port)
    try:
        gateway.wait_serving()
        yield gateway
    finally:
        gateway.stop()


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
            assert process is None or process.poll() is None, f"gateway exited with {process.returncode}"
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
