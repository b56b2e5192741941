"""deploy/ repeats settings across files: the Envoy configuration, the Kubernetes manifests, the
Dockerfile and the nginx configuration. These tests hold each repeated setting equal (or in the
order that makes them work together), so that a change to one file fails here until the others
follow. (.ci/check validates each file on its own: schemas, hadolint, `envoy --mode validate`.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .conftest import ROOT
from .envoy_support import envoy_config, gateway_container, gateway_env, manifests

DEPLOY = ROOT / "deploy"


def cluster() -> dict[str, Any]:
    [gateways] = envoy_config()["static_resources"]["clusters"]
    return dict(gateways)


def connection_manager() -> dict[str, Any]:
    [listener] = envoy_config()["static_resources"]["listeners"]
    [chain] = listener["filter_chains"]
    [manager] = chain["filters"]
    return dict(manager["typed_config"])


def seconds(duration: str) -> float:
    assert duration.endswith("s"), duration
    return float(duration[:-1])


def grpc_port(container: dict[str, Any]) -> int:
    [port] = [p["containerPort"] for p in container["ports"] if p["name"] == "grpc"]
    return int(port)


def test_envoy_checks_the_health_name_readiness_probes_use() -> None:
    """Envoy, like the readiness probe, asks for service "" (follows the upstream and the drain),
    never `liveness` (SERVING while the process runs, whatever the upstream does)."""
    [check] = cluster()["health_checks"]
    checked = check["grpc_health_check"]["service_name"]
    container = gateway_container()
    assert checked == container["readinessProbe"]["grpc"].get("service", "")
    assert checked != container["livenessProbe"]["grpc"]["service"]


def test_envoy_takes_a_draining_gateway_out_within_its_drain_delay() -> None:
    """On SIGTERM health turns NOT_SERVING at once and new calls are refused after the drain delay:
    Envoy must have stopped sending by then, even if a check or two time out."""
    [check] = cluster()["health_checks"]
    worst = seconds(check["interval"]) * check["unhealthy_threshold"] + seconds(check["timeout"])
    assert seconds(check["no_traffic_interval"]) <= seconds(check["interval"])
    assert worst <= float(gateway_env()["LANGGRAPH_GATEWAY_DRAIN_DELAY"])


def test_the_grace_period_outlasts_the_drain() -> None:
    deployment = manifests()["Deployment", "langgraph-grpc-gateway"]
    env = gateway_env()
    drain = float(env["LANGGRAPH_GATEWAY_DRAIN_DELAY"]) + float(env["LANGGRAPH_GATEWAY_SHUTDOWN_GRACE"])
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > drain


def test_envoy_reaches_every_gateway_pod_through_the_headless_service_on_the_grpc_port() -> None:
    [group] = cluster()["load_assignment"]["endpoints"]
    [endpoint] = group["lb_endpoints"]
    address = endpoint["endpoint"]["address"]["socket_address"]
    service = manifests()["Service", address["address"]]
    deployment = manifests()["Deployment", "langgraph-grpc-gateway"]
    assert service["spec"]["clusterIP"] == "None"  # resolves to each pod: Envoy balances calls
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    [port] = service["spec"]["ports"]
    container = gateway_container()
    assert address["port_value"] == port["port"] == grpc_port(container)
    assert port["targetPort"] == "grpc"
    assert gateway_env()["LANGGRAPH_GATEWAY_LISTEN"] == f"0.0.0.0:{grpc_port(container)}"


def test_the_dockerfile_listens_and_exposes_the_ports_of_the_manifests() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    env = gateway_env()
    for name in ("LANGGRAPH_GATEWAY_LISTEN", "LANGGRAPH_GATEWAY_METRICS_LISTEN"):
        assert f"{name}={env[name]}" in dockerfile
    ports = {p["name"]: p["containerPort"] for p in gateway_container()["ports"]}
    [exposed] = re.findall(r"^EXPOSE (.+)$", dockerfile, re.MULTILINE)
    assert sorted(int(p) for p in exposed.split()) == sorted(ports.values())


def test_envoy_and_nginx_leave_long_streams_alone_for_as_long() -> None:
    """Neither proxy times a call out; both cut a stream silent either way for the same time."""
    manager = connection_manager()
    [host] = manager["route_config"]["virtual_hosts"]
    [route] = host["routes"]
    assert seconds(route["route"]["timeout"]) == 0 and "max_stream_duration" not in route["route"]
    assert seconds(manager["request_timeout"]) == 0
    nginx = (DEPLOY / "nginx" / "nginx.conf").read_text()
    [read_timeout] = re.findall(r"grpc_read_timeout (\d+)h;", nginx)
    assert seconds(manager["stream_idle_timeout"]) == int(read_timeout) * 3600


def test_envoy_retries_nothing() -> None:
    """A retried StreamRun, WaitRun or CreateRun can start the run twice (see envoy.yaml)."""
    assert not any(key.startswith("retry") for key in keys(envoy_config()))


def keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key
            yield from keys(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from keys(item)
