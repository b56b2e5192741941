"""client.store (StoreService) against the live gateway: what it writes, langgraph-sdk reads the
same over HTTP, and what it reads equals the sdk's answer for the same item."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
from langgraph_sdk.client import LangGraphClient as SdkClient
from langgraph_sdk.errors import UnprocessableEntityError as SdkUnprocessableEntityError

from langgraph_grpc_client import LangGraphClient, SyncLangGraphClient, errors

from . import normalize


@pytest.fixture
def root() -> list[str]:
    """A namespace no other test uses."""
    return ["client-tests", uuid.uuid4().hex]


async def test_put_get_search_list_delete(client: LangGraphClient, root: list[str]) -> None:
    value = {"text": "hello", "n": 3, "nested": {"ok": True, "list": [1, 2.5]}}
    await client.store.put_item(root, "a", value)
    await client.store.put_item([*root, "deeper"], "b", {"kind": "fact"}, index=False, ttl=30)

    item = await client.store.get_item(root, "a")
    assert item is not None
    assert (item["namespace"], item["key"], item["value"]) == (root, "a", value)
    assert item["created_at"] and item["updated_at"]
    assert "score" not in item  # as the sdk's Item: only search answers a score

    found = await client.store.search_items(root, filter={"kind": "fact"})
    assert [(i["namespace"], i["key"]) for i in found["items"]] == [([*root, "deeper"], "b")]
    assert found["items"][0]["score"] is None  # no search index on the test server

    listed = await client.store.list_namespaces(prefix=root)
    assert sorted(listed["namespaces"]) == [root, [*root, "deeper"]]
    assert (await client.store.list_namespaces(prefix=root, max_depth=2))["namespaces"] == [root]

    await client.store.delete_item(root, "a")
    assert await client.store.get_item(root, "a") is None
    await client.store.delete_item(root, "a")  # deleting what is not there is no error


async def test_answers_equal_the_sdks(client: LangGraphClient, sdk: SdkClient, root: list[str]) -> None:
    """The same item, searches and namespaces read both ways are equal; what the gateway put is
    what the sdk reads."""
    await client.store.put_item(root, "k", {"v": [1, {"x": None}]}, ttl=10)
    await sdk.store.put_item([*root, "sdk"], "k2", {"v": 2})
    for namespace, key in ((root, "k"), ([*root, "sdk"], "k2"), (root, "missing")):
        ours, theirs = await asyncio.gather(
            client.store.get_item(namespace, key, refresh_ttl=False), sdk.store.get_item(namespace, key)
        )
        assert ours == theirs  # the whole dict, keys and timestamps included (or both None)

    searches = await asyncio.gather(
        client.store.search_items(root, limit=5), sdk.store.search_items(root, limit=5)
    )
    assert searches[0] == searches[1]
    listings = await asyncio.gather(
        client.store.list_namespaces(prefix=root), sdk.store.list_namespaces(prefix=root)
    )
    assert listings[0] == listings[1]


async def test_errors_as_the_sdk(client: LangGraphClient, sdk: SdkClient, root: list[str]) -> None:
    with pytest.raises(ValueError, match="cannot contain periods") as ours:
        await client.store.put_item(["a.b"], "k", {})
    with pytest.raises(ValueError, match="cannot contain periods") as theirs:
        await sdk.store.put_item(["a.b"], "k", {})
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="cannot contain periods"):
        await client.store.get_item(["a.b"], "k")
    with pytest.raises(ValueError, match="not supported"):
        await client.store.get_item(root, "k", params={"x": "y"})

    # The sdk does not check labels on delete: the server refuses them, the same both ways.
    with pytest.raises(errors.UnprocessableEntityError) as refused:
        await client.store.delete_item(["a.b"], "k")
    with pytest.raises(SdkUnprocessableEntityError) as sdk_refused:
        await sdk.store.delete_item(["a.b"], "k")
    assert refused.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.status_code == sdk_refused.value.status_code == 422


def test_sync_store(sync_client: SyncLangGraphClient, root: list[str]) -> None:
    sync_client.store.put_item(root, "s", {"sync": True})
    item = sync_client.store.get_item(root, "s")
    assert item is not None and item["value"] == {"sync": True}
    assert [i["key"] for i in sync_client.store.search_items(root)["items"]] == ["s"]
    assert sync_client.store.list_namespaces(prefix=root) == {"namespaces": [root]}
    sync_client.store.delete_item(root, "s")
    assert sync_client.store.get_item(root, "s") is None


async def test_normalize_resource_helper() -> None:
    """The helper the other tests compare with: None dropped, the sdk's extra keys dropped."""
    ours = {"a": 1, "b": None, "c": {"d": None, "e": 2}}
    theirs = {"a": 1, "c": {"e": 2}, "extra": "x"}
    left, right = normalize.resource(ours, theirs)
    assert left == right == {"a": 1, "c": {"e": 2}}
