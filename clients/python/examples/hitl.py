"""Human in the loop over gRPC: a run stops at interrupt(), a person reads the thread's state,
edits it, and resumes the run with their answer.

python examples/hitl.py 127.0.0.1:50051 [ANSWER]

With the gateway in front of tests/upstream/graph.py's `agent`: the input "INTERRUPT ..." makes
its `echo` node call interrupt({"question": "approve?", ...}); `post` then adds 1 to `count`.

1. runs.wait on a new thread stops at the interrupt (`__interrupt__` in the values).
2. threads.get_state shows what waits: next == ["echo"] and the interrupt's question.
3. threads.update_state writes {"count": 41} as_node="__start__": written as the run's input
   was, so `echo` (the node waiting for an answer) still runs next.
4. runs.wait with command={"resume": ANSWER} finishes the run: `echo` answers "resumed with:
   ANSWER" and `post` counts from the edited 41, so count == 42.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from langgraph_grpc_client import LangGraphClient, get_client

EDITED_COUNT = 41


async def human_in_the_loop(client: LangGraphClient, answer: str = "approved") -> dict[str, Any]:
    """Runs the scenario on a new thread; returns the final values."""
    thread = await client.threads.create(graph_id="agent")
    thread_id = thread["thread_id"]
    run_input = {"messages": [{"role": "user", "content": "INTERRUPT please approve"}]}

    stopped = await client.runs.wait(thread_id, "agent", input=run_input)
    assert isinstance(stopped, dict)
    print("stopped at:", json.dumps(stopped["__interrupt__"][0]["value"]))

    state = await client.threads.get_state(thread_id)
    print("next:", state["next"], "question:", state["interrupts"][0]["value"]["question"])

    updated = await client.threads.update_state(thread_id, {"count": EDITED_COUNT}, as_node="__start__")
    checkpoint = updated["checkpoint"] or {}
    print("edited: count =", EDITED_COUNT, "at checkpoint", checkpoint.get("checkpoint_id"))

    final = await client.runs.wait(thread_id, "agent", command={"resume": answer})
    assert isinstance(final, dict)
    print("result:", json.dumps({"count": final["count"], "reply": final["messages"][-1]["content"]}))
    return final


async def main(address: str, answer: str = "approved") -> None:
    async with get_client(address) as client:
        await human_in_the_loop(client, answer)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} HOST:PORT [ANSWER]")
    asyncio.run(main(*sys.argv[1:3]))
