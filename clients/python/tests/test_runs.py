"""client.runs besides stream and wait (background runs, join, list, cancel, delete) against the
live gateway, beside langgraph-sdk's client.runs."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import grpc
import pytest
from langgraph_sdk.client import LangGraphClient as SdkClient

from langgraph_grpc_client import LangGraphClient, RunCreateMetadata, SyncLangGraphClient, errors

from . import normalize


def said(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


async def test_create_join_get_list_delete_as_the_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    thread = await client.threads.create()
    thread_id = thread["thread_id"]
    created: list[RunCreateMetadata] = []
    run = await client.runs.create(
        thread_id,
        "agent",
        input=said("hi"),
        metadata={"m": 1},
        stream_resumable=True,
        on_run_created=created.append,
    )
    assert run["status"] in ("pending", "running") and run["thread_id"] == thread_id
    assert created == [{"run_id": run["run_id"], "thread_id": thread_id}]

    joined = await asyncio.gather(
        client.runs.join(thread_id, run["run_id"]), sdk.runs.join(thread_id, run["run_id"])
    )
    assert joined[0] == joined[1] and joined[0]["count"] == 1

    got = await asyncio.gather(
        client.runs.get(thread_id, run["run_id"]), sdk.runs.get(thread_id, run["run_id"])
    )
    left, right = normalize.resource(dict(got[0]), dict(got[1]))
    assert left == right and got[0]["status"] == "success"
    listed = await asyncio.gather(client.runs.list(thread_id), sdk.runs.list(thread_id))
    assert [r["run_id"] for r in listed[0]] == [r["run_id"] for r in listed[1]] == [run["run_id"]]

    replay = [p async for p in client.runs.join_stream(thread_id, run["run_id"], last_event_id="-1")]
    theirs = [p async for p in sdk.runs.join_stream(thread_id, run["run_id"], last_event_id="-1")]
    assert normalize.parts(replay) == normalize.parts(theirs)
    assert replay[0].event == "metadata"

    await client.runs.delete(thread_id, run["run_id"])
    with pytest.raises(errors.NotFoundError) as gone:
        await client.runs.get(thread_id, run["run_id"])
    assert gone.value.code == grpc.StatusCode.NOT_FOUND


async def test_cancel_and_cancel_many(client: LangGraphClient, sdk: SdkClient) -> None:
    """A run waiting at a gate (tests/upstream/graph.py) is cancelled, never let run out."""
    thread = await client.threads.create()
    thread_id, gate = thread["thread_id"], uuid.uuid4().hex
    try:
        run = await client.runs.create(thread_id, "agent", input=said(f"WAIT {gate}"))
        await client.runs.cancel(thread_id, run["run_id"], wait=True)
        assert (await client.runs.get(thread_id, run["run_id"]))["status"] == "interrupted"

        other = await client.runs.create(thread_id, "agent", input=said(f"WAIT {gate}"))
        await client.runs.cancel_many(thread_id=thread_id, run_ids=[other["run_id"]])
        await client.runs.join(thread_id, other["run_id"])  # returns once the run has ended
        assert (await client.runs.get(thread_id, other["run_id"]))["status"] == "interrupted"
    finally:
        await sdk.store.put_item(["gates"], gate, {"open": True})


async def test_create_batch(client: LangGraphClient) -> None:
    runs = await client.runs.create_batch(
        [{"assistant_id": "agent", "input": said("one")}, {"assistant_id": "agent", "input": said("two")}]
    )
    assert len(runs) == 2 and all(r["run_id"] for r in runs)


def test_sync_runs(sync_client: SyncLangGraphClient) -> None:
    thread = sync_client.threads.create()
    run = sync_client.runs.create(thread["thread_id"], "agent", input=said("hi"))
    assert sync_client.runs.join(thread["thread_id"], run["run_id"])["count"] == 1
    assert [r["run_id"] for r in sync_client.runs.list(thread["thread_id"])] == [run["run_id"]]
    parts = list(sync_client.runs.join_stream(thread["thread_id"], run["run_id"]))
    assert parts == [] or parts[-1].event != "error"  # finished: nothing (more) to stream
