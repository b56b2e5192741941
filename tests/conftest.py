"""Fixtures: the real LangGraph API server, the gateway in front of it, and clients for both.

The upstream is `langgraph dev` from its own virtual environment (langgraph-api pins protobuf
below 7; the gateway does not), found at $LANGGRAPH_CLI or .venv-upstream/bin/langgraph.
Set $LANGGRAPH_UPSTREAM_URL to use a server that is already running instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pathlib
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator

import grpc
import httpx
import pytest
import pytest_asyncio
from langgraph_gateway.v1 import runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
UPSTREAM_GRAPHS = ROOT / "tests" / "upstream"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _langgraph_cli() -> str:
    cli = os.environ.get("LANGGRAPH_CLI") or str(ROOT / ".venv-upstream" / "bin" / "langgraph")
    if not pathlib.Path(cli).exists():
        pytest.fail(
            f"langgraph CLI not found at {cli}: run `bash .ci/setup` or set LANGGRAPH_CLI", pytrace=False
        )
    return cli


def _wait_ok(
    url: str, process: subprocess.Popen[bytes] | None, log: pathlib.Path, timeout: float = 90
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(
                f"langgraph dev exited with {process.returncode}:\n{log.read_text()[-3000:]}", pytrace=False
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    pytest.fail(
        f"langgraph dev did not answer /ok within {timeout}s:\n{log.read_text()[-3000:]}", pytrace=False
    )


GATEWAY_LOGGERS = ("langgraph_grpc_gateway", "langgraph_grpc_gateway.access")


@pytest.fixture(scope="session", autouse=True)
def gateway_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pathlib.Path]:
    """The in-process gateways log as a deployed one does: at INFO, to a handler that formats
    every record (here a file), so the access line of every call is built and written.

    Without this, pytest leaves the root logger at WARNING with no handler of ours, so the
    access log's `isEnabledFor(INFO)` is false and its code never runs under test. The loggers
    still propagate: pytest's capture (caplog) sees the same records."""
    path = tmp_path_factory.mktemp("gateway-log") / "gateway.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    loggers = [logging.getLogger(name) for name in GATEWAY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
    loggers[0].addHandler(handler)  # the access logger's records reach it by propagation
    try:
        yield path
    finally:
        loggers[0].removeHandler(handler)
        handler.close()
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@pytest.fixture(scope="session")
def upstream_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real LangGraph API server running our test graphs."""
    if url := os.environ.get("LANGGRAPH_UPSTREAM_URL"):
        yield url.rstrip("/")
        return
    workdir = tmp_path_factory.mktemp("upstream")
    shutil.copytree(
        UPSTREAM_GRAPHS, workdir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".langgraph_api")
    )
    port = free_port()
    log = workdir / "langgraph-dev.log"
    command = [
        _langgraph_cli(),
        "dev",
        "--no-browser",
        "--no-reload",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ok(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def gateway(upstream_url: str) -> AsyncIterator[Gateway]:
    """The gateway, in this process, in front of the real upstream."""
    gw = Gateway(Settings(upstream=upstream_url, listen="127.0.0.1:0"))
    await gw.start()
    yield gw
    await gw.stop(0)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def channel(gateway: Gateway) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as chan:
        yield chan


@pytest.fixture(scope="session")
def runs(channel: grpc.aio.Channel) -> runs_pb2_grpc.RunsServiceStub:
    return runs_pb2_grpc.RunsServiceStub(channel)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sdk(upstream_url: str) -> AsyncIterator[LangGraphClient]:
    """langgraph-sdk talking to the same upstream over HTTP: the reference for every answer."""
    client = get_client(url=upstream_url, api_key=None)
    yield client
    await client.aclose()
