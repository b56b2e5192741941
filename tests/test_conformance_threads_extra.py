"""Conformance of the rest of langgraph-sdk's client.threads: state updates and reads at a checkpoint,
update, count, copy, prune, supersteps, include/extract/select, history's `before` forms, and the
thread's own stream (JoinThreadStream).

Every call is compared with langgraph-sdk's answer to the same request on the same real upstream,
as in test_conformance_workflow.py (whose helpers these tests share): the same resource read both
ways must be equal; two resources made by the same request are equal once ids and timestamps are
normalised; an error is the upstream's status mapped to its gRPC code, with its detail. Thread
streams never end by themselves: each read stops at an event the test knows will come (a run's
`run_done`, an event of a run that ticks until the test opens its gate, a state update).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import resources_pb2, runs_pb2, threads_pb2, threads_pb2_grpc
from langgraph_sdk.client import LangGraphClient

from . import normalize
from .gates import gate
from .status_details import error_info
from .test_conformance_workflow import (
    HOSTILE_IDS,
    JSON_FORMAT,
    UNKNOWN,
    Call,
    Event,
    HTTPError,
    Runs,
    as_dict,
    assert_mapped,
    assert_refused,
    event_of,
    expected,
    expected_state,
    expected_thread,
    grpc_error,
    new_thread,
    raw_event_of,
    same_outcomes,
    sdk_error,
    sdk_event,
    user,
    wait_status,
)

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Threads = threads_pb2_grpc.ThreadsServiceStub
StatusCode = grpc.StatusCode
# Keys the upstream's state-update answer carries beyond `checkpoint`: deprecated copies of it.
DEPRECATED_UPDATE_KEYS = ("configurable", "checkpoint_id")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def threads(channel: grpc.aio.Channel) -> Threads:
    return threads_pb2_grpc.ThreadsServiceStub(channel)


def message(cls: type[Any], **fields: Any) -> Any:
    """A request message from JSON-like fields (Struct, Value and nested messages included)."""
    return json_format.ParseDict(fields, cls())


def expected_update(answer: dict[str, Any]) -> dict[str, Any]:
    """The sdk's update_state answer as UpdateThreadStateResponse holds it: the deprecated copies
    checked to be copies, then left out."""
    answer = dict(answer)
    assert answer.pop("configurable") == answer["checkpoint"]
    assert answer.pop("checkpoint_id") == answer["checkpoint"]["checkpoint_id"]
    return expected(answer, threads_pb2.UpdateThreadStateResponse.DESCRIPTOR)


async def graph_threads(sdk: LangGraphClient, count: int, **kwargs: Any) -> list[str]:
    """Threads whose metadata names graph `agent` (a state update needs a graph)."""
    return list(await asyncio.gather(*(new_thread(sdk, graph_id="agent", **kwargs) for _ in range(count))))


# --- state: update, and read at a checkpoint -------------------------------------------------------


async def test_update_thread_state(threads: Threads, sdk: LangGraphClient) -> None:
    """UpdateThreadState as langgraph-sdk's update_state: on the latest checkpoint, as a node, then
    on an earlier checkpoint (a fork) given in full and by id."""
    ours, theirs = await graph_threads(sdk, 2)
    values = {"count": 5, "messages": [{"role": "user", "content": "edited"}]}
    got, want = await asyncio.gather(
        threads.UpdateThreadState(
            message(threads_pb2.UpdateThreadStateRequest, thread_id=ours, values=values, as_node="post")
        ),
        sdk.threads.update_state(theirs, values, as_node="post"),
    )
    assert normalize.value(as_dict(got)) == normalize.value(expected_update(want))
    assert got.checkpoint.thread_id == ours and got.checkpoint.checkpoint_id
    first_ours, first_theirs = got.checkpoint, want["checkpoint"]

    # A second update, then one forked from the first checkpoint: in full, and by its id.
    await asyncio.gather(
        threads.UpdateThreadState(
            message(threads_pb2.UpdateThreadStateRequest, thread_id=ours, values={"count": 9})
        ),
        sdk.threads.update_state(theirs, {"count": 9}),
    )
    forks = await asyncio.gather(
        threads.UpdateThreadState(
            message(
                threads_pb2.UpdateThreadStateRequest,
                thread_id=ours,
                values={"count": 6},
                checkpoint=as_dict(first_ours),
            )
        ),
        sdk.threads.update_state(theirs, {"count": 6}, checkpoint=first_theirs),
        threads.UpdateThreadState(
            message(
                threads_pb2.UpdateThreadStateRequest,
                thread_id=ours,
                values={"count": 7},
                checkpoint_id=first_ours.checkpoint_id,
            )
        ),
        sdk.threads.update_state(theirs, {"count": 7}, checkpoint_id=first_theirs["checkpoint_id"]),
    )
    assert normalize.value(as_dict(forks[0])) == normalize.value(expected_update(forks[1]))
    assert normalize.value(as_dict(forks[2])) == normalize.value(expected_update(forks[3]))

    # The histories, read both ways: the same states, the forks' parents the first checkpoint.
    got_history, want_history = await asyncio.gather(
        threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=ours, limit=10)),
        sdk.threads.get_history(ours, limit=10),
    )
    assert [as_dict(s) for s in got_history.states] == [expected_state(s) for s in want_history]
    assert [s["values"]["count"] for s in want_history] == [7, 6, 9, 5]
    assert want_history[0]["parent_checkpoint"]["checkpoint_id"] == first_ours.checkpoint_id


async def test_get_thread_state_at_checkpoint(threads: Threads, sdk: LangGraphClient) -> None:
    """GetThreadState where langgraph-sdk's get_state goes: the latest, at a checkpoint id
    (GET .../state/{id}), at a Checkpoint (POST .../state/checkpoint, which wins over the id),
    with subgraphs and select; the same thread read both ways, exactly."""
    thread_id = await new_thread(sdk)
    await sdk.runs.wait(thread_id, "nested", input=user("INTERRUPT here"))
    first = (await sdk.threads.update_state(thread_id, {"count": 3}))["checkpoint"]
    await sdk.threads.update_state(thread_id, {"count": 4})
    cid = first["checkpoint_id"]
    checkpoint = json_format.ParseDict(first, resources_pb2.Checkpoint())
    other = json_format.ParseDict({"checkpoint_id": UNKNOWN}, resources_pb2.Checkpoint())
    cases: list[tuple[threads_pb2.GetThreadStateRequest, Any]] = [
        (threads_pb2.GetThreadStateRequest(thread_id=thread_id), sdk.threads.get_state(thread_id)),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint_id=cid),
            sdk.threads.get_state(thread_id, checkpoint_id=cid),
        ),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint_id=cid, subgraphs=True),
            sdk.threads.get_state(thread_id, checkpoint_id=cid, subgraphs=True),
        ),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint=checkpoint),
            sdk.threads.get_state(thread_id, checkpoint=first),
        ),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint=checkpoint, subgraphs=True),
            sdk.threads.get_state(thread_id, checkpoint=first, subgraphs=True),
        ),
        (  # both: the checkpoint wins, as in the sdk
            threads_pb2.GetThreadStateRequest(
                thread_id=thread_id, checkpoint=checkpoint, checkpoint_id=UNKNOWN
            ),
            sdk.threads.get_state(thread_id, checkpoint=first, checkpoint_id=UNKNOWN),
        ),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, select=["values", "next"]),
            sdk.threads.get_state(thread_id, select=["values", "next"]),
        ),
        (
            threads_pb2.GetThreadStateRequest(
                thread_id=thread_id, checkpoint_id=cid, select=["values.count"]
            ),
            sdk.threads.get_state(thread_id, checkpoint_id=cid, select=["values.count"]),
        ),
        # A checkpoint the thread does not have: the upstream answers an empty state, both ways.
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint_id=UNKNOWN),
            sdk.threads.get_state(thread_id, checkpoint_id=UNKNOWN),
        ),
        (
            threads_pb2.GetThreadStateRequest(thread_id=thread_id, checkpoint=other),
            sdk.threads.get_state(thread_id, checkpoint={"checkpoint_id": UNKNOWN}),
        ),
    ]
    got = await asyncio.gather(*(threads.GetThreadState(request) for request, _ in cases))
    want = await asyncio.gather(*(call for _, call in cases))
    for (request, _), answer, state in zip(cases, got, want, strict=True):
        assert as_dict(answer.state) == expected_state(state), request
    assert [s["values"].get("count") for s in want[:6]] == [4, 3, 3, 3, 3, 3]
    assert want[2]["tasks"] and want[2]["tasks"][0]["state"]  # subgraphs: the inner graph's state
    assert want[-1]["values"] == {} == want[-2]["values"]


async def test_state_errors(threads: Threads, sdk: LangGraphClient) -> None:
    """Each state call fails exactly when the sdk's does: a thread with no graph (400), unknown
    (404) and malformed (422) threads."""
    bare = await new_thread(sdk)  # no graph_id: nothing to update the state with
    calls: list[Call] = []
    for thread_id in (bare, UNKNOWN, "not-a-uuid"):
        calls += state_calls(threads, sdk, thread_id)
    _, theirs = await same_outcomes(calls)
    statuses = [getattr(t, "status_code", None) for t in theirs]
    assert statuses[:1] == [400] and 404 in statuses and 422 in statuses, statuses


def state_calls(threads: Threads, sdk: LangGraphClient, thread_id: str) -> list[Call]:
    t = thread_id
    update = message(threads_pb2.UpdateThreadStateRequest, thread_id=t, values={"count": 1}, as_node="post")
    checkpoint = resources_pb2.Checkpoint(checkpoint_id=UNKNOWN)
    return [
        (
            f"UpdateThreadState({t})",
            lambda: threads.UpdateThreadState(update),
            lambda: sdk.threads.update_state(t, {"count": 1}, as_node="post"),
        ),
        (
            f"GetThreadState(checkpoint_id, {t})",
            lambda: threads.GetThreadState(
                threads_pb2.GetThreadStateRequest(thread_id=t, checkpoint_id=UNKNOWN)
            ),
            lambda: sdk.threads.get_state(t, checkpoint_id=UNKNOWN),
        ),
        (
            f"GetThreadState(checkpoint, {t})",
            lambda: threads.GetThreadState(
                threads_pb2.GetThreadStateRequest(thread_id=t, checkpoint=checkpoint)
            ),
            lambda: sdk.threads.get_state(t, checkpoint={"checkpoint_id": UNKNOWN}),
        ),
    ]


async def test_update_state_of_busy_thread(threads: Threads, runs: Runs, sdk: LangGraphClient) -> None:
    """A thread with a run in flight refuses state updates: 409, ABORTED, both ways."""
    [thread_id] = await graph_threads(sdk, 1)
    async with gate(sdk) as name:
        await sdk.runs.create(thread_id, "agent", input=user(f"WAIT {name}"))
        ours, theirs = await asyncio.gather(
            grpc_error(
                threads.UpdateThreadState(
                    message(threads_pb2.UpdateThreadStateRequest, thread_id=thread_id, values={"count": 1})
                )
            ),
            sdk_error(sdk.threads.update_state(thread_id, {"count": 1})),
        )
    assert_mapped(ours, theirs, 409)
    assert ours.code() == StatusCode.ABORTED


# --- update, include, count, copy, prune -----------------------------------------------------------


async def test_update_thread(threads: Threads, sdk: LangGraphClient) -> None:
    ours, theirs = await asyncio.gather(
        new_thread(sdk, metadata={"a": 1}), new_thread(sdk, metadata={"a": 1})
    )
    metadata = {"b": {"nested": [1, 2]}, "a": 2}
    ttl = {"strategy": "delete", "ttl": 30}
    got, want = await asyncio.gather(
        threads.UpdateThread(
            message(threads_pb2.UpdateThreadRequest, thread_id=ours, metadata=metadata, ttl=ttl)
        ),
        sdk.threads.update(theirs, metadata=metadata, ttl=ttl),
    )
    assert normalize.value(as_dict(got.thread)) == normalize.value(expected_thread(want))
    assert want["metadata"] == {"a": 2, "b": {"nested": [1, 2]}}
    # Read again both ways, with include=ttl: the same thread, exactly.
    read = await asyncio.gather(
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=ours, include=["ttl"])),
        sdk.threads.get(ours, include=["ttl"]),
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=ours)),
        sdk.threads.get(ours),
    )
    assert as_dict(read[0].thread) == expected_thread(read[1])
    assert as_dict(read[2].thread) == expected_thread(read[3])

    # return_minimal: no thread in the answer (the upstream's 204), the update made all the same.
    minimal, their_minimal = await asyncio.gather(
        threads.UpdateThread(
            message(threads_pb2.UpdateThreadRequest, thread_id=ours, metadata={"c": 3}, return_minimal=True)
        ),
        sdk.threads.update(theirs, metadata={"c": 3}, return_minimal=True),
    )
    assert not minimal.HasField("thread") and their_minimal is None
    after = await asyncio.gather(sdk.threads.get(ours), sdk.threads.get(theirs))
    assert [t["metadata"]["c"] for t in after] == [3, 3]

    t = UNKNOWN
    _, errors = await same_outcomes(
        [
            (
                f"UpdateThread({t})",
                lambda: threads.UpdateThread(
                    message(threads_pb2.UpdateThreadRequest, thread_id=t, metadata={})
                ),
                lambda: sdk.threads.update(t, metadata={}),
            ),
            (
                "UpdateThread(not-a-uuid)",
                lambda: threads.UpdateThread(threads_pb2.UpdateThreadRequest(thread_id="not-a-uuid")),
                lambda: sdk.threads.update("not-a-uuid", metadata={}),
            ),
            (
                "GetThread(include, not-a-uuid)",
                lambda: threads.GetThread(
                    threads_pb2.GetThreadRequest(thread_id="not-a-uuid", include=["ttl"])
                ),
                lambda: sdk.threads.get("not-a-uuid", include=["ttl"]),
            ),
        ]
    )
    assert [e.status_code for e in errors] == [404, 422, 422]


async def test_count_threads(threads: Threads, sdk: LangGraphClient) -> None:
    """CountThreads as the sdk's count: metadata and status filters; a values filter fails exactly
    when the sdk's does (langgraph-api 0.16.7's in-memory server answers it with a 500)."""
    tag = str(uuid.uuid4())
    made = await graph_threads(sdk, 3, metadata={"tag": tag})
    await sdk.threads.update_state(made[0], {"count": 17})
    queries: list[dict[str, Any]] = [
        {"metadata": {"tag": tag}},
        {"metadata": {"tag": tag}, "status": "idle"},
        {"metadata": {"tag": tag}, "status": "busy"},
        {"metadata": {"tag": tag, "graph_id": "agent"}},
    ]
    got = await asyncio.gather(
        *(threads.CountThreads(message(threads_pb2.CountThreadsRequest, **q)) for q in queries)
    )
    want = await asyncio.gather(*(sdk.threads.count(**q) for q in queries))
    assert [g.count for g in got] == want
    assert want[0] == want[3] == 3 and want[2] == 0
    everything = {"metadata": {"tag": tag}, "values": {"count": 17}}
    ours, theirs = await same_outcomes(
        [
            (
                "CountThreads(values)",
                lambda: threads.CountThreads(message(threads_pb2.CountThreadsRequest, **everything)),
                lambda: sdk.threads.count(**everything),
            ),
            (
                "CountThreads(status=bogus)",
                lambda: threads.CountThreads(threads_pb2.CountThreadsRequest(status="bogus")),
                lambda: sdk.threads.count(status="bogus"),  # type: ignore[arg-type]
            ),
        ]
    )
    if not isinstance(theirs[0], HTTPError):
        assert ours[0].count == theirs[0] == 1
    assert getattr(theirs[1], "status_code", None) == 422


async def test_copy_thread(threads: Threads, sdk: LangGraphClient) -> None:
    """CopyThread and the sdk's copy of the same thread: two equal copies (their own ids), with
    the original's state; unknown thread -> 409 ABORTED, malformed -> 400."""
    [thread_id] = await graph_threads(sdk, 1, metadata={"copied": True})
    await sdk.threads.update_state(thread_id, {"count": 8}, as_node="post")
    got, want = await asyncio.gather(
        threads.CopyThread(threads_pb2.CopyThreadRequest(thread_id=thread_id)), sdk.threads.copy(thread_id)
    )
    assert normalize.value(as_dict(got.thread)) == normalize.value(expected_thread(want))
    copy = got.thread.thread_id
    assert copy not in (thread_id, want["thread_id"])
    original, copied, their_copy = await asyncio.gather(
        sdk.threads.get_state(thread_id),
        sdk.threads.get_state(copy),
        sdk.threads.get_state(want["thread_id"]),
    )
    assert copied["values"] == original["values"] == their_copy["values"] == {"messages": [], "count": 8}

    _, errors = await same_outcomes(
        [
            (
                f"CopyThread({t})",
                lambda t=t: threads.CopyThread(threads_pb2.CopyThreadRequest(thread_id=t)),
                lambda t=t: sdk.threads.copy(t),
            )
            for t in (UNKNOWN, "not-a-uuid")
        ]
    )
    assert [e.status_code for e in errors] == [409, 400]


async def test_prune_threads(threads: Threads, sdk: LangGraphClient) -> None:
    made = await asyncio.gather(*(new_thread(sdk) for _ in range(4)))
    got, want = await asyncio.gather(
        threads.PruneThreads(threads_pb2.PruneThreadsRequest(thread_ids=made[:2])),
        sdk.threads.prune(made[2:]),
    )
    assert as_dict(got) == want == {"pruned_count": 2}
    gone = await grpc_error(threads.GetThread(threads_pb2.GetThreadRequest(thread_id=made[0])))
    assert gone.code() == StatusCode.NOT_FOUND

    # An empty list (always sent, as the sdk sends it) and ids no thread has: nothing pruned.
    outcomes, answers = await same_outcomes(
        [
            (
                "PruneThreads([])",
                lambda: threads.PruneThreads(threads_pb2.PruneThreadsRequest()),
                lambda: sdk.threads.prune([]),
            ),
            (
                "PruneThreads(unknown)",
                lambda: threads.PruneThreads(threads_pb2.PruneThreadsRequest(thread_ids=[UNKNOWN])),
                lambda: sdk.threads.prune([UNKNOWN]),
            ),
            (
                "PruneThreads(not-a-uuid)",
                lambda: threads.PruneThreads(threads_pb2.PruneThreadsRequest(thread_ids=["not-a-uuid"])),
                lambda: sdk.threads.prune(["not-a-uuid"]),
            ),
            (  # the in-memory server has no keep_latest: 422, both ways
                "PruneThreads(keep_latest)",
                lambda: threads.PruneThreads(
                    threads_pb2.PruneThreadsRequest(thread_ids=[made[2]], strategy="keep_latest")
                ),
                lambda: sdk.threads.prune([made[2]], strategy="keep_latest"),
            ),
        ]
    )
    assert [o.pruned_count for o in outcomes[:2]] == [a["pruned_count"] for a in answers[:2]] == [0, 0]
    assert [getattr(a, "status_code", None) for a in answers[2:]] == [422, 422]


# --- create with supersteps; search with extract; history's before and select ---------------------


async def test_create_thread_with_supersteps(threads: Threads, sdk: LangGraphClient) -> None:
    # (A `command` in an update is sent as given, but langgraph-api 0.16.7 fails on one: 500.)
    supersteps = [
        {"updates": [{"values": {"count": 1}, "as_node": "post"}]},
        {
            "updates": [
                {"values": {"messages": [{"role": "user", "content": "x"}]}, "as_node": "echo"},
                {"values": {"count": 5}, "as_node": "post"},
            ]
        },
    ]
    got, want = await asyncio.gather(
        threads.CreateThread(
            message(threads_pb2.CreateThreadRequest, metadata={"graph_id": "agent"}, supersteps=supersteps)
        ),
        sdk.threads.create(graph_id="agent", supersteps=supersteps),  # type: ignore[arg-type]
    )
    assert normalize.value(as_dict(got.thread)) == normalize.value(expected_thread(want))
    ours, theirs = await asyncio.gather(
        sdk.threads.get_history(got.thread.thread_id), sdk.threads.get_history(want["thread_id"])
    )
    assert normalize.value(ours) == normalize.value(theirs)
    assert ours[0]["values"]["count"] == 5

    # Refused both ways: no as_node (422), a node the graph lacks (400).
    bad = [
        [{"updates": [{"values": {"count": 1}}]}],
        [{"updates": [{"values": {"count": 1}, "as_node": "nope"}]}],
    ]
    _, errors = await same_outcomes(
        [
            (
                f"CreateThread(supersteps={steps})",
                lambda steps=steps: threads.CreateThread(
                    message(threads_pb2.CreateThreadRequest, metadata={"graph_id": "agent"}, supersteps=steps)
                ),
                lambda steps=steps: sdk.http.post(
                    "/threads", json={"metadata": {"graph_id": "agent"}, "supersteps": steps}
                ),
            )
            for steps in bad
        ]
    )
    assert [e.status_code for e in errors] == [422, 400]


async def test_create_thread_supersteps_without_graph(threads: Threads, sdk: LangGraphClient) -> None:
    """Supersteps on a thread whose metadata names no graph: the upstream makes the thread, then
    answers 201 {"detail": ...}, which the sdk hands back as if it were the thread. The gateway
    reports it: FAILED_PRECONDITION, the upstream's detail (naming the thread made) as message."""
    steps = [{"updates": [{"values": {"count": 1}, "as_node": "post"}]}]
    ours, theirs = await asyncio.gather(
        grpc_error(threads.CreateThread(message(threads_pb2.CreateThreadRequest, supersteps=steps))),
        sdk.threads.create(supersteps=steps),  # type: ignore[arg-type]
    )
    assert set(theirs) == {"detail"}
    assert ours.code() == StatusCode.FAILED_PRECONDITION
    assert normalize.value(ours.details()) == normalize.value(theirs["detail"])
    assert "was created, but there were problems updating the state" in ours.details()
    assert error_info(ours).reason == "UPSTREAM_PARTLY_DONE"


async def test_search_threads_extract(threads: Threads, sdk: LangGraphClient) -> None:
    tag = str(uuid.uuid4())
    made = await graph_threads(sdk, 2, metadata={"tag": tag})
    await asyncio.gather(*(sdk.threads.update_state(t, {"count": i + 3}) for i, t in enumerate(made)))
    searches: list[dict[str, Any]] = [
        {"metadata": {"tag": tag}, "extract": {"n": "values.count", "g": "metadata.graph_id"}},
        {
            "metadata": {"tag": tag},
            "extract": {"n": "values.count"},
            "select": ["thread_id"],
            "sort_by": "created_at",
        },
        {"ids": made, "extract": {"missing": "values.nothing"}},
    ]
    got = await asyncio.gather(
        *(threads.SearchThreads(message(threads_pb2.SearchThreadsRequest, **q)) for q in searches)
    )
    want = await asyncio.gather(*(sdk.threads.search(**q) for q in searches))
    for query, answer, found in zip(searches, got, want, strict=True):
        assert found, query
        assert [as_dict(t) for t in answer.threads] == [expected_thread(t) for t in found], query
    assert sorted(t["extracted"]["n"] for t in want[0]) == [3, 4]
    _, errors = await same_outcomes(
        [
            (
                "SearchThreads(extract=bogus)",
                lambda: threads.SearchThreads(
                    message(threads_pb2.SearchThreadsRequest, extract={"x": "bogus.path"})
                ),
                lambda: sdk.threads.search(extract={"x": "bogus.path"}),
            )
        ]
    )
    assert errors[0].status_code == 422


async def test_history_before_and_select(threads: Threads, sdk: LangGraphClient) -> None:
    """`before` as a checkpoint id (before_checkpoint_id), as the sdk takes it: the gateway sends
    what the sdk sends and fails exactly when it does (langgraph-api 0.16.7 refuses the string
    form with a 422); with both forms set the gateway refuses the request itself. select passes."""
    [thread_id] = await graph_threads(sdk, 1)
    for count in (1, 2, 3):
        await sdk.threads.update_state(thread_id, {"count": count})
    history = await sdk.threads.get_history(thread_id, limit=10)
    middle = history[1]["checkpoint"]
    ours, theirs = await same_outcomes(
        [
            (
                "GetThreadHistory(before_checkpoint_id)",
                lambda: threads.GetThreadHistory(
                    threads_pb2.GetThreadHistoryRequest(
                        thread_id=thread_id, limit=10, before_checkpoint_id=middle["checkpoint_id"]
                    )
                ),
                lambda: sdk.threads.get_history(thread_id, before=middle["checkpoint_id"]),
            ),
            (
                "GetThreadHistory(select)",
                lambda: threads.GetThreadHistory(
                    threads_pb2.GetThreadHistoryRequest(thread_id=thread_id, limit=10, select=["values"])
                ),
                lambda: sdk.threads.get_history(thread_id, select=["values"]),
            ),
        ]
    )
    for got, want in zip(ours, theirs, strict=True):
        if not isinstance(want, HTTPError):
            assert [as_dict(s) for s in got.states] == [expected_state(s) for s in want]
    both = threads_pb2.GetThreadHistoryRequest(
        thread_id=thread_id,
        before=json_format.ParseDict(middle, resources_pb2.Checkpoint()),
        before_checkpoint_id=middle["checkpoint_id"],
    )
    assert_refused(await grpc_error(threads.GetThreadHistory(both)), "before_checkpoint_id")


# --- refused before any upstream call -------------------------------------------------------------


@pytest.mark.parametrize("bad", HOSTILE_IDS)
async def test_hostile_ids_refused(threads: Threads, bad: str) -> None:
    good = UNKNOWN
    calls: list[tuple[str, Any]] = [
        ("thread_id", threads.UpdateThreadState(threads_pb2.UpdateThreadStateRequest(thread_id=bad))),
        ("thread_id", threads.UpdateThread(threads_pb2.UpdateThreadRequest(thread_id=bad))),
        ("thread_id", threads.CopyThread(threads_pb2.CopyThreadRequest(thread_id=bad))),
        (
            "thread_id",
            threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=bad, checkpoint_id=good)),
        ),
        (
            "thread_id",
            threads.GetThreadState(
                threads_pb2.GetThreadStateRequest(thread_id=bad, checkpoint=resources_pb2.Checkpoint())
            ),
        ),
        (
            "checkpoint_id",
            threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=good, checkpoint_id=bad)),
        ),
        ("thread_id", collect_thread_stream(threads, threads_pb2.JoinThreadStreamRequest(thread_id=bad))),
    ]
    errors = await asyncio.gather(*(grpc_error(call) for _, call in calls))
    for (field, _), error in zip(calls, errors, strict=True):
        assert_refused(error, field)


async def collect_thread_stream(threads: Threads, request: threads_pb2.JoinThreadStreamRequest) -> list[Any]:
    return [m async for m in threads.JoinThreadStream(request)]


async def test_not_json_refused(threads: Threads) -> None:
    nan = json_format.ParseDict({"count": 1}, struct_pb2.Value())
    nan.struct_value.fields["count"].number_value = float("nan")
    error = await grpc_error(
        threads.UpdateThreadState(threads_pb2.UpdateThreadStateRequest(thread_id=UNKNOWN, values=nan))
    )
    assert_refused(error, "values.count")


# --- JoinThreadStream ------------------------------------------------------------------------------


def thread_stream_events(threads: Threads, **fields: Any) -> AsyncIterator[Event]:
    """JoinThreadStream's events, one per message or several (coalesce_events), in either data
    format; the call is cancelled when the reader stops."""
    request = message(threads_pb2.JoinThreadStreamRequest, **fields)
    raw = request.data_format == JSON_FORMAT

    async def events() -> AsyncIterator[Event]:
        call = threads.JoinThreadStream(request)
        try:
            async for item in call:
                for one in item.events or [item]:
                    yield (raw_event_of if raw else event_of)(one)
        finally:
            call.cancel()

    return events()


def sdk_thread_stream(
    sdk: LangGraphClient,
    thread_id: str,
    last_event_id: str | None = None,
    stream_modes: list[str] | None = None,
) -> AsyncIterator[Event]:
    """The same stream read by langgraph-sdk: threads.join_stream, or, for stream modes (its
    `stream_mode` parameter does not reach the server, which reads `stream_modes`), its HTTP client."""

    async def events() -> AsyncIterator[Event]:
        if stream_modes is None:
            stream = await sdk.threads.join_stream(thread_id, last_event_id=last_event_id)
        else:
            headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
            params = {"stream_modes": ",".join(stream_modes)}
            stream = sdk.http.stream(f"/threads/{thread_id}/stream", "GET", params=params, headers=headers)
        async with contextlib.aclosing(stream):  # type: ignore[type-var]
            async for part in stream:
                yield sdk_event(part)

    return events()


def run_done(run_id: str) -> Callable[[Event], bool]:
    return lambda event: event[:2] == ("metadata", {"status": "run_done", "run_id": run_id})


async def read_until(
    events: AsyncIterator[Event],
    last: Callable[[Event], bool],
    beyond: Callable[[Event], bool] = lambda _: False,
    within: float = 60,
) -> list[Event]:
    """The events up to the first that is `last` (included) or `beyond` (left out); then the
    stream is closed. A stream that never gets there fails the test after `within` seconds."""

    async def read() -> list[Event]:
        seen: list[Event] = []
        async with contextlib.aclosing(events):  # type: ignore[type-var]
            async for event in events:
                if beyond(event):
                    return seen
                seen.append(event)
                if last(event):
                    return seen
        raise AssertionError(f"the stream ended after {seen}")

    return await asyncio.wait_for(read(), within)


async def test_join_thread_stream_stored_events(threads: Threads, sdk: LangGraphClient) -> None:
    """A thread's stored events (its resumable runs'), from the start ("-") and after each one's
    id, exactly as langgraph-sdk's join_stream gets them, in both data formats, coalesced or not,
    and filtered by stream mode. Each read stops at the first run's `run_done`, or at the first
    event of a second run (not resumable: never stored) that ticks until every read is done."""
    thread_id = await new_thread(sdk)
    first = await sdk.runs.create(
        thread_id, "agent", input=user("stored"), stream_mode=["updates", "custom"], stream_resumable=True
    )
    first_id = first["run_id"]
    await sdk.runs.join(thread_id, first_id)
    async with gate(sdk) as name:
        await sdk.runs.create(thread_id, "agent", input=user(f"TICK {name}"), stream_mode=["custom"])
        done = run_done(first_id)
        theirs = await read_until(sdk_thread_stream(sdk, thread_id, "-"), done)
        ids = [i for _, _, i in theirs]
        later = lambda event: event[2] not in ids  # noqa: E731  # the ticking run's, live
        reads = [
            read_until(thread_stream_events(threads, thread_id=thread_id, last_event_id="-"), done),
            read_until(
                thread_stream_events(
                    threads,
                    thread_id=thread_id,
                    last_event_id="-",
                    data_format="DATA_FORMAT_JSON",
                    coalesce_events=True,
                ),
                done,
            ),
            read_until(
                thread_stream_events(threads, thread_id=thread_id, last_event_id="-", coalesce_events=True),
                done,
            ),
            read_until(
                thread_stream_events(
                    threads, thread_id=thread_id, last_event_id="-", stream_modes=["lifecycle"]
                ),
                done,
            ),
            read_until(sdk_thread_stream(sdk, thread_id, "-", stream_modes=["lifecycle"]), done),
            read_until(thread_stream_events(threads, thread_id=thread_id), lambda _: True),  # live only
            *(
                read_until(thread_stream_events(threads, thread_id=thread_id, last_event_id=i), done, later)
                for i in ids
            ),
            *(read_until(sdk_thread_stream(sdk, thread_id, i), done, later) for i in ids),
        ]
        (
            ours,
            ours_raw,
            ours_coalesced,
            ours_lifecycle,
            theirs_lifecycle,
            live,
            *resumed,
        ) = await asyncio.gather(*reads)

    names = [name for name, _, _ in theirs]
    assert names == ["metadata", "custom", "updates", "updates", "metadata"], names
    assert all(i and normalize.SSE_ID.fullmatch(i) for i in ids), ids
    assert ours == ours_raw == ours_coalesced == theirs
    assert ours_lifecycle == theirs_lifecycle == [theirs[0], theirs[-1]]
    assert live[0][2] not in ids  # no stored event without last_event_id: only the ticking run's
    ours_resumed, theirs_resumed = resumed[: len(ids)], resumed[len(ids) :]
    assert ours_resumed == theirs_resumed
    for k, got in enumerate(ours_resumed):
        if ids[k] not in ids[k + 1 :]:  # two events of one millisecond share an id (README)
            assert got == theirs[k + 1 :], f"after event {k} ({ids[k]})"
    assert ours_resumed[-1] == []


async def test_join_thread_stream_live(threads: Threads, runs: Runs, sdk: LangGraphClient) -> None:
    """Live, with state updates: two joins each way (stream_modes run_modes + state_update), both
    subscribed once they got a tick of a run that ticks until then; then that run ends, a run
    fails (its `error` event is relayed and the thread's stream goes on), and a state update comes
    through. From the last tick on, every join got the same events; heartbeats keep it alive."""
    [thread_id] = await graph_threads(sdk, 1)
    modes = ["run_modes", "state_update"]
    async with gate(sdk) as name:
        ticking = await sdk.runs.create(
            thread_id, "agent", input=user(f"TICK {name}"), stream_mode=["custom"]
        )
        readers = [
            Following(thread_stream_events(threads, thread_id=thread_id, stream_modes=modes)),
            Following(
                thread_stream_events(
                    threads,
                    thread_id=thread_id,
                    stream_modes=modes,
                    data_format="DATA_FORMAT_JSON",
                    coalesce_events=True,
                )
            ),
            Following(
                thread_stream_events(threads, thread_id=thread_id, stream_modes=modes, heartbeat_seconds=1)
            ),
            Following(sdk_thread_stream(sdk, thread_id, stream_modes=modes)),
        ]
        await asyncio.gather(*(reader.ticked() for reader in readers))
    failing = await sdk.runs.create(
        thread_id, "agent", input=user("FAIL on the thread"), stream_mode=["updates"]
    )
    await runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=thread_id, run_id=ticking["run_id"]))
    await wait_status(runs, thread_id, failing["run_id"], "error")
    update = await threads.UpdateThreadState(
        message(
            threads_pb2.UpdateThreadStateRequest, thread_id=thread_id, values={"count": 30}, as_node="post"
        )
    )
    streams = await asyncio.gather(*(reader.until_state_update() for reader in readers))

    tails = [tail_from_last_tick(stream) for stream in streams]
    assert tails[0] == tails[1] == tails[3], tails
    assert [e for e in tails[2] if e[0] != "heartbeat"] == tails[3]
    names = [name for name, _, _ in tails[3]]
    assert names == ["custom", "metadata", "metadata", "error", "metadata", "state_update"], names
    assert tails[3][1][1] == {"status": "run_done", "run_id": ticking["run_id"]}
    assert tails[3][3][1] == {"error": "ValueError", "message": "boom: FAIL on the thread"}
    state = tails[3][-1][1]["state"]
    assert state["values"]["count"] == 30
    assert state["checkpoint"]["checkpoint_id"] == update.checkpoint.checkpoint_id


class Following:
    """Reads a live thread stream in a task, until a state_update event."""

    def __init__(self, events: AsyncIterator[Event]) -> None:
        self.events: list[Event] = []
        self._tick = asyncio.Event()
        self.task = asyncio.create_task(
            read_until(self._watch(events), lambda e: e[0] == "state_update", within=90)
        )

    async def _watch(self, events: AsyncIterator[Event]) -> AsyncIterator[Event]:
        async with contextlib.aclosing(events):  # type: ignore[type-var]
            async for event in events:
                if event[0] == "custom" and (event[1] or {}).get("stage") == "tick":
                    self._tick.set()
                yield event

    async def ticked(self, within: float = 30) -> None:
        waiting = asyncio.ensure_future(self._tick.wait())
        await asyncio.wait({waiting, self.task}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if self.task.done():
            self.task.result()
        assert self._tick.is_set(), f"no tick within {within}s"

    async def until_state_update(self) -> list[Event]:
        return await self.task


def tail_from_last_tick(events: list[Event]) -> list[Event]:
    ticks = [
        i
        for i, (name, data, _) in enumerate(events)
        if name == "custom" and (data or {}).get("stage") == "tick"
    ]
    assert ticks, events
    return events[ticks[-1] :]


async def test_join_thread_stream_heartbeat(threads: Threads, sdk: LangGraphClient) -> None:
    """An idle thread's stream with heartbeat_seconds: heartbeat messages, no data, no id."""
    thread_id = await new_thread(sdk)
    call = threads.JoinThreadStream(
        threads_pb2.JoinThreadStreamRequest(thread_id=thread_id, heartbeat_seconds=1)
    )
    try:
        first = await asyncio.wait_for(call.read(), 10)
    finally:
        call.cancel()
    assert first == threads_pb2.JoinThreadStreamResponse(event="heartbeat", mode="heartbeat")


async def test_join_thread_stream_errors(threads: Threads, sdk: LangGraphClient) -> None:
    """Refused upstream exactly as for the sdk: a malformed thread id, a last_event_id that is no
    stream id ("-1", the run streams' "from the start"), an unknown stream mode."""
    thread_id = await new_thread(sdk)

    def ours(**fields: Any) -> Callable[[], Any]:
        return lambda: read_until(thread_stream_events(threads, **fields), lambda _: True)

    def theirs(*args: Any, **kwargs: Any) -> Callable[[], Any]:
        return lambda: read_until(sdk_thread_stream(sdk, *args, **kwargs), lambda _: True)

    _, errors = await same_outcomes(
        [
            ("not-a-uuid", ours(thread_id="not-a-uuid"), theirs("not-a-uuid")),
            ("-1", ours(thread_id=thread_id, last_event_id="-1"), theirs(thread_id, "-1")),
            (
                "bogus mode",
                ours(thread_id=thread_id, stream_modes=["bogus"]),
                theirs(thread_id, stream_modes=["bogus"]),
            ),
        ]
    )
    assert [e.status_code for e in errors] == [422, 422, 422]
