"""client.threads (ThreadsService) against the live gateway, beside langgraph-sdk's client.threads;
and the human-in-the-loop example (examples/hitl.py), run as a program and step by step."""

from __future__ import annotations

import asyncio
import os
import pathlib
import subprocess
import sys
import uuid
from typing import Any

import grpc
import pytest
from langgraph_sdk.client import LangGraphClient as SdkClient
from langgraph_sdk.errors import NotFoundError as SdkNotFoundError

from langgraph_grpc_client import LangGraphClient, SyncLangGraphClient, errors

from . import normalize

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "hitl.py"


def said(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def test_create_get_update_search_count_delete(client: LangGraphClient, sdk: SdkClient) -> None:
    tag = uuid.uuid4().hex
    ours, theirs = await asyncio.gather(
        client.threads.create(metadata={"tag": tag}, graph_id="agent", ttl=60),
        sdk.threads.create(metadata={"tag": tag}, graph_id="agent", ttl=60),
    )
    a, b = normalize.resource(dict(ours), dict(theirs))
    assert normalize.value(a) == normalize.value(b)
    assert ours["metadata"] == {"tag": tag, "graph_id": "agent"}  # graph_id goes into metadata

    thread_id = ours["thread_id"]
    got = await asyncio.gather(
        client.threads.get(thread_id, include=["ttl"]), sdk.threads.get(thread_id, include=["ttl"])
    )
    left, right = normalize.resource(dict(got[0]), dict(got[1]))
    assert left == right

    updated = await client.threads.update(thread_id, metadata={"more": 1})
    assert updated is not None and updated["metadata"] == {"tag": tag, "graph_id": "agent", "more": 1}
    assert await client.threads.update(thread_id, metadata={"x": 2}, return_minimal=True) is None

    found = await asyncio.gather(
        client.threads.search(metadata={"tag": tag}, sort_by="created_at", sort_order="asc"),
        sdk.threads.search(metadata={"tag": tag}, sort_by="created_at", sort_order="asc"),
    )
    assert [t["thread_id"] for t in found[0]] == [t["thread_id"] for t in found[1]]
    for mine, sdks in zip(*found, strict=True):
        left, right = normalize.resource(dict(mine), dict(sdks))
        assert left == right
    counts = await asyncio.gather(
        client.threads.count(metadata={"tag": tag}), sdk.threads.count(metadata={"tag": tag})
    )
    assert list(counts) == [2, 2]

    await client.threads.delete(thread_id)
    with pytest.raises(errors.NotFoundError) as gone:
        await client.threads.get(thread_id)
    with pytest.raises(SdkNotFoundError) as sdk_gone:
        await sdk.threads.get(thread_id)
    assert gone.value.code == grpc.StatusCode.NOT_FOUND
    assert (gone.value.status_code, gone.value.message) == (404, sdk_gone.value.response.json()["detail"])


async def test_state_history_copy_prune_as_the_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    thread = await client.threads.create()
    thread_id = thread["thread_id"]
    await client.runs.wait(thread_id, "agent", input=said("hi"))

    states = await asyncio.gather(client.threads.get_state(thread_id), sdk.threads.get_state(thread_id))
    left, right = normalize.resource(dict(states[0]), dict(states[1]))
    assert left == right
    assert states[0]["values"]["count"] == 1 and states[0]["next"] == []

    histories = await asyncio.gather(
        client.threads.get_history(thread_id, limit=3), sdk.threads.get_history(thread_id, limit=3)
    )
    assert len(histories[0]) == len(histories[1]) == 3
    for mine, sdks in zip(*histories, strict=True):
        left, right = normalize.resource(dict(mine), dict(sdks))
        assert left == right

    older = states[0]["parent_checkpoint"]
    assert older is not None
    at = await asyncio.gather(
        client.threads.get_state(thread_id, checkpoint_id=older["checkpoint_id"]),
        sdk.threads.get_state(thread_id, checkpoint_id=older["checkpoint_id"]),
        client.threads.get_state(thread_id, checkpoint=older),
    )
    left, right = normalize.resource(dict(at[0]), dict(at[1]))
    assert left == right
    for state in at:  # by id (GET .../state/{id}) and in full (POST .../state/checkpoint)
        assert (state["checkpoint"] or {})["checkpoint_id"] == older["checkpoint_id"]
    assert at[2]["values"] == at[0]["values"] == at[1]["values"]

    copy = await client.threads.copy(thread_id)
    assert copy["thread_id"] != thread_id
    assert (await client.threads.get_state(copy["thread_id"]))["values"] == states[0]["values"]
    assert await client.threads.prune([copy["thread_id"]]) == {"pruned_count": 1}
    with pytest.raises(errors.NotFoundError):
        await client.threads.get(copy["thread_id"])


async def test_join_stream_follows_the_threads_runs(client: LangGraphClient, sdk: SdkClient) -> None:
    """A run ticks (tests/upstream/graph.py's TICK) until its gate opens, so the joined stream
    sees a tick however late it connects; then the gate opens and the run's end arrives."""
    thread = await client.threads.create()
    thread_id, gate = thread["thread_id"], uuid.uuid4().hex
    run = client.runs.stream(thread_id, "agent", input=said(f"TICK {gate}"), stream_mode="custom")
    joined = None
    try:
        assert (await anext(run)).event == "metadata"
        joined = await client.threads.join_stream(thread_id, timeout=60)
        async for part in joined:
            if part.event == "custom" and part.data["stage"] == "tick":
                break
        await sdk.store.put_item(["gates"], gate, {"open": True})
        async for part in joined:
            if part.event == "metadata" and part.data.get("status") == "run_done":
                assert part.data["run_id"] == run.run_id
                break
    finally:
        await sdk.store.put_item(["gates"], gate, {"open": True})
        if joined is not None:
            await joined.aclose()
        await run.aclose()


# --- human in the loop --------------------------------------------------------------------------


def test_hitl_example_runs(address: str) -> None:
    """examples/hitl.py as a user runs it: stops at the interrupt, reads the state, edits it,
    resumes; the edited count (41, then +1 by `post`) and the answer are in the result."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), address, "ship it"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANGGRAPH_API_KEY": ""},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("stopped at: ") and '"question": "approve?"' in lines[0]
    assert lines[1] == "next: ['echo'] question: approve?"
    assert lines[-1] == 'result: {"count": 42, "reply": "resumed with: ship it"}'


async def test_hitl_steps_equal_the_sdks(client: LangGraphClient, sdk: SdkClient) -> None:
    """Each step of the example, done by our client and by the sdk on twin threads: the same
    interrupt, the same state, the same checkpoint answer, the same final values."""
    threads = await asyncio.gather(client.threads.create(), sdk.threads.create())
    ours_id, theirs_id = threads[0]["thread_id"], threads[1]["thread_id"]
    ask = said("INTERRUPT please approve")

    stopped = await asyncio.gather(
        client.runs.wait(ours_id, "agent", input=ask), sdk.runs.wait(theirs_id, "agent", input=ask)
    )
    assert normalize.value(stopped[0]) == normalize.value(stopped[1])

    states = await asyncio.gather(client.threads.get_state(ours_id), sdk.threads.get_state(theirs_id))
    a, b = normalize.resource(dict(states[0]), dict(states[1]))
    assert normalize.value(a) == normalize.value(b)
    assert states[0]["next"] == ["echo"]
    assert states[0]["interrupts"][0]["value"]["question"] == "approve?"
    assert states[0]["tasks"][0]["interrupts"] == states[0]["interrupts"]

    edits = await asyncio.gather(
        client.threads.update_state(ours_id, {"count": 41}, as_node="__start__"),
        sdk.threads.update_state(theirs_id, {"count": 41}, as_node="__start__"),
    )
    a, b = normalize.resource(dict(edits[0]), dict(edits[1]))
    assert normalize.value(a) == normalize.value(b)
    checkpoint = edits[0]["checkpoint"]
    assert checkpoint is not None and checkpoint["thread_id"] == ours_id
    edited = await client.threads.get_state(ours_id)
    assert edited["values"]["count"] == 41 and edited["next"] == ["echo"]
    assert edited["checkpoint"] == {**checkpoint, "checkpoint_map": None}

    final = await asyncio.gather(
        client.runs.wait(ours_id, "agent", command={"resume": "yes"}),
        sdk.runs.wait(theirs_id, "agent", command={"resume": "yes"}),
    )
    assert normalize.value(final[0]) == normalize.value(final[1])
    assert isinstance(final[0], dict)
    assert final[0]["count"] == 42
    assert final[0]["messages"][-1]["content"] == "resumed with: yes"


def test_sync_threads(sync_client: SyncLangGraphClient) -> None:
    thread = sync_client.threads.create(metadata={"sync": True})
    thread_id = thread["thread_id"]
    sync_client.runs.wait(thread_id, "agent", input=said("INTERRUPT sync"))
    state = sync_client.threads.get_state(thread_id)
    assert state["next"] == ["echo"]
    sync_client.threads.update_state(thread_id, {"count": 9}, as_node="__start__")
    final = sync_client.runs.wait(thread_id, "agent", command={"resume": "ok"})
    assert isinstance(final, dict) and final["count"] == 10
    assert len(sync_client.threads.get_history(thread_id, limit=2)) == 2
    assert sync_client.threads.count(metadata={"sync": True}) >= 1
    sync_client.threads.delete(thread_id)
    with pytest.raises(errors.NotFoundError):
        sync_client.threads.get(thread_id)
