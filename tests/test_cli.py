"""The console script as a user runs it: flags, environment, clear errors, clean stop on signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc

from .conftest import free_port
from .production_support import GatewayProcess, gateway_process

GATEWAY = [sys.executable, "-m", "langgraph_grpc_gateway"]


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*GATEWAY, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )


def wait_serving(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                if health.Check(health_pb2.HealthCheckRequest(), timeout=1).status == 1:
                    return
            except grpc.RpcError:
                time.sleep(0.1)
    raise AssertionError(f"gateway on port {port} never served")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serves_then_stops_cleanly_on_signal(upstream_url: str, signum: int, tmp_path: Path) -> None:
    env = {"LANGGRAPH_GATEWAY_UPSTREAM": upstream_url}
    gateway = GatewayProcess(None, log=tmp_path / "gw.log", env=env)
    try:
        gateway.wait_serving()
    finally:
        gateway.stop(signum=signum)  # fails unless it exits 0
    output = gateway.output()
    assert f"serving gRPC on {gateway.address}" in output
    assert "stopping" in output


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_serves_a_call_on_either_event_loop(upstream_url: str, loop: str, tmp_path: Path) -> None:
    with gateway_process(upstream_url, "--event-loop", loop, log=tmp_path / "gw.log") as gateway:
        with grpc.insecure_channel(gateway.address) as channel:
            stub = assistants_pb2_grpc.AssistantsServiceStub(channel)
            search = assistants_pb2.SearchAssistantsRequest(graph_id="agent")
            found = stub.SearchAssistants(search, timeout=10)
        assert [a.graph_id for a in found.assistants] == ["agent"]
    upstream = upstream_url.rstrip("/")
    assert f"serving gRPC on {gateway.address}, upstream {upstream}, event loop {loop}" in gateway.output()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {}, "--upstream (or LANGGRAPH_GATEWAY_UPSTREAM) is required"),
        (["--upstream", "ftp://example"], {}, "upstream must be an http:// or https:// URL"),
        (["--upstream", "http://127.0.0.1:1", "--listen", "nowhere"], {}, "listen must be HOST:PORT"),
        (
            ["--upstream", "http://127.0.0.1:1", "--connect-timeout", "soon"],
            {},
            "--connect-timeout must be a number",
        ),
        (
            [],
            {"LANGGRAPH_GATEWAY_UPSTREAM": "http://127.0.0.1:1", "LANGGRAPH_GATEWAY_SHUTDOWN_GRACE": "-1"},
            "shutdown_grace",
        ),
        (["--upstream", "http://127.0.0.1:1", "--event-loop", "trio"], {}, "event_loop must be one of"),
    ],
)
def test_bad_settings_exit_2_with_a_clear_message(args: list[str], env: dict[str, str], message: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_GATEWAY_")}
    result = subprocess.run(
        [*GATEWAY, *args], capture_output=True, text=True, env={**clean, **env}, timeout=30
    )
    assert result.returncode == 2
    error, pointer = result.stderr.splitlines()  # no usage text to scroll past
    assert error.startswith("langgraph-grpc-gateway: error: ") and message in error
    assert pointer == "(run `langgraph-grpc-gateway --help` for every flag)"


def test_a_port_in_use_exits_2_naming_the_setting() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_GATEWAY_")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run(
            [*GATEWAY, "--upstream", "http://127.0.0.1:1", "--listen", listen],
            capture_output=True,
            text=True,
            env=clean,
            timeout=30,
        )
    assert result.returncode == 2, result.stderr
    assert f"listen {listen}: cannot listen there (the port is in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_native_crash_leaves_a_python_traceback(upstream_url: str) -> None:
    """faulthandler is on: a fatal signal (here sent by hand) prints every thread's stack."""
    port = free_port()
    process = start("--listen", f"127.0.0.1:{port}", "--upstream", upstream_url)
    try:
        wait_serving(port)
        process.send_signal(signal.SIGSEGV)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == -signal.SIGSEGV  # on purpose: this test is about that death
    assert "Fatal Python error: Segmentation fault" in output
    assert "most recent call first" in output
