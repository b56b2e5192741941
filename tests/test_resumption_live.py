"""Transparent resumption on the real LangGraph server: a proxy cuts a live thread-run stream
after N events; the gateway resumes with Last-Event-ID and the client gets every event once."""

from __future__ import annotations

import grpc
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_sdk.client import LangGraphClient

from .cutting_proxy import CuttingProxy


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
    json_format.ParseDict({"messages": [{"role": "user", "content": "SLEEP 2"}]}, request.input)
    # Cut once 3 events went through (metadata, values, the echo-start custom event): the next
    # one comes a second later, so the cut never falls between two events of one millisecond,
    # which share an id upstream and which its replay (ids after Last-Event-ID) cannot tell apart.
    async with CuttingProxy(upstream_url, after=3, cuts=1) as proxy:
        gateway = Gateway(Settings(upstream=proxy.url, listen="127.0.0.1:0"))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                messages = [m async for m in runs_pb2_grpc.RunsServiceStub(channel).StreamRun(request)]
        finally:
            await gateway.stop(0)
    run_id = json_format.MessageToDict(messages[0].data)["run_id"]
    reference = [p async for p in sdk.runs.join_stream(thread["thread_id"], run_id, last_event_id="-1")]

    assert [r.method for r in proxy.requests] == ["POST", "GET"], "the stream was not cut and resumed"
    # The proxy cuts at a chunk boundary, so the resumption point is one of the events delivered.
    resumed_after = proxy.requests[1].headers["last-event-id"]
    assert resumed_after in [m.id for m in messages[:-1]]
    assert [m.id for m in messages] == [p.id for p in reference]
    assert [m.event for m in messages] == [p.event for p in reference]
    assert [json_format.MessageToDict(m.data) for m in messages] == [p.data for p in reference]
