"""Transparent resumption on the real LangGraph server: a proxy cuts a live thread-run stream
after N events; the gateway resumes with Last-Event-ID and the client gets every event once."""

from __future__ import annotations

import grpc
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_sdk.client import LangGraphClient

from .cutting_proxy import CuttingProxy
from .gates import gate, open_gate, waiting_for


async def test_cut_live_stream_is_resumed_without_gap_or_duplicate(
    upstream_url: str, sdk: LangGraphClient
) -> None:
    thread = await sdk.threads.create()
    request = runs_pb2.StreamRunRequest(
        assistant_id="agent",
        thread_id=thread["thread_id"],
        stream_resumable=True,
        stream_mode=["custom", "updates", "values"],
    )
    # Cut once 4 events went through (metadata, values, the echo-start and "waiting" custom
    # events); the run then waits at the gate, opened once the client got the 4th: every later
    # event has a later id. (Events of one millisecond share an id upstream, and its replay, of
    # the ids after Last-Event-ID, cannot tell them apart: a cut between two would lose one.)
    async with gate(sdk) as name, CuttingProxy(upstream_url, after=4, cuts=1) as proxy:
        json_format.ParseDict({"messages": [{"role": "user", "content": f"WAIT {name}"}]}, request.input)
        gateway = Gateway(Settings(upstream=proxy.url, listen="127.0.0.1:0"))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                messages = []
                async for message in runs_pb2_grpc.RunsServiceStub(channel).StreamRun(request):
                    messages.append(message)
                    if waiting_for(json_format.MessageToDict(message.data)) == name:
                        await open_gate(sdk, name)
        finally:
            await gateway.stop(0)
    run_id = json_format.MessageToDict(messages[0].data)["run_id"]
    reference = [p async for p in sdk.runs.join_stream(thread["thread_id"], run_id, last_event_id="-1")]

    assert [r.method for r in proxy.requests] == ["POST", "GET"], "the stream was not cut and resumed"
    # The proxy cuts at a chunk boundary, so the resumption point is one of the events delivered.
    resumed_after = proxy.requests[1].headers["last-event-id"]
    assert resumed_after == messages[3].id
    assert [m.id for m in messages] == [p.id for p in reference]
    assert [m.event for m in messages] == [p.event for p in reference]
    assert [json_format.MessageToDict(m.data) for m in messages] == [p.data for p in reference]
