"""Stream a run through the gateway, printing each chunk, then wait for a second run's values.

python examples/stream.py 127.0.0.1:50051 [ASSISTANT] [TEXT]
"""

from __future__ import annotations

import asyncio
import json
import sys

from langgraph_grpc_client import get_client


async def main(address: str, assistant_id: str = "agent", text: str = "hi") -> None:
    async with get_client(address) as client:
        run_input = {"messages": [{"role": "user", "content": text}]}

        stream = client.runs.stream(None, assistant_id, input=run_input, stream_mode=["updates"])
        async for chunk in stream:
            print(json.dumps({"event": chunk.event, "data": chunk.data}))
        print(f"run id (initial metadata): {stream.run_id}")

        values = await client.runs.wait(None, assistant_id, input=run_input)
        print("values:", json.dumps(values))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} HOST:PORT [ASSISTANT] [TEXT]")
    asyncio.run(main(*sys.argv[1:4]))
