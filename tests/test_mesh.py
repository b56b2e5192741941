"""Health and reflection, as a mesh and grpcurl see them, with the real upstream behind."""

from __future__ import annotations

import asyncio
import json
import os
import shutil

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_grpc_gateway import Gateway

from .conftest import ROOT

SERVICES = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1alpha.ServerReflection",
    "langgraph_gateway.v1.AssistantsService",
    "langgraph_gateway.v1.CronsService",
    "langgraph_gateway.v1.RunsService",
    "langgraph_gateway.v1.StoreService",
    "langgraph_gateway.v1.ThreadsService",
]


def grpcurl() -> str:
    found = shutil.which("grpcurl") or str(ROOT / ".ci" / "bin" / "grpcurl")
    assert os.path.exists(found), "grpcurl not found: run `bash .ci/setup`"
    return found


async def run_grpcurl(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        grpcurl(), *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_health_serves_overall_and_per_service(channel: grpc.aio.Channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "langgraph_gateway.v1.RunsService"):
        answer = await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert answer.status == health_pb2.HealthCheckResponse.SERVING, service


async def test_grpcurl_lists_services_by_reflection(gateway: Gateway) -> None:
    code, out, err = await run_grpcurl("-plaintext", f"127.0.0.1:{gateway.port}", "list")
    assert code == 0, err
    assert out.split() == SERVICES


async def test_grpcurl_streams_a_run_through_reflection(gateway: Gateway) -> None:
    request = {"assistant_id": "agent", "input": {"messages": [{"role": "user", "content": "hi"}]}}
    request["stream_mode"] = ["updates"]
    code, out, err = await run_grpcurl(
        "-plaintext",
        "-d",
        json.dumps(request),
        f"127.0.0.1:{gateway.port}",
        "langgraph_gateway.v1.RunsService/StreamRun",
    )
    assert code == 0, err
    decoder, messages, text = json.JSONDecoder(), [], out.strip()
    while text:
        message, end = decoder.raw_decode(text)
        messages.append(message)
        text = text[end:].strip()
    assert [m["event"] for m in messages] == ["metadata", "updates", "updates"]
    assert messages[1]["data"]["echo"]["messages"][0]["content"] == "echo: hi"
