"""Conformance of StoreService: each answer of the gateway equals langgraph-sdk's for the same
request on the same real upstream, errors included; and the store as a graph's memory, driven
over gRPC.

The store is shared by everything on the server (the gates of tests/gates.py live there too), so
each test works under a namespace of its own, ("conformance", <uuid>, ...). An item the gateway
put is read by both the gateway and the sdk, and the answers must be exactly equal; so must the
answers of searches and listings of the same items.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc, store_pb2, store_pb2_grpc
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import APIStatusError

from . import normalize
from .sdk_errors import assert_refused, assert_same_error
from .test_conformance_workflow import as_dict, collect, event_of, expected, sdk_parts, value_of

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Store = store_pb2_grpc.StoreServiceStub
Runs = runs_pb2_grpc.RunsServiceStub
AioRpcError = grpc.aio.AioRpcError
S = store_pb2


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def store(channel: grpc.aio.Channel) -> Store:
    return store_pb2_grpc.StoreServiceStub(channel)


@pytest.fixture
def root() -> list[str]:
    """A namespace no other test uses."""
    return ["conformance", uuid.uuid4().hex]


def message(cls: type[Any], fields: dict[str, Any]) -> Any:
    return json_format.ParseDict(fields, cls())


def expected_item(item: dict[str, Any]) -> dict[str, Any]:
    """What MessageToDict of the gateway's Item must equal: the sdk's item less a null score."""
    return expected(item, S.Item.DESCRIPTOR)


async def grpc_error(call: Awaitable[Any]) -> AioRpcError:
    with pytest.raises(AioRpcError) as info:
        await call
    return info.value


async def sdk_error(call: Awaitable[Any]) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        await call
    return info.value


async def read_both(store: Store, sdk: LangGraphClient, namespace: list[str], key: str, **kw: Any) -> Any:
    """The item through the gateway and through the sdk: they must agree; the sdk's answer."""
    ours, theirs = await asyncio.gather(
        store.GetItem(S.GetItemRequest(namespace=namespace, key=key, **kw)),
        sdk.store.get_item(namespace, key, **kw),
    )
    if theirs is None:
        assert not ours.HasField("item"), ours
    else:
        assert as_dict(ours.item) == expected_item(theirs)
    return theirs


# --- PutItem and GetItem ---------------------------------------------------------------------------

PUTS: dict[str, dict[str, Any]] = {
    "plain": {"key": "k", "value": {"text": "hello", "n": 3, "ok": True, "none": None}},
    "nested value": {"key": "doc", "value": {"a": {"b": [1, 2.5, {"c": "d"}]}, "empty": {}, "list": []}},
    "not indexed, with ttl": {"key": "short-lived", "value": {"x": 1}, "index": False, "ttl": 30},
    "indexed fields": {"key": "indexed", "value": {"title": "t", "body": "b"}, "index": ["title"]},
    "awkward key": {"key": "a b&c=d?e#f/g%20é", "value": {"x": "y"}},
    "empty key": {"key": "", "value": {"x": "empty key"}},
}


@pytest.mark.parametrize("put", PUTS.values(), ids=PUTS.keys())
async def test_put_item(store: Store, sdk: LangGraphClient, root: list[str], put: dict[str, Any]) -> None:
    """What the gateway puts is what the sdk would have put: the same item, read back both ways,
    next to the sdk's own put of the same; the answer is empty, as the sdk's is None."""
    ours_ns, their_ns = [*root, "grpc", "ünï code"], [*root, "sdk", "ünï code"]
    key, rest = put["key"], {k: v for k, v in put.items() if k != "key"}
    ours, theirs = await asyncio.gather(
        store.PutItem(message(S.PutItemRequest, {"namespace": ours_ns, **put})),
        sdk.store.put_item(their_ns, key, **rest),
    )
    assert (ours, theirs) == (S.PutItemResponse(), None)
    if key == "":  # the upstream stores it, but GET /store/items refuses an empty key (below)
        return
    got = await read_both(store, sdk, ours_ns, key)
    want = await read_both(store, sdk, their_ns, key)
    assert got["value"] == put["value"]
    assert normalize.value({**got, "namespace": None}) == normalize.value({**want, "namespace": None})


@pytest.mark.parametrize("refresh_ttl", [None, True, False])
async def test_get_item(
    store: Store, sdk: LangGraphClient, root: list[str], refresh_ttl: bool | None
) -> None:
    await sdk.store.put_item(root, "k", {"v": [1, 2]}, ttl=10)
    kw = {} if refresh_ttl is None else {"refresh_ttl": refresh_ttl}
    got = await read_both(store, sdk, root, "k", **kw)
    assert got["namespace"] == root and got["value"] == {"v": [1, 2]}


async def test_get_missing_item(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    """No item (a missing key, or a namespace never used): the upstream answers null, the sdk
    None, and the gateway an answer with `item` unset."""
    await sdk.store.put_item(root, "here", {"x": 1})
    assert await read_both(store, sdk, root, "not here") is None
    assert await read_both(store, sdk, [*root, "never used"], "here") is None


# --- DeleteItem ------------------------------------------------------------------------------------


async def test_delete_item(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    """Each deletes its own item; both are gone for both; deleting it again succeeds."""
    await asyncio.gather(
        sdk.store.put_item(root, "ours", {"x": 1}), sdk.store.put_item(root, "theirs", {"x": 1})
    )
    for _ in range(2):
        ours, theirs = await asyncio.gather(
            store.DeleteItem(S.DeleteItemRequest(namespace=root, key="ours")),
            sdk.store.delete_item(root, "theirs"),
        )
        assert (ours, theirs) == (S.DeleteItemResponse(), None)
        for key in ("ours", "theirs"):
            assert await read_both(store, sdk, root, key) is None


# --- SearchItems and ListNamespaces ----------------------------------------------------------------


async def _fill(sdk: LangGraphClient, root: list[str]) -> None:
    """Items under root in several namespaces, put one after the other (search lists by last update)."""
    for labels, key, value in [
        (["a"], "one", {"kind": "x", "n": 1}),
        (["a"], "two", {"kind": "y", "n": 2}),
        (["a", "deep"], "three", {"kind": "x", "n": 3}),
        (["b", "deep"], "four", {"kind": "x", "n": 4, "tags": ["t"]}),
        (["c"], "five", {"kind": "z"}),
    ]:
        await sdk.store.put_item([*root, *labels], key, value)


# (the namespace prefix under the test's root, the rest of the request)
SEARCHES: list[tuple[list[str], dict[str, Any]]] = [
    ([], {}),
    (["a"], {}),
    (["a", "deep"], {}),
    ([], {"filter": {"kind": "x"}}),
    ([], {"filter": {"kind": "x", "n": 4}}),
    ([], {"limit": 2}),
    ([], {"limit": 2, "offset": 3}),
    ([], {"offset": 10}),
    ([], {"query": "one", "refresh_ttl": True}),
    (["no such"], {}),
]


async def test_search_items(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    await _fill(sdk, root)
    requests = [
        message(S.SearchItemsRequest, {"namespace_prefix": [*root, *under], **q}) for under, q in SEARCHES
    ]
    ours = await asyncio.gather(*(store.SearchItems(r) for r in requests))
    theirs = await asyncio.gather(*(sdk.store.search_items([*root, *under], **q) for under, q in SEARCHES))
    for query, got, want in zip(SEARCHES, ours, theirs, strict=True):
        assert [as_dict(i) for i in got.items] == [expected_item(i) for i in want["items"]], query
    assert [len(t["items"]) for t in theirs] == [5, 3, 1, 3, 1, 2, 2, 0, 5, 0]


async def test_search_items_whole_store(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    """No namespace_prefix: the whole store (the gateway still sends `namespace_prefix: []`, as
    the sdk does: the upstream fails without it)."""
    await _fill(sdk, root)
    ours, theirs = await asyncio.gather(
        store.SearchItems(message(S.SearchItemsRequest, {"filter": {"n": 4}})),
        sdk.store.search_items([], filter={"n": 4}),
    )
    assert [as_dict(i) for i in ours.items] == [expected_item(i) for i in theirs["items"]]
    assert theirs["items"]


LISTINGS: list[dict[str, Any]] = [
    {},
    {"suffix": ["deep"]},
    {"max_depth": 3},
    {"max_depth": 4, "suffix": ["deep"]},
    {"limit": 2},
    {"limit": 2, "offset": 2},
    {"offset": 10},
]


async def test_list_namespaces(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    await _fill(sdk, root)
    cases = [{**q, "prefix": root} for q in LISTINGS]
    ours = await asyncio.gather(*(store.ListNamespaces(message(S.ListNamespacesRequest, q)) for q in cases))
    theirs = await asyncio.gather(*(sdk.store.list_namespaces(**q) for q in cases))
    for query, got, want in zip(LISTINGS, ours, theirs, strict=True):
        assert [list(n.labels) for n in got.namespaces] == want["namespaces"], query
    assert [len(t["namespaces"]) for t in theirs] == [4, 2, 3, 2, 2, 2, 0]


async def test_list_namespaces_whole_store(store: Store, sdk: LangGraphClient, root: list[str]) -> None:
    await _fill(sdk, root)
    ours, theirs = await asyncio.gather(
        store.ListNamespaces(S.ListNamespacesRequest(max_depth=2)), sdk.store.list_namespaces(max_depth=2)
    )
    assert [list(n.labels) for n in ours.namespaces] == theirs["namespaces"]
    assert root in theirs["namespaces"]


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", [["a.b"], ["ok", "x.y"], ["."]], ids=str)
async def test_dotted_labels_refused_like_the_sdk(
    store: Store, sdk: LangGraphClient, namespace: list[str]
) -> None:
    """Put and get: a label with a dot is refused before any upstream call (GET /store/items
    would split it), as the sdk refuses it (ValueError)."""
    for call in (
        store.PutItem(message(S.PutItemRequest, {"namespace": namespace, "key": "k", "value": {}})),
        store.GetItem(S.GetItemRequest(namespace=namespace, key="k")),
    ):
        assert_refused(await grpc_error(call), "namespace")
    with pytest.raises(ValueError, match="cannot contain periods"):
        await sdk.store.put_item(namespace, "k", {})
    with pytest.raises(ValueError, match="cannot contain periods"):
        await sdk.store.get_item(namespace, "k")


ERRORS_AT = ["conformance", "errors"]  # nothing is ever stored here: every request fails

# name -> (StoreService method, its request, the sdk's call of the same, the upstream's status)
STORE_ERRORS: dict[str, tuple[str, dict[str, Any], Callable[[LangGraphClient], Awaitable[Any]], int]] = {
    "put in no namespace": (
        "PutItem",
        {"namespace": [], "key": "k", "value": {}},
        lambda sdk: sdk.store.put_item([], "k", {}),
        400,
    ),
    "put an empty label": (
        "PutItem",
        {"namespace": [*ERRORS_AT, ""], "key": "k", "value": {}},
        lambda sdk: sdk.store.put_item([*ERRORS_AT, ""], "k", {}),
        422,
    ),
    "put index true": (
        "PutItem",
        {"namespace": ERRORS_AT, "key": "k", "value": {}, "index": True},
        lambda sdk: sdk.store.put_item(ERRORS_AT, "k", {}, index=True),
        422,
    ),
    "put no value": (
        "PutItem",
        {"namespace": ERRORS_AT, "key": "k"},
        lambda sdk: sdk.store.put_item(ERRORS_AT, "k", None),
        422,
    ),
    "get in no namespace": (
        "GetItem",
        {"namespace": [], "key": "k"},
        lambda sdk: sdk.store.get_item([], "k"),
        422,
    ),
    "get an empty label": (
        "GetItem",
        {"namespace": [*ERRORS_AT, ""], "key": "k"},
        lambda sdk: sdk.store.get_item([*ERRORS_AT, ""], "k"),
        422,
    ),
    "get an empty key": (
        "GetItem",
        {"namespace": ERRORS_AT, "key": ""},
        lambda sdk: sdk.store.get_item(ERRORS_AT, ""),
        400,
    ),
    "delete a dotted label": (
        "DeleteItem",
        {"namespace": ["a.b"], "key": "k"},
        lambda sdk: sdk.store.delete_item(["a.b"], "k"),
        422,
    ),
    "search a dotted prefix": (
        "SearchItems",
        {"namespace_prefix": ["a.b"]},
        lambda sdk: sdk.store.search_items(["a.b"]),
        422,
    ),
    "list a dotted prefix": (
        "ListNamespaces",
        {"prefix": ["a.b"]},
        lambda sdk: sdk.store.list_namespaces(prefix=["a.b"]),
        422,
    ),
    "list an empty suffix label": (
        "ListNamespaces",
        {"suffix": ["ok", ""]},
        lambda sdk: sdk.store.list_namespaces(suffix=["ok", ""]),
        422,
    ),
}


@pytest.mark.parametrize(
    ("method", "fields", "sdk_call", "status"), STORE_ERRORS.values(), ids=STORE_ERRORS.keys()
)
async def test_store_errors(
    store: Store,
    sdk: LangGraphClient,
    method: str,
    fields: dict[str, Any],
    sdk_call: Callable[[LangGraphClient], Awaitable[Any]],
    status: int,
) -> None:
    """Refused by the upstream: the gateway's error is the sdk's (the store answers some of them
    as plain text, and GET without a key as {"error": ...}: the message is that text)."""
    request = message(getattr(S, f"{method}Request"), fields)
    ours, theirs = await asyncio.gather(grpc_error(getattr(store, method)(request)), sdk_error(sdk_call(sdk)))
    assert theirs.status_code == status, theirs
    assert_same_error(ours, theirs)


# --- the store as a graph's memory -----------------------------------------------------------------


async def test_memory_graph(runs: Runs, store: Store, sdk: LangGraphClient) -> None:
    """The `memory` graph reads the profile put with PutItem and writes each fact it is given:
    driven over gRPC (StreamRun, then WaitRun) beside the sdk driving it for another user, the
    runs agree, the node's read of the profile is in their output, and the items it wrote are
    there for GetItem and SearchItems."""
    ours_user, their_user = uuid.uuid4().hex, uuid.uuid4().hex
    ours_ns, their_ns = ["memories", ours_user], ["memories", their_user]
    profile = {"name": "Ada", "likes": ["tea", "maths"]}
    await asyncio.gather(
        store.PutItem(message(S.PutItemRequest, {"namespace": ours_ns, "key": "profile", "value": profile})),
        sdk.store.put_item(their_ns, "profile", profile),
    )

    def run_input(user: str, fact: str) -> dict[str, Any]:
        return {"user": user, "fact": fact}

    streamed, sdk_streamed = await asyncio.gather(
        collect(
            runs.StreamRun(
                message(
                    runs_pb2.StreamRunRequest,
                    {
                        "assistant_id": "memory",
                        "input": run_input(ours_user, "likes tea"),
                        "stream_mode": ["updates"],
                    },
                )
            )
        ),
        sdk_parts(
            sdk.runs.stream(None, "memory", input=run_input(their_user, "likes tea"), stream_mode="updates")
        ),
    )
    ours_events = [event_of(m)[:2] for m in streamed]
    assert normalize.events(ours_events) == normalize.events([part[:2] for part in sdk_streamed])
    assert ours_events[-1] == ("updates", {"remember": {"profile": profile, "facts": ["likes tea"]}})

    waited, sdk_waited = await asyncio.gather(
        runs.WaitRun(
            message(
                runs_pb2.WaitRunRequest, {"assistant_id": "memory", "input": run_input(ours_user, "walks")}
            )
        ),
        sdk.runs.wait(None, "memory", input=run_input(their_user, "walks")),
    )
    values = value_of(waited.values)
    assert values == {**run_input(ours_user, "walks"), "profile": profile, "facts": ["likes tea", "walks"]}
    assert {**values, "user": their_user} == sdk_waited

    first = await read_both(store, sdk, ours_ns, "fact-0")
    assert first["value"] == {"kind": "fact", "text": "likes tea"}
    ours, theirs = await asyncio.gather(
        store.SearchItems(
            message(S.SearchItemsRequest, {"namespace_prefix": ours_ns, "filter": {"kind": "fact"}})
        ),
        sdk.store.search_items(ours_ns, filter={"kind": "fact"}),
    )
    assert [as_dict(i) for i in ours.items] == [expected_item(i) for i in theirs["items"]]
    assert sorted(i.key for i in ours.items) == ["fact-0", "fact-1"]
