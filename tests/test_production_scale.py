"""Scale-out: --workers N processes on one port, and nginx (grpc_pass) in front of two gateways."""

from __future__ import annotations

import json
import pathlib
import shutil
import signal
import subprocess
import time
from collections.abc import Callable

import grpc
from langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc, runs_pb2_grpc

from .conftest import ROOT, free_port
from .production_support import GatewayProcess, gateway_process, sleep_run, wait_serving, whole_lines


def call_many(address: str, calls: int = 24) -> None:
    """Each call on a fresh connection, so each may land on another process."""
    for _ in range(calls):
        with grpc.insecure_channel(address) as channel:
            assistants = assistants_pb2_grpc.AssistantsServiceStub(channel)
            assistants.SearchAssistants(assistants_pb2.SearchAssistantsRequest(), timeout=30)


def pids_serving(outputs: list[Callable[[], str]], calls: int, within: float = 30) -> list[set[int]]:
    """The pids in each output's access lines (which processes served calls), once the lines of
    `calls` calls are there in all: each is written as its call ends, by the process serving it."""
    deadline = time.monotonic() + within
    while True:
        lines = [[json.loads(x) for x in whole_lines(out()) if x.startswith('{"method"')] for out in outputs]
        if sum(map(len, lines)) >= calls:
            return [{line["pid"] for line in some} for some in lines]
        assert time.monotonic() < deadline, f"{sum(map(len, lines))} access lines, not {calls}"
        time.sleep(0.05)


def test_workers_serve_one_port_and_stop_together(upstream_url: str, tmp_path: pathlib.Path) -> None:
    with gateway_process(upstream_url, "--workers", "2", log=tmp_path / "gw.log") as gateway:
        # Serving means one worker answered: the other may still be starting. Calls until both
        # served some (each round of fresh connections lands on either, at random).
        calls, deadline = 0, time.monotonic() + 60
        while True:
            call_many(gateway.address)
            calls += 24
            [pids] = pids_serving([gateway.output], calls)
            if len(pids) == 2 or time.monotonic() > deadline:
                break
        assert len(pids) == 2 and gateway.process.pid not in pids
        gateway.process.send_signal(signal.SIGTERM)
        assert gateway.process.wait(timeout=30) == 0
    assert gateway.output().count("stopping (grace") == 2


def test_nginx_spreads_calls_over_two_gateways_and_survives_one(
    upstream_url: str, tmp_path: pathlib.Path
) -> None:
    first, second = (GatewayProcess(upstream_url, log=tmp_path / f"gw{i}.log") for i in range(2))
    nginx = None
    try:
        first.wait_serving()
        second.wait_serving()
        port = free_port()
        nginx = start_nginx(tmp_path, port, [first.address, second.address])
        address = f"127.0.0.1:{port}"
        wait_serving(address)
        call_many(address)
        served = pids_serving([first.output, second.output], 24)
        assert [len(pids) for pids in served] == [1, 1]  # both gateways got calls
        first.kill()  # on purpose (SIGKILL): the test is about nginx routing around a dead gateway
        with grpc.insecure_channel(address) as channel:
            runs = runs_pb2_grpc.RunsServiceStub(channel)
            for _ in range(6):
                assert list(runs.StreamRun(sleep_run(0), timeout=30))
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        try:
            first.stop()
        finally:
            second.stop()


def start_nginx(directory: pathlib.Path, port: int, gateways: list[str]) -> subprocess.Popen[bytes]:
    """nginx with deploy/nginx/nginx.conf, its addresses swapped for ours."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert pathlib.Path(nginx).exists(), "nginx not found: run `bash .ci/setup`"
    conf = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    servers = "".join(f"        server {address};\n" for address in gateways)
    conf = conf.replace("        server gateway-0:50051;\n        server gateway-1:50051;\n", servers)
    conf = conf.replace("listen 8443 http2;", f"listen 127.0.0.1:{port} http2;")
    (directory / "nginx.conf").write_text(conf)
    for sub in ("logs", "temp"):
        (directory / sub).mkdir(exist_ok=True)
    return subprocess.Popen(
        [
            nginx,
            "-p",
            str(directory),
            "-c",
            str(directory / "nginx.conf"),
            "-g",
            "daemon off; pid nginx.pid;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(directory / "nginx.err").open("wb"),
    )
