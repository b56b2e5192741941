"""Conformance of CronsService: every call compared with langgraph-sdk's `client.crons` (and, for
GetCron, which sdk 0.4 lacks, the sdk's own HTTP client) on the same real upstream.

Crons the gateway and the sdk each create are compared up to ids and timestamps (normalize.py);
the same cron read both ways is compared exactly. Errors: the upstream's status mapped to its
gRPC code, with the upstream's detail and the ErrorInfo (test_conformance_workflow's helpers).

No cron here fires by chance: each has a far schedule ("0 0 1 1 *") or is disabled, and each test
deletes what it made. test_cron_fires proves a cron made through the gateway runs what the sdk's
twin runs: its schedule fires every second, the upstream's scheduler polls every 5 s, and the
test polls the thread's runs for the first one (bounded), then deletes the crons.
"""

from __future__ import annotations

import asyncio
import datetime
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from langgraph_gateway.v1 import crons_pb2, crons_pb2_grpc
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import APIStatusError

from . import normalize
from .test_conformance_workflow import (
    HOSTILE_IDS,
    UNKNOWN,
    Call,
    as_dict,
    assert_mapped,
    assert_refused,
    expected,
    grpc_error,
    new_thread,
    same_outcomes,
    sdk_error,
    user,
)

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Crons = crons_pb2_grpc.CronsServiceStub
FAR = "0 0 1 1 *"  # once a year: never during a test (and most crons here are disabled too)
WEBHOOK = "https://93.184.215.14/hook"  # a public address: accepted without a DNS lookup
END = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
_ENUM_PREFIXES = {
    "on_run_completed": "ON_COMPLETION_",
    "multitask_strategy": "MULTITASK_STRATEGY_",
    "durability": "DURABILITY_",
}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def crons(channel: grpc.aio.Channel) -> Crons:
    return crons_pb2_grpc.CronsServiceStub(channel)


@pytest_asyncio.fixture(loop_scope="session")
async def made(sdk: LangGraphClient) -> AsyncIterator[list[str]]:
    """Cron ids a test made: deleted when it ends (those it deleted itself are already gone)."""
    ids: list[str] = []
    yield ids
    for cron_id in ids:
        try:
            await sdk.crons.delete(cron_id)
        except APIStatusError as exc:
            assert exc.status_code == 404, exc


# --- helpers ---------------------------------------------------------------------------------------


def to_request(cls: type[Any], body: dict[str, Any]) -> Any:
    """The gRPC request for a body given as langgraph-sdk keyword arguments."""
    fields: dict[str, Any] = {}
    for name, item in body.items():
        if name in _ENUM_PREFIXES and item is not None:
            item = _ENUM_PREFIXES[name] + item.upper()
        elif name in ("stream_mode", "interrupt_before", "interrupt_after") and isinstance(item, str):
            item = [item]
        elif isinstance(item, datetime.datetime):
            item = item.isoformat()  # as the sdk sends it
        fields[name] = item
    return json_format.ParseDict(fields, cls())


def expected_cron(cron: dict[str, Any]) -> dict[str, Any]:
    return expected(cron, crons_pb2.Cron.DESCRIPTOR)


def gateway_create(
    crons: Crons, thread_id: str | None, assistant_id: str, **body: Any
) -> Awaitable[crons_pb2.CreateCronResponse]:
    fields = {"assistant_id": assistant_id, **body}
    if thread_id is not None:
        fields["thread_id"] = thread_id
    return crons.CreateCron(to_request(crons_pb2.CreateCronRequest, fields))


async def sdk_create(sdk: LangGraphClient, thread_id: str | None, assistant_id: str, **body: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # checkpoint_during, as the sdk warns
        if thread_id is None:
            return await sdk.crons.create(assistant_id, **body)
        return await sdk.crons.create_for_thread(thread_id, assistant_id, **body)


def get_cron(crons: Crons, cron_id: str) -> Awaitable[crons_pb2.GetCronResponse]:
    return crons.GetCron(crons_pb2.GetCronRequest(cron_id=cron_id))


def sdk_get(sdk: LangGraphClient, cron_id: str) -> Awaitable[Any]:
    return sdk.http.get(f"/runs/crons/{cron_id}")  # GET /runs/crons/{id}: no sdk method in 0.4


def update(crons: Crons, cron_id: str, **body: Any) -> Awaitable[crons_pb2.UpdateCronResponse]:
    return crons.UpdateCron(to_request(crons_pb2.UpdateCronRequest, {"cron_id": cron_id, **body}))


def delete(crons: Crons, cron_id: str) -> Awaitable[crons_pb2.DeleteCronResponse]:
    return crons.DeleteCron(crons_pb2.DeleteCronRequest(cron_id=cron_id))


def search(crons: Crons, **body: Any) -> Awaitable[crons_pb2.SearchCronsResponse]:
    return crons.SearchCrons(to_request(crons_pb2.SearchCronsRequest, body))


def count(crons: Crons, **body: Any) -> Awaitable[crons_pb2.CountCronsResponse]:
    return crons.CountCrons(to_request(crons_pb2.CountCronsRequest, body))


def same_cron_made(ours: crons_pb2.Cron, theirs: dict[str, Any]) -> None:
    """Two crons made by the same request: equal up to ids and timestamps."""
    assert normalize.value(as_dict(ours)) == normalize.value(expected_cron(theirs))
    assert ours.cron_id != theirs["cron_id"]


async def agent_assistant(sdk: LangGraphClient, graph_id: str = "agent") -> str:
    [assistant] = await sdk.assistants.search(graph_id=graph_id)
    return str(assistant["assistant_id"])


# --- create, get, delete ---------------------------------------------------------------------------

CREATE_CASES: dict[str, dict[str, Any]] = {
    "minimal": {"schedule": FAR, "enabled": False},
    "every-field": {
        "schedule": FAR,
        "input": user("hi"),
        "metadata": {"suite": "crons", "n": 3, "nested": {"ok": True}},
        "config": {"tags": ["a"], "recursion_limit": 10, "configurable": {"k": "v"}},
        "interrupt_before": "*",
        "interrupt_after": ["echo"],
        "webhook": WEBHOOK,
        "on_run_completed": "keep",
        "multitask_strategy": "reject",
        "end_time": END,
        "enabled": False,
        "timezone": "Europe/Paris",
        "stream_mode": ["updates", "values"],
        "stream_subgraphs": True,
        "stream_resumable": True,
        "durability": "exit",
    },
    "context-checkpoint-during": {
        "schedule": "*/15 9-17 * * 1-5",
        "context": {"model": "fake"},
        "checkpoint_during": True,
        "stream_mode": ["custom"],
        "enabled": False,
    },
}


@pytest.mark.parametrize("case", CREATE_CASES)
async def test_create_get_delete_cron(crons: Crons, sdk: LangGraphClient, made: list[str], case: str) -> None:
    """A stateless cron made both ways is the same cron; each read both ways is exactly the same;
    deleted, both are gone for the gateway and the sdk alike (NOT_FOUND)."""
    body = CREATE_CASES[case]
    ours, theirs = await asyncio.gather(
        gateway_create(crons, None, "agent", **body), sdk_create(sdk, None, "agent", **body)
    )
    ids = [ours.cron.cron_id, theirs["cron_id"]]
    made.extend(ids)
    same_cron_made(ours.cron, theirs)
    got = await asyncio.gather(*(get_cron(crons, i) for i in ids))
    want = await asyncio.gather(*(sdk_get(sdk, i) for i in ids))
    for g, w in zip(got, want, strict=True):
        assert as_dict(g.cron) == expected_cron(w)
    assert as_dict(got[0].cron) == as_dict(ours.cron)

    assert await delete(crons, ids[0]) == crons_pb2.DeleteCronResponse()
    await sdk.crons.delete(ids[1])
    calls: list[Call] = [
        (f"GetCron {i}", lambda i=i: get_cron(crons, i), lambda i=i: sdk_get(sdk, i)) for i in ids
    ] + [(f"DeleteCron {i}", lambda i=i: delete(crons, i), lambda i=i: sdk.crons.delete(i)) for i in ids]
    _, theirs_after = await same_outcomes(calls)
    assert [t.status_code for t in theirs_after] == [404] * 4


async def test_create_thread_cron(crons: Crons, sdk: LangGraphClient, made: list[str]) -> None:
    """With thread_id: POST /threads/{thread_id}/runs/crons, as create_for_thread sends it."""
    thread_id = await new_thread(sdk)
    body = {
        "schedule": FAR,
        "input": user("tock"),
        "metadata": {"suite": "crons"},
        "multitask_strategy": "enqueue",
        "interrupt_after": "*",
        "timezone": "Asia/Tokyo",
        "durability": "sync",
    }
    ours, theirs = await asyncio.gather(
        gateway_create(crons, thread_id, "agent", **body), sdk_create(sdk, thread_id, "agent", **body)
    )
    made.extend([ours.cron.cron_id, theirs["cron_id"]])
    same_cron_made(ours.cron, theirs)
    assert ours.cron.thread_id == thread_id and not ours.cron.HasField("on_run_completed")
    # An empty thread_id is a stateless cron, as in the run calls.
    stateless = await gateway_create(crons, "", "agent", schedule=FAR, enabled=False)
    made.append(stateless.cron.cron_id)
    assert not stateless.cron.HasField("thread_id") and stateless.cron.on_run_completed == "delete"


# --- update ----------------------------------------------------------------------------------------

UPDATES: list[dict[str, Any]] = [
    {"schedule": "30 8 * * 1-5", "timezone": "America/New_York"},
    {"end_time": END},
    {"end_time": None},  # clears it
    {"metadata": {"extra": 1}, "input": user("again"), "config": {"tags": ["t"]}, "context": {"k": "v"}},
    {"webhook": WEBHOOK, "interrupt_before": "*", "interrupt_after": ["echo"]},
    {
        "on_run_completed": "keep",
        "enabled": False,
        "stream_mode": ["updates"],
        "stream_subgraphs": True,
        "stream_resumable": False,
        "durability": "sync",
    },
]


async def test_update_cron(crons: Crons, sdk: LangGraphClient, made: list[str]) -> None:
    """Each PATCH applied to two twin crons, one through each side: the same cron after each."""
    body = {"schedule": FAR, "enabled": False, "metadata": {"suite": "crons"}, "end_time": END}
    ours, theirs = await asyncio.gather(
        gateway_create(crons, None, "agent", **body), sdk_create(sdk, None, "agent", **body)
    )
    mine, twin = ours.cron.cron_id, theirs["cron_id"]
    made.extend([mine, twin])
    for change in UPDATES:
        got, want = await asyncio.gather(update(crons, mine, **change), sdk.crons.update(twin, **change))
        assert normalize.value(as_dict(got.cron)) == normalize.value(expected_cron(want)), change
    assert not got.cron.HasField("end_time")  # cleared by the third change
    assert got.cron.metadata["extra"] == 1 and got.cron.metadata["suite"] == "crons"  # merged
    final, read = await asyncio.gather(get_cron(crons, mine), sdk_get(sdk, mine))
    assert as_dict(final.cron) == expected_cron(read) == as_dict(got.cron)


# --- search and count ------------------------------------------------------------------------------


@pytest_asyncio.fixture(loop_scope="session")
async def tagged(sdk: LangGraphClient, made: list[str]) -> dict[str, Any]:
    """Four crons (made with the sdk) under a fresh tag: two graphs, one on a thread, some enabled."""
    tag, thread_id = str(uuid.uuid4()), await new_thread(sdk)
    nested = await agent_assistant(sdk, "nested")
    specs: list[tuple[str | None, str, dict[str, Any]]] = [
        (None, "agent", {"enabled": False}),
        (None, "nested", {"enabled": True}),
        (thread_id, "agent", {"enabled": True}),
        (None, "agent", {"enabled": False, "end_time": END}),
    ]
    for i, (thread, graph, extra) in enumerate(specs):
        cron = await sdk_create(sdk, thread, graph, schedule=FAR, metadata={"tag": tag, "i": i}, **extra)
        made.append(cron["cron_id"])
    return {"tag": tag, "thread_id": thread_id, "nested": nested, "ids": list(made)}


async def test_search_crons(crons: Crons, sdk: LangGraphClient, tagged: dict[str, Any]) -> None:
    tag = {"tag": tagged["tag"]}
    searches: list[dict[str, Any]] = [
        {"metadata": tag},
        {"metadata": tag, "sort_by": "cron_id", "sort_order": "asc"},
        # Not sort_by end_time: langgraph-api 0.16.7 (in-memory) fails with a 500 and drops the
        # connection when some crons have an end time and others none (it compares str and datetime).
        {"metadata": tag, "sort_by": "updated_at", "sort_order": "desc"},
        {"metadata": tag, "sort_by": "next_run_date", "sort_order": "asc"},
        {"metadata": tag, "enabled": False},
        {"metadata": tag, "enabled": True, "limit": 1, "offset": 1},
        {"thread_id": tagged["thread_id"]},
        {"assistant_id": tagged["nested"], "metadata": tag},
        {"metadata": {**tag, "i": 2}},
        {"metadata": tag, "select": ["cron_id", "schedule", "enabled", "thread_id"], "sort_by": "created_at"},
        {"metadata": tag, "select": ["payload", "metadata", "end_time"], "sort_order": "asc"},
    ]
    ours = await asyncio.gather(*(search(crons, **q) for q in searches))
    theirs = await asyncio.gather(*(sdk.crons.search(**q) for q in searches))
    for query, got, want in zip(searches, ours, theirs, strict=True):
        assert want, query
        assert [as_dict(c) for c in got.crons] == [expected_cron(c) for c in want], query
    assert {c.cron_id for c in ours[0].crons} == set(tagged["ids"])
    assert [c.cron_id for c in ours[1].crons] == sorted(tagged["ids"])


async def test_search_crons_next_offset(crons: Crons, upstream_url: str, tagged: dict[str, Any]) -> None:
    """next_offset is the upstream's X-Pagination-Next, and unset on the last page."""
    pages = [{"metadata": {"tag": tagged["tag"]}, "limit": 3, "offset": offset} for offset in (0, 3)]
    async with httpx.AsyncClient(base_url=upstream_url) as client:
        raw = await asyncio.gather(*(client.post("/runs/crons/search", json=body) for body in pages))
    ours = await asyncio.gather(*(search(crons, **body) for body in pages))
    assert [answer.headers.get("x-pagination-next") for answer in raw] == ["3", None]
    assert ours[0].HasField("next_offset") and ours[0].next_offset == 3
    assert not ours[1].HasField("next_offset")
    for answer, got in zip(raw, ours, strict=True):
        assert [as_dict(c) for c in got.crons] == [expected_cron(c) for c in answer.json()]


async def test_count_crons(crons: Crons, sdk: LangGraphClient, tagged: dict[str, Any]) -> None:
    tag = {"tag": tagged["tag"]}
    agent = await agent_assistant(sdk)
    counts: list[dict[str, Any]] = [
        {},
        {"metadata": tag},
        {"metadata": {**tag, "i": 3}},
        {"thread_id": tagged["thread_id"]},
        {"assistant_id": tagged["nested"], "metadata": tag},
        {"assistant_id": agent, "metadata": tag},
        {"metadata": {"tag": str(uuid.uuid4())}},
    ]
    ours = await asyncio.gather(*(count(crons, **q) for q in counts))
    theirs = await asyncio.gather(*(sdk.crons.count(**q) for q in counts))
    assert [answer.count for answer in ours] == theirs
    assert theirs[1:] == [4, 1, 1, 1, 3, 0]


# --- a cron runs -----------------------------------------------------------------------------------


async def first_run(sdk: LangGraphClient, thread_id: str, within: float = 30) -> None:
    """Polls the thread's runs until the cron's first one is there, for at most `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await sdk.runs.list(thread_id):
            return
        await asyncio.sleep(0.2)
    pytest.fail(f"no cron run on thread {thread_id} after {within}s")


async def test_cron_fires(crons: Crons, sdk: LangGraphClient, made: list[str]) -> None:
    """A thread cron made through the gateway runs what the same cron made with the sdk runs: the
    same run (kwargs, metadata, cron_id in its config) and the same final state."""
    threads = [await new_thread(sdk), await new_thread(sdk)]
    body = {"schedule": "* * * * * *", "input": user("tick"), "metadata": {"suite": "crons-fire"}}
    ours, theirs = await asyncio.gather(
        gateway_create(crons, threads[0], "agent", **body), sdk_create(sdk, threads[1], "agent", **body)
    )
    ids = [ours.cron.cron_id, theirs["cron_id"]]
    made.extend(ids)
    try:
        await asyncio.gather(*(first_run(sdk, t) for t in threads))
    finally:  # no more runs: the schedule fires at every poll of the upstream's scheduler
        await asyncio.gather(delete(crons, ids[0]), sdk.crons.delete(ids[1]))
    runs = [(await sdk.runs.list(t, limit=100))[-1] for t in threads]  # newest first: the first run
    for run, cron_id in zip(runs, ids, strict=True):
        assert run["kwargs"]["config"]["configurable"]["cron_id"] == cron_id
    mine, twin = ({k: run[k] for k in ("metadata", "kwargs", "multitask_strategy")} for run in runs)
    assert normalize.value(mine) == normalize.value(twin)
    finals = await asyncio.gather(
        *(sdk.runs.join(t, r["run_id"]) for t, r in zip(threads, runs, strict=True))
    )
    assert normalize.value(finals[0]) == normalize.value(finals[1])
    assert finals[0]["messages"][-1]["content"] == "echo: tick"


# --- errors ----------------------------------------------------------------------------------------


async def test_create_cron_errors(crons: Crons, sdk: LangGraphClient, made: list[str]) -> None:
    """Each bad creation fails exactly as the sdk's does: the status mapped, the detail as the message."""
    thread_id = await new_thread(sdk)
    cases: list[tuple[str | None, str, dict[str, Any], int]] = [
        (None, "agent", {"schedule": "not a schedule"}, 422),
        (thread_id, "agent", {"schedule": "61 * * * *"}, 422),
        (None, "agent", {"schedule": FAR, "timezone": "Mars/Base"}, 422),
        (None, "no-such-graph", {"schedule": FAR}, 404),
        (None, UNKNOWN, {"schedule": FAR}, 404),
        (UNKNOWN, "agent", {"schedule": FAR}, 404),
        ("not-a-uuid", "agent", {"schedule": FAR}, 422),
        (None, "agent", {"schedule": FAR, "webhook": "http://localhost/hook"}, 422),
    ]
    calls: list[Call] = [
        (
            f"CreateCron {thread} {assistant} {body}",
            lambda t=thread, a=assistant, b=body: gateway_create(crons, t, a, **b),
            lambda t=thread, a=assistant, b=body: sdk_create(sdk, t, a, **b),
        )
        for thread, assistant, body, _ in cases
    ]
    _, theirs = await same_outcomes(calls)
    made.extend(t["cron_id"] for t in theirs if isinstance(t, dict))  # none, if all went right
    assert [getattr(t, "status_code", t) for t in theirs] == [status for *_, status in cases]


async def test_cron_id_errors(crons: Crons, sdk: LangGraphClient, made: list[str]) -> None:
    """GetCron, UpdateCron and DeleteCron of an unknown or malformed id, a PATCH with nothing in
    it, or with a bad schedule or time zone: as the sdk."""
    known = (await sdk_create(sdk, None, "agent", schedule=FAR, enabled=False))["cron_id"]
    made.append(known)
    calls: list[Call] = []
    for cron_id in (UNKNOWN, "not-a-uuid"):
        calls += [
            ("GetCron", lambda i=cron_id: get_cron(crons, i), lambda i=cron_id: sdk_get(sdk, i)),
            (
                "UpdateCron",
                lambda i=cron_id: update(crons, i, enabled=True),
                lambda i=cron_id: sdk.crons.update(i, enabled=True),
            ),
            ("DeleteCron", lambda i=cron_id: delete(crons, i), lambda i=cron_id: sdk.crons.delete(i)),
        ]
    for change in ({}, {"schedule": "every day"}, {"timezone": "Mars/Base"}):
        calls.append(
            (
                f"UpdateCron {change}",
                lambda c=change: update(crons, known, **c),
                lambda c=change: sdk.crons.update(known, **c),
            )
        )
    _, theirs = await same_outcomes(calls)
    assert [t.status_code for t in theirs] == [404, 404, 404, 422, 422, 422, 400, 422, 422]


async def test_search_and_count_errors(crons: Crons, sdk: LangGraphClient) -> None:
    searches: list[dict[str, Any]] = [
        {"assistant_id": "agent"},  # a graph name: the search wants a UUID
        {"thread_id": "not-a-uuid"},
        {"sort_by": "schedule"},
        {"sort_order": "sideways"},
        {"select": ["cron_id", "no_such_field"]},
        {"limit": 5000},
        {"offset": -1},
    ]
    counts: list[dict[str, Any]] = [{"thread_id": "not-a-uuid"}, {"assistant_id": "agent"}]
    calls: list[Call] = [
        (f"SearchCrons {q}", lambda q=q: search(crons, **q), lambda q=q: sdk.crons.search(**q))
        for q in searches
    ] + [(f"CountCrons {q}", lambda q=q: count(crons, **q), lambda q=q: sdk.crons.count(**q)) for q in counts]
    _, theirs = await same_outcomes(calls)
    assert [getattr(t, "status_code", None) for t in theirs] == [422] * len(calls)


async def test_cron_requests_refused(crons: Crons) -> None:
    """Ids that could walk to another endpoint, and creations missing what the HTTP API requires,
    are refused by the gateway itself: INVALID_ARGUMENT, naming the field."""
    calls: list[tuple[str, Awaitable[Any]]] = [
        ("assistant_id", crons.CreateCron(crons_pb2.CreateCronRequest(schedule=FAR))),
        ("schedule", crons.CreateCron(crons_pb2.CreateCronRequest(assistant_id="agent"))),
        ("cron_id", get_cron(crons, "")),
        ("cron_id", delete(crons, "")),
        ("cron_id", update(crons, "", enabled=False)),
    ]
    for bad in HOSTILE_IDS:
        calls += [
            ("thread_id", gateway_create(crons, bad, "agent", schedule=FAR)),
            ("cron_id", get_cron(crons, bad)),
            ("cron_id", update(crons, bad, enabled=False)),
            ("cron_id", delete(crons, bad)),
        ]
    errors = await asyncio.gather(*(grpc_error(call) for _, call in calls))
    for (field, _), error in zip(calls, errors, strict=True):
        assert_refused(error, field)


async def test_unknown_cron_message(crons: Crons, sdk: LangGraphClient) -> None:
    """The status message is the upstream's own detail, and the code NOT_FOUND."""
    ours, theirs = await asyncio.gather(
        grpc_error(update(crons, UNKNOWN, enabled=False)), sdk_error(sdk.crons.update(UNKNOWN, enabled=False))
    )
    assert_mapped(ours, theirs, 404)
    assert ours.code() == grpc.StatusCode.NOT_FOUND
    assert ours.details() == f"Cron '{UNKNOWN}' not found"
