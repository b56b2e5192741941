"""Conformance of the assistant calls that change assistants or read their versions and subgraphs:
each answer of the gateway equals langgraph-sdk's for the same request on the same real upstream.

A call that changes an assistant is made on one of two twins (assistants the sdk created alike,
changed alike): the gateway changes one, the sdk the other, concurrently, and the answers must be
equal up to the assistant's id and timestamps (normalize.py). A call that reads is made by both
on the same assistant, and the answers must be exactly equal. Errors must be the sdk's: the same
upstream status, mapped to its gRPC code, with the upstream's message.

Every assistant a test makes is deleted when it ends: other tests expect one assistant per graph.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf import json_format
from langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import APIStatusError, NotFoundError

from . import normalize
from .sdk_errors import assert_refused, assert_same_error
from .test_conformance_workflow import as_dict, expected, expected_assistant

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Assistants = assistants_pb2_grpc.AssistantsServiceStub
AioRpcError = grpc.aio.AioRpcError
A = assistants_pb2


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def assistants(channel: grpc.aio.Channel) -> Assistants:
    return assistants_pb2_grpc.AssistantsServiceStub(channel)


@pytest_asyncio.fixture(loop_scope="session")
async def made(sdk: LangGraphClient) -> AsyncIterator[list[str]]:
    """The ids of the assistants the test makes (it appends them); deleted when it ends."""
    ids: list[str] = []
    yield ids
    for assistant_id in ids:
        with contextlib.suppress(NotFoundError):
            await sdk.assistants.delete(assistant_id)


def message(cls: type[Any], fields: dict[str, Any]) -> Any:
    return json_format.ParseDict(fields, cls())


def same_twin(ours: Any, theirs: dict[str, Any]) -> None:
    """An answer about our twin equals the sdk's about its twin, up to ids and timestamps."""
    assert normalize.value(as_dict(ours)) == normalize.value(expected_assistant(theirs))


async def twins(sdk: LangGraphClient, made: list[str], graph_id: str = "agent", **spec: Any) -> list[str]:
    """Two assistants made alike by the sdk: the gateway's and the sdk's."""
    pair = await asyncio.gather(*(sdk.assistants.create(graph_id, **spec) for _ in range(2)))
    made.extend(a["assistant_id"] for a in pair)
    return [a["assistant_id"] for a in pair]


async def outcome(call: Awaitable[Any]) -> Any:
    """The answer, or the error (gRPC or sdk) the call raised."""
    try:
        return await call
    except (AioRpcError, APIStatusError) as exc:
        return exc


def assert_same_outcome(name: str, ours: Any, theirs: Any) -> None:
    """The gateway fails exactly when the sdk does, with the sdk's error."""
    if isinstance(theirs, APIStatusError):
        assert isinstance(ours, AioRpcError), f"{name}: the sdk got {theirs!r}, the gateway {ours!r}"
        assert_same_error(ours, theirs)
    else:
        assert not isinstance(ours, AioRpcError), f"{name}: the sdk succeeded, the gateway got {ours!r}"


async def grpc_error(call: Awaitable[Any]) -> AioRpcError:
    with pytest.raises(AioRpcError) as info:
        await call
    return info.value


async def sdk_error(call: Awaitable[Any]) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        await call
    return info.value


# --- CreateAssistant -------------------------------------------------------------------------------

CREATES: dict[str, dict[str, Any]] = {
    "graph only": {"graph_id": "agent"},
    "every field": {
        "graph_id": "nested",
        "config": {"tags": ["t"], "recursion_limit": 7},
        "context": {"c": 1},
        "metadata": {"owner": "conformance", "n": 2, "nested": {"ok": True}},
        "name": "named",
        "description": "a description",
    },
    "memory graph": {"graph_id": "memory", "metadata": {"kind": "memory"}, "name": "memory twin"},
}


@pytest.mark.parametrize("spec", CREATES.values(), ids=CREATES.keys())
async def test_create_assistant(
    assistants: Assistants, sdk: LangGraphClient, made: list[str], spec: dict[str, Any]
) -> None:
    graph_id, rest = spec["graph_id"], {k: v for k, v in spec.items() if k != "graph_id"}
    ours, theirs = await asyncio.gather(
        assistants.CreateAssistant(message(A.CreateAssistantRequest, spec)),
        sdk.assistants.create(graph_id, **rest),
    )
    made.extend([ours.assistant.assistant_id, theirs["assistant_id"]])
    same_twin(ours.assistant, theirs)
    # Each one read both ways: exactly the same.
    ids = made[-2:]
    got = await asyncio.gather(*(assistants.GetAssistant(A.GetAssistantRequest(assistant_id=i)) for i in ids))
    want = await asyncio.gather(*(sdk.assistants.get(i) for i in ids))
    for g, w in zip(got, want, strict=True):
        assert as_dict(g.assistant) == expected_assistant(w)
    assert as_dict(got[0].assistant) == as_dict(ours.assistant)


async def test_create_assistant_with_id(
    assistants: Assistants, sdk: LangGraphClient, made: list[str]
) -> None:
    """A chosen id is kept; again with if_exists raise (the default) -> 409 ABORTED, as the sdk
    gets it; with do_nothing -> the existing assistant, as the sdk gets it."""
    assistant_id = str(uuid.uuid4())
    made.append(assistant_id)
    created = await assistants.CreateAssistant(
        A.CreateAssistantRequest(graph_id="agent", assistant_id=assistant_id, name="first")
    )
    assert created.assistant.assistant_id == assistant_id
    again = A.CreateAssistantRequest(graph_id="agent", assistant_id=assistant_id, name="second")
    kept_request = A.CreateAssistantRequest(
        graph_id="agent", assistant_id=assistant_id, name="second", if_exists="do_nothing"
    )
    ours, theirs, kept, sdk_kept = await asyncio.gather(
        grpc_error(assistants.CreateAssistant(again)),
        sdk_error(sdk.assistants.create("agent", assistant_id=assistant_id, name="second")),
        assistants.CreateAssistant(kept_request),
        sdk.assistants.create("agent", assistant_id=assistant_id, name="second", if_exists="do_nothing"),
    )
    assert theirs.status_code == 409
    assert_same_error(ours, theirs)
    assert as_dict(kept.assistant) == expected_assistant(sdk_kept) == as_dict(created.assistant)


CREATE_ERRORS: dict[str, tuple[dict[str, Any], int]] = {
    "unknown graph": ({"graph_id": "no-such-graph"}, 404),
    "bad if_exists": ({"graph_id": "agent", "if_exists": "sometimes"}, 422),
    "assistant_id not a UUID": ({"graph_id": "agent", "assistant_id": "not-a-uuid"}, 422),
}


@pytest.mark.parametrize(("spec", "status"), CREATE_ERRORS.values(), ids=CREATE_ERRORS.keys())
async def test_create_assistant_errors(
    assistants: Assistants, sdk: LangGraphClient, spec: dict[str, Any], status: int
) -> None:
    graph_id, rest = spec["graph_id"], {k: v for k, v in spec.items() if k != "graph_id"}
    ours, theirs = await asyncio.gather(
        grpc_error(assistants.CreateAssistant(message(A.CreateAssistantRequest, spec))),
        sdk_error(sdk.assistants.create(graph_id, **rest)),
    )
    assert theirs.status_code == status
    assert_same_error(ours, theirs)


async def test_create_assistant_without_graph(assistants: Assistants, sdk: LangGraphClient) -> None:
    """No graph_id: the sdk sends null, the gateway leaves the field out (proto3 has no null
    string); the upstream refuses both with 422 -> INVALID_ARGUMENT, each in its own words."""
    ours, theirs = await asyncio.gather(
        grpc_error(assistants.CreateAssistant(A.CreateAssistantRequest(name="no graph"))),
        sdk_error(sdk.assistants.create(None, name="no graph")),
    )
    assert theirs.status_code == 422
    assert_same_error(ours, theirs, message=False)
    assert '"graph_id" is a required property' in ours.details()


# --- UpdateAssistant, ListAssistantVersions, SetLatestAssistantVersion -----------------------------

PATCHES: list[dict[str, Any]] = [
    {"metadata": {"step": 1}},
    {
        "graph_id": "nested",
        "config": {"tags": ["u"], "recursion_limit": 9},
        "context": {"c": 2},
        "name": "renamed",
        "description": "changed",
    },
    {"metadata": {"step": 2, "more": [1, 2]}, "config": {}},
    {},
]


async def test_update_assistant(assistants: Assistants, sdk: LangGraphClient, made: list[str]) -> None:
    """Each patch in turn, on twins: every answer the same, and the twins the same after each."""
    ours_id, their_id = await twins(sdk, made, metadata={"m": 1}, name="before", description="d")
    for patch in PATCHES:
        ours, theirs = await asyncio.gather(
            assistants.UpdateAssistant(message(A.UpdateAssistantRequest, {"assistant_id": ours_id, **patch})),
            sdk.assistants.update(their_id, **patch),
        )
        same_twin(ours.assistant, theirs)
        assert as_dict(ours.assistant) == expected_assistant(await sdk.assistants.get(ours_id)), patch
    assert ours.assistant.version == len(PATCHES) + 1


async def _versioned(sdk: LangGraphClient, made: list[str], count: int = 1) -> list[str]:
    """Assistants with three versions each: metadata {"step": 0}, then 1 and 2."""
    ids = await twins(sdk, made, metadata={"step": 0}, name="v1")
    if count == 1:
        ids = ids[:1]
    for step in (1, 2):
        await asyncio.gather(
            *(sdk.assistants.update(i, metadata={"step": step}, name=f"v{step + 1}") for i in ids)
        )
    return ids


VERSION_QUERIES: list[dict[str, Any]] = [
    {},
    {"limit": 1},
    {"limit": 2, "offset": 1},
    {"metadata": {"step": 1}},
    {"metadata": {"step": 9}},  # no version: the upstream says 404
    {"offset": 5},  # past the last: 404 too
    {"limit": 1001},  # over the upstream's maximum: 422
]


async def test_list_assistant_versions(assistants: Assistants, sdk: LangGraphClient, made: list[str]) -> None:
    [assistant_id] = await _versioned(sdk, made)
    requests = [
        message(A.ListAssistantVersionsRequest, {"assistant_id": assistant_id, **q}) for q in VERSION_QUERIES
    ]
    ours = await asyncio.gather(*(outcome(assistants.ListAssistantVersions(r)) for r in requests))
    theirs = await asyncio.gather(
        *(outcome(sdk.assistants.get_versions(assistant_id, **q)) for q in VERSION_QUERIES)
    )
    for query, got, want in zip(VERSION_QUERIES, ours, theirs, strict=True):
        assert_same_outcome(str(query), got, want)
        if not isinstance(want, APIStatusError):
            assert want, query
            assert [as_dict(v) for v in got.versions] == [
                expected(v, A.AssistantVersion.DESCRIPTOR) for v in want
            ], query
    statuses = [getattr(t, "status_code", 200) for t in theirs]
    assert statuses == [200, 200, 200, 200, 404, 404, 422]
    assert [v.version for v in ours[0].versions] == [3, 2, 1]


async def test_set_latest_assistant_version(
    assistants: Assistants, sdk: LangGraphClient, made: list[str]
) -> None:
    """Back to version 1, on to 3 again, then versions the assistant does not have (404)."""
    ours_id, their_id = await _versioned(sdk, made, count=2)
    for version in (1, 3):
        ours, theirs = await asyncio.gather(
            assistants.SetLatestAssistantVersion(
                A.SetLatestAssistantVersionRequest(assistant_id=ours_id, version=version)
            ),
            sdk.assistants.set_latest(their_id, version),
        )
        same_twin(ours.assistant, theirs)
        assert ours.assistant.version == version
        assert as_dict(ours.assistant) == expected_assistant(await sdk.assistants.get(ours_id))
    for version in (0, 99):
        got, want = await asyncio.gather(
            grpc_error(
                assistants.SetLatestAssistantVersion(
                    A.SetLatestAssistantVersionRequest(assistant_id=ours_id, version=version)
                )
            ),
            sdk_error(sdk.assistants.set_latest(ours_id, version)),
        )
        assert want.status_code == 404
        assert_same_error(got, want)


# --- CountAssistants -------------------------------------------------------------------------------

COUNT_QUERIES: list[dict[str, Any]] = [
    {},
    {"graph_id": "agent"},
    {"name": "NEST"},  # a case-insensitive substring of the names
    {"metadata": {"created_by": "system"}},
    {"graph_id": "memory", "metadata": {"created_by": "system"}},
    {"graph_id": "agent", "name": "no assistant has this name"},
]


async def test_count_assistants(assistants: Assistants, sdk: LangGraphClient, made: list[str]) -> None:
    await twins(sdk, made, name="counted nest")
    requests = [message(A.CountAssistantsRequest, q) for q in COUNT_QUERIES]
    ours = await asyncio.gather(*(assistants.CountAssistants(r) for r in requests))
    theirs = await asyncio.gather(*(sdk.assistants.count(**q) for q in COUNT_QUERIES))
    assert [o.count for o in ours] == theirs
    assert theirs[2] >= 3 and theirs[4] == 1 and theirs[5] == 0


# --- DeleteAssistant -------------------------------------------------------------------------------


@pytest.mark.parametrize("delete_threads", [False, True])
async def test_delete_assistant(
    assistants: Assistants, sdk: LangGraphClient, made: list[str], delete_threads: bool
) -> None:
    """Each twin deleted with a thread it ran on (a run sets the thread's metadata.assistant_id,
    which the upstream keeps to itself); with delete_threads the thread goes too. Then the twin is
    gone for both (404 NOT_FOUND), and a second delete fails as the sdk's does."""
    ours_id, their_id = await twins(sdk, made)
    thread_ids = [t["thread_id"] for t in await asyncio.gather(sdk.threads.create(), sdk.threads.create())]
    hi = {"messages": [{"role": "user", "content": "hi"}]}
    await asyncio.gather(
        *(sdk.runs.wait(t, a, input=hi) for t, a in zip(thread_ids, (ours_id, their_id), strict=True))
    )
    ours, theirs = await asyncio.gather(
        assistants.DeleteAssistant(
            A.DeleteAssistantRequest(assistant_id=ours_id, delete_threads=delete_threads)
        ),
        sdk.assistants.delete(their_id, delete_threads=delete_threads),
    )
    assert (ours, theirs) == (A.DeleteAssistantResponse(), None)
    for assistant_id in (ours_id, their_id):
        got, want = await asyncio.gather(
            grpc_error(assistants.GetAssistant(A.GetAssistantRequest(assistant_id=assistant_id))),
            sdk_error(sdk.assistants.get(assistant_id)),
        )
        assert want.status_code == 404
        assert_same_error(got, want)
    threads = await asyncio.gather(*(outcome(sdk.threads.get(t)) for t in thread_ids))
    gone = [isinstance(t, NotFoundError) for t in threads]
    assert gone == [delete_threads, delete_threads]
    got, want = await asyncio.gather(
        grpc_error(assistants.DeleteAssistant(A.DeleteAssistantRequest(assistant_id=ours_id))),
        sdk_error(sdk.assistants.delete(ours_id)),
    )
    assert want.status_code == 404
    assert_same_error(got, want)


# --- GetAssistantSubgraphs -------------------------------------------------------------------------

# (graph, namespace, recurse) -> the namespaces the upstream answers.
SUBGRAPHS: list[tuple[str, str | None, bool, list[str]]] = [
    ("agent", None, False, []),
    ("nested", None, False, ["inner"]),
    ("nested", None, True, ["inner"]),
    ("nested", "inner", False, ["inner"]),
    ("deep", None, False, ["outer"]),
    ("deep", None, True, ["outer", "outer|inner"]),
    ("deep", "outer", False, ["outer"]),
    ("deep", "outer|inner", True, ["outer|inner"]),
    ("deep", "outer|inner", False, []),  # a nested namespace needs recurse
    ("deep", "no such node", True, []),
    ("deep", "50% & ?#", True, []),
]


@pytest.mark.parametrize(("graph_id", "namespace", "recurse", "names"), SUBGRAPHS, ids=str)
async def test_get_assistant_subgraphs(
    assistants: Assistants,
    sdk: LangGraphClient,
    graph_id: str,
    namespace: str | None,
    recurse: bool,
    names: list[str],
) -> None:
    [assistant] = await sdk.assistants.search(graph_id=graph_id, metadata={"created_by": "system"})
    aid = assistant["assistant_id"]
    request = A.GetAssistantSubgraphsRequest(assistant_id=aid, namespace=namespace or "", recurse=recurse)
    ours, theirs = await asyncio.gather(
        assistants.GetAssistantSubgraphs(request),
        sdk.assistants.get_subgraphs(aid, namespace=namespace, recurse=recurse),
    )
    assert list(theirs) == names
    want = {name: expected(schemas, A.GraphSchemas.DESCRIPTOR) for name, schemas in theirs.items()}
    assert as_dict(ours).get("subgraphs", {}) == want
    assert all(s["state_schema"] for s in want.values())


# --- errors ----------------------------------------------------------------------------------------

Call = tuple[str, Callable[[str], Awaitable[Any]], Callable[[str], Awaitable[Any]]]


def id_calls(assistants: Assistants, sdk: LangGraphClient) -> list[Call]:
    """Each new call that names an assistant, through the gateway and through the sdk."""
    return [
        (
            "UpdateAssistant",
            lambda i: assistants.UpdateAssistant(A.UpdateAssistantRequest(assistant_id=i, name="x")),
            lambda i: sdk.assistants.update(i, name="x"),
        ),
        (
            "DeleteAssistant",
            lambda i: assistants.DeleteAssistant(A.DeleteAssistantRequest(assistant_id=i)),
            lambda i: sdk.assistants.delete(i),
        ),
        (
            "ListAssistantVersions",
            lambda i: assistants.ListAssistantVersions(A.ListAssistantVersionsRequest(assistant_id=i)),
            lambda i: sdk.assistants.get_versions(i),
        ),
        (
            "SetLatestAssistantVersion",
            lambda i: assistants.SetLatestAssistantVersion(
                A.SetLatestAssistantVersionRequest(assistant_id=i, version=1)
            ),
            lambda i: sdk.assistants.set_latest(i, 1),
        ),
        (
            "GetAssistantSubgraphs",
            lambda i: assistants.GetAssistantSubgraphs(A.GetAssistantSubgraphsRequest(assistant_id=i)),
            lambda i: sdk.assistants.get_subgraphs(i),
        ),
        (
            "GetAssistantSubgraphs namespace",
            lambda i: assistants.GetAssistantSubgraphs(
                A.GetAssistantSubgraphsRequest(assistant_id=i, namespace="inner", recurse=True)
            ),
            lambda i: sdk.assistants.get_subgraphs(i, namespace="inner", recurse=True),
        ),
    ]


@pytest.mark.parametrize(
    ("assistant_id", "status"),
    [("not-a-uuid", 422), (str(uuid.uuid4()), 404), ("agent", 422)],
    ids=["not a UUID", "unknown UUID", "graph name"],
)
async def test_assistant_id_errors(
    assistants: Assistants, sdk: LangGraphClient, assistant_id: str, status: int
) -> None:
    calls = id_calls(assistants, sdk)
    ours = await asyncio.gather(*(outcome(g(assistant_id)) for _, g, _ in calls))
    theirs = await asyncio.gather(*(outcome(s(assistant_id)) for _, _, s in calls))
    for (name, _, _), got, want in zip(calls, ours, theirs, strict=True):
        assert isinstance(want, APIStatusError) and want.status_code == status, (name, want)
        assert_same_outcome(name, got, want)


HOSTILE_IDS = ["../x", "a/b", ".hidden", "%2e%2e", "x?y=1", "x" * 200]


@pytest.mark.parametrize("bad", HOSTILE_IDS)
async def test_hostile_ids_refused(assistants: Assistants, sdk: LangGraphClient, bad: str) -> None:
    """Ids that could walk to another endpoint are refused by the gateway itself, on every new
    call, naming the field (CreateAssistant too: the id would go into paths later)."""
    calls = [g(bad) for _, g, _ in id_calls(assistants, sdk)]
    calls.append(assistants.CreateAssistant(A.CreateAssistantRequest(graph_id="agent", assistant_id=bad)))
    for error in await asyncio.gather(*(grpc_error(c) for c in calls)):
        assert_refused(error, "assistant_id")


@pytest.mark.parametrize("bad", ["a/b", "/", "..", ".", ".hidden", "a\\b", "a\nb", "tab\there"])
async def test_hostile_subgraph_namespace_refused(assistants: Assistants, bad: str) -> None:
    """A namespace that could leave its path segment once decoded is refused, naming the field."""
    request = A.GetAssistantSubgraphsRequest(assistant_id=str(uuid.uuid4()), namespace=bad)
    assert_refused(await grpc_error(assistants.GetAssistantSubgraphs(request)), "namespace")
