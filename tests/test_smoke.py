from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2


async def test_stream_smoke(runs, sdk):
    req = runs_pb2.StreamRunRequest(assistant_id="agent", stream_mode=["updates"])
    json_format.ParseDict({"messages": [{"role": "user", "content": "hi"}]}, req.input)
    got = [m async for m in runs.StreamRun(req)]
    want = [
        p
        async for p in sdk.runs.stream(
            None, "agent", input={"messages": [{"role": "user", "content": "hi"}]}, stream_mode="updates"
        )
    ]
    print(got, want)
    assert [m.event for m in got] == [p.event for p in want]
