"""Graceful drain, with a real SIGTERM to a real gateway process while a real run streams."""

from __future__ import annotations

import asyncio
import pathlib
import signal
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from grpc_health.v1 import health_pb2, health_pb2_grpc
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_sdk.client import LangGraphClient

from .gates import gate, open_gate
from .production_support import NOT_SERVING, SERVING, eventually, gateway_process, read_all, sleep_run, user

Stub = runs_pb2_grpc.RunsServiceStub


async def _refused(address: str) -> bool:
    async with grpc.aio.insecure_channel(address) as channel:
        try:
            await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=2)
        except grpc.aio.AioRpcError as exc:
            return exc.code() == grpc.StatusCode.UNAVAILABLE
    return False


def gated_run(gate_name: str, **fields: Any) -> runs_pb2.StreamRunRequest:
    """A run that waits at the gate (tests/gates.py): in flight until the test opens it."""
    return runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user(f"WAIT {gate_name}"), stream_mode=["custom", "updates"], **fields
    )


async def test_sigterm_turns_health_refuses_new_calls_and_lets_the_stream_finish(
    upstream_url: str, sdk: LangGraphClient, tmp_path: pathlib.Path
) -> None:
    with gateway_process(upstream_url, "--shutdown-grace", "30", log=tmp_path / "gw.log") as gateway:
        async with grpc.aio.insecure_channel(gateway.address) as channel, gate(sdk) as name:
            watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest())
            assert (await watch.read()).status == SERVING
            stream = Stub(channel).StreamRun(gated_run(name))
            assert (await stream.read()).event == "metadata"

            gateway.process.send_signal(signal.SIGTERM)
            assert (await watch.read()).status == NOT_SERVING  # at once, while the stream goes on
            watch.cancel()
            await eventually(lambda: _refused(gateway.address))

            await open_gate(sdk, name)  # the run goes on to its end only now, in the drain
            rest = await read_all(stream)
            assert await stream.code() == grpc.StatusCode.OK
        # Every event of the run, though the drain began at its start: up to the last update.
        assert [m.event for m in rest] == ["custom", "custom", "updates", "updates"]
        assert json_format.MessageToDict(rest[-1].data) == {"post": {"count": 1}}
        assert await asyncio.to_thread(gateway.process.wait, 30) == 0


async def test_streams_still_open_after_the_grace_are_cancelled_and_the_run_follows_on_disconnect(
    upstream_url: str, sdk: LangGraphClient, tmp_path: pathlib.Path
) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    # The gate opens only at the end: the run cannot finish within the grace (or ever) by itself.
    async with gate(sdk) as name:
        request = gated_run(name, thread_id=thread_id, on_disconnect=runs_pb2.ON_DISCONNECT_CANCEL)
        with gateway_process(upstream_url, "--shutdown-grace", "1", log=tmp_path / "gw.log") as gateway:
            async with grpc.aio.insecure_channel(gateway.address) as channel:
                stream = Stub(channel).StreamRun(request)
                run_id = dict(await stream.initial_metadata())["x-langgraph-run-id"]
                assert (await stream.read()).event == "metadata"
                gateway.process.send_signal(signal.SIGTERM)
                with pytest.raises(grpc.aio.AioRpcError) as ended:
                    await read_all(stream)
            assert ended.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED)
            assert await asyncio.to_thread(gateway.process.wait, 30) == 0

        async def interrupted() -> bool:
            return (await sdk.runs.get(thread_id, run_id))["status"] == "interrupted"

        await eventually(interrupted)


async def test_drain_delay_keeps_serving_calls_while_health_says_not_serving(
    upstream_url: str, tmp_path: pathlib.Path
) -> None:
    # The call below is admitted during the delay; its run may still be going when the delay is
    # over (the upstream starts it when it can), and the grace lets it finish all the same.
    args = ("--drain-delay", "5", "--shutdown-grace", "30")
    with gateway_process(upstream_url, *args, log=tmp_path / "gw.log") as gateway:
        async with grpc.aio.insecure_channel(gateway.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            gateway.process.send_signal(signal.SIGTERM)

            async def not_serving() -> bool:
                return (await health.Check(health_pb2.HealthCheckRequest())).status == NOT_SERVING

            await eventually(not_serving)
            # Load balancers probing health now stop sending; calls that still come are served.
            stream = Stub(channel).StreamRun(sleep_run(1))
            assert next(m.event for m in await read_all(stream)) == "metadata"
            assert await stream.code() == grpc.StatusCode.OK
