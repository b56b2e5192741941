"""Gates: runs of tests/upstream/graph.py that go on exactly when the test says, never after a
guessed time.

A run whose input is "WAIT <gate>" writes the custom event {"stage": "waiting", "gate": <gate>}
and then waits until the test opens the gate; "TICK <gate> [n]" writes n custom events every
50 ms until then (so a late subscriber is sure to see one); "WAIT a; TICK b" does both in turn.
Every event written after a gate opens has a later SSE id than every event sent before it.

    async with gate(sdk) as name:
        stream = runs.StreamRun(request_with_input(f"WAIT {name}"))
        ...                        # the run is certainly still running here
        await open_gate(sdk, name)  # now it finishes
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langgraph_sdk.client import LangGraphClient

GATES = ["gates"]  # the store namespace graph.py reads


async def open_gate(sdk: LangGraphClient, name: str) -> None:
    await sdk.store.put_item(GATES, name, {"open": True})


@asynccontextmanager
async def gate(sdk: LangGraphClient) -> AsyncIterator[str]:
    """A new gate's name; opened when the block ends, however it ends, so that no run is left
    waiting (the upstream runs one run at a time: a forgotten gate would hold up every later run)."""
    name = uuid.uuid4().hex
    try:
        yield name
    finally:
        await open_gate(sdk, name)


def waiting_for(data: object) -> str | None:
    """The gate a "waiting" custom event names, else None."""
    if isinstance(data, dict) and data.get("stage") == "waiting":
        return str(data["gate"])
    return None
