"""client.crons (CronsService) against the live gateway, beside langgraph-sdk's client.crons.

No cron here ever fires: each is disabled with a yearly schedule, and each test deletes what it
made (the `made` fixture)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import uuid
import warnings
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import pytest
import pytest_asyncio
from langgraph_sdk.client import LangGraphClient as SdkClient
from langgraph_sdk.errors import NotFoundError as SdkNotFoundError

from langgraph_grpc_client import LangGraphClient, SyncLangGraphClient, errors

from . import normalize

FAR = "0 0 1 1 *"  # once a year
END = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)


@pytest_asyncio.fixture(loop_scope="session")
async def made(sdk: SdkClient) -> AsyncIterator[list[str]]:
    """Cron ids a test made: deleted when it ends."""
    ids: list[str] = []
    yield ids
    for cron_id in ids:
        with contextlib.suppress(SdkNotFoundError):
            await sdk.crons.delete(cron_id)


def body(tag: str) -> dict[str, Any]:
    return {
        "schedule": FAR,
        "enabled": False,
        "input": {"messages": [{"role": "user", "content": "hi"}]},
        "metadata": {"tag": tag, "n": 3},
        "config": {"tags": ["a"]},
        "interrupt_before": "*",
        "end_time": END,
        "timezone": ZoneInfo("Europe/Paris"),
        "stream_mode": ["updates", "values"],
        "durability": "exit",
    }


async def test_create_search_count_update_delete_as_the_sdk(
    client: LangGraphClient, sdk: SdkClient, made: list[str]
) -> None:
    tag = uuid.uuid4().hex
    ours, theirs = await asyncio.gather(
        client.crons.create("agent", on_run_completed="keep", **body(tag)),
        sdk.crons.create("agent", on_run_completed="keep", **body(tag)),
    )
    made.extend([ours["cron_id"], theirs["cron_id"]])
    a, b = normalize.resource(dict(ours), dict(theirs))
    assert normalize.value(a) == normalize.value(b)
    assert (ours["timezone"], ours["enabled"], ours["thread_id"]) == ("Europe/Paris", False, None)
    assert ours["payload"] is not None and ours["payload"]["interrupt_before"] == "*"  # as sent

    found = await asyncio.gather(
        client.crons.search(metadata={"tag": tag}, sort_by="created_at", sort_order="asc"),
        sdk.crons.search(metadata={"tag": tag}, sort_by="created_at", sort_order="asc"),
    )
    assert [c["cron_id"] for c in found[0]] == [c["cron_id"] for c in found[1]]
    for mine, sdks in zip(*found, strict=True):  # the same crons, read both ways
        left, right = normalize.resource(dict(mine), dict(sdks))
        assert left == right
    counts = await asyncio.gather(
        client.crons.count(metadata={"tag": tag}), sdk.crons.count(metadata={"tag": tag})
    )
    assert list(counts) == [2, 2]

    changed = await client.crons.update(
        ours["cron_id"], end_time=None, schedule="0 0 2 1 *", metadata={"m": 1}
    )
    assert (changed["end_time"], changed["schedule"]) == (None, "0 0 2 1 *")
    assert changed["metadata"] == {"tag": tag, "n": 3, "m": 1}

    await client.crons.delete(ours["cron_id"])
    assert await client.crons.count(metadata={"tag": tag}) == 1
    with pytest.raises(errors.NotFoundError) as gone:
        await client.crons.delete(ours["cron_id"])
    with pytest.raises(SdkNotFoundError) as sdk_gone:
        await sdk.crons.delete(ours["cron_id"])
    assert gone.value.code == grpc.StatusCode.NOT_FOUND
    assert gone.value.status_code == sdk_gone.value.status_code == 404


async def test_thread_cron(client: LangGraphClient, sdk: SdkClient, made: list[str]) -> None:
    thread = await client.threads.create()
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        cron = await client.crons.create_for_thread(
            thread["thread_id"], "agent", schedule=FAR, enabled=False, checkpoint_during=True
        )
    made.append(cron["cron_id"])
    assert [w.category for w in warned] == [DeprecationWarning]  # as the sdk warns
    assert warned[0].filename == __file__
    assert cron["thread_id"] == thread["thread_id"]
    assert [c["cron_id"] for c in await client.crons.search(thread_id=thread["thread_id"])] == [
        cron["cron_id"]
    ]


def test_sync_crons(sync_client: SyncLangGraphClient) -> None:
    tag = uuid.uuid4().hex
    cron = sync_client.crons.create("agent", schedule=FAR, enabled=False, metadata={"tag": tag})
    try:
        assert sync_client.crons.count(metadata={"tag": tag}) == 1
        assert sync_client.crons.update(cron["cron_id"], enabled=False, timezone="UTC")["timezone"] == "UTC"
        assert [c["cron_id"] for c in sync_client.crons.search(metadata={"tag": tag})] == [cron["cron_id"]]
    finally:
        sync_client.crons.delete(cron["cron_id"])
    assert sync_client.crons.count(metadata={"tag": tag}) == 0
