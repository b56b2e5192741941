"""The demo's client: streams one run through the gateway, printing each chunk, then waits on one.

python deploy/demo_client.py 127.0.0.1:50051
"""

from __future__ import annotations

import asyncio
import json
import sys

import grpc
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc


def _input(text: str) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": text}]}


async def main(address: str) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        runs = runs_pb2_grpc.RunsServiceStub(channel)

        request = runs_pb2.StreamRunRequest(assistant_id="agent", stream_mode=["updates", "custom"])
        json_format.ParseDict(_input("hello from gRPC"), request.input)
        print(f"$ StreamRun assistant_id=agent stream_mode=updates,custom  (via {address})")
        call = runs.StreamRun(request)
        print("  run id (initial metadata):", dict(await call.initial_metadata()).get("x-langgraph-run-id"))
        async for chunk in call:
            data = json_format.MessageToDict(chunk.data) if chunk.HasField("data") else None
            print(f"  event={chunk.event:<10} data={json.dumps(data)}")

        wait = runs_pb2.WaitRunRequest(assistant_id="agent")
        json_format.ParseDict(_input("and once more"), wait.input)
        print("$ WaitRun assistant_id=agent")
        answer = await runs.WaitRun(wait)
        values = json_format.MessageToDict(answer.values)
        print(f"  run_id={answer.run_id} count={values.get('count')}")
        print(f"  last message: {values['messages'][-1]['content']!r}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"))
