"""client.assistants (AssistantsService) against the live gateway, beside langgraph-sdk's."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import grpc
import pytest
from langgraph_sdk.client import LangGraphClient as SdkClient

from langgraph_grpc_client import LangGraphClient, SyncLangGraphClient, errors

from . import normalize


async def test_describe_a_graph_as_the_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    [deep] = await client.assistants.search(graph_id="deep", metadata={"created_by": "system"})
    assistant_id = deep["assistant_id"]
    got = await asyncio.gather(client.assistants.get(assistant_id), sdk.assistants.get(assistant_id))
    assert got[0] == got[1]  # every key and value

    graphs = await asyncio.gather(
        client.assistants.get_graph(assistant_id, xray=True),
        sdk.assistants.get_graph(assistant_id, xray=True),
    )
    assert graphs[0] == graphs[1]
    depth = await client.assistants.get_graph(assistant_id, xray=1)
    assert len(depth["nodes"]) < len(graphs[0]["nodes"])

    schemas = await asyncio.gather(
        client.assistants.get_schemas(assistant_id), sdk.assistants.get_schemas(assistant_id)
    )
    assert schemas[0] == schemas[1]

    for namespace, recurse in ((None, False), (None, True), ("outer", False)):
        subgraphs = await asyncio.gather(
            client.assistants.get_subgraphs(assistant_id, namespace, recurse),
            sdk.assistants.get_subgraphs(assistant_id, namespace, recurse),
        )
        assert subgraphs[0].keys() == subgraphs[1].keys()
        for key, schema in subgraphs[0].items():
            left, right = normalize.resource(dict(schema), dict(subgraphs[1][key]))
            assert left == right
    assert set(subgraphs[0]) == {"outer"}


async def test_create_update_versions_delete_as_the_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    tag = uuid.uuid4().hex
    spec: dict[str, Any] = {
        "config": {"tags": ["t"]},
        "metadata": {"tag": tag},
        "name": "mine",
        "description": "d",
    }
    made = await asyncio.gather(
        client.assistants.create("agent", **spec), sdk.assistants.create("agent", **spec)
    )
    ours = made[0]
    try:
        a, b = normalize.resource(dict(made[0]), dict(made[1]))
        assert normalize.value(a) == normalize.value(b)

        counts = await asyncio.gather(
            client.assistants.count(metadata={"tag": tag}), sdk.assistants.count(metadata={"tag": tag})
        )
        assert list(counts) == [2, 2]
        page = await client.assistants.search(metadata={"tag": tag}, limit=1, response_format="object")
        assert len(page["assistants"]) == 1 and page["next"] == "1"

        updated = await client.assistants.update(ours["assistant_id"], name="renamed", context={"k": "v"})
        assert (updated["name"], updated["version"], updated["context"]) == ("renamed", 2, {"k": "v"})
        versions = await asyncio.gather(
            client.assistants.get_versions(ours["assistant_id"]),
            sdk.assistants.get_versions(ours["assistant_id"]),
        )
        assert versions[0] == versions[1]
        assert [v["version"] for v in versions[0]] == [2, 1]
        back = await client.assistants.set_latest(ours["assistant_id"], 1)
        assert (back["version"], back["name"]) == (1, "mine")

        with pytest.raises(errors.ConflictError) as exists:  # the server's 409
            await client.assistants.create("agent", assistant_id=ours["assistant_id"])
        assert exists.value.status_code == 409
        same = await client.assistants.create(
            "agent", assistant_id=ours["assistant_id"], if_exists="do_nothing"
        )
        assert same["assistant_id"] == ours["assistant_id"]
    finally:
        await asyncio.gather(*(sdk.assistants.delete(m["assistant_id"]) for m in made))
    with pytest.raises(errors.NotFoundError) as gone:
        await client.assistants.delete(ours["assistant_id"])
    assert gone.value.code == grpc.StatusCode.NOT_FOUND


def test_sync_assistants(sync_client: SyncLangGraphClient) -> None:
    [agent] = sync_client.assistants.search(graph_id="agent", metadata={"created_by": "system"})
    assert sync_client.assistants.get(agent["assistant_id"]) == agent
    assert sync_client.assistants.get_schemas(agent["assistant_id"])["graph_id"] == "agent"
    assert sync_client.assistants.count(graph_id="agent") >= 1
    made = sync_client.assistants.create("agent", name="sync")
    try:
        assert sync_client.assistants.update(made["assistant_id"], name="sync2")["version"] == 2
    finally:
        sync_client.assistants.delete(made["assistant_id"])
