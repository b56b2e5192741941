"""Conformance of the rest of langgraph-sdk's client.runs: batches of runs (CreateRuns), bulk
cancellation (CancelRuns), the run fields the sdk sends beyond the OpenAPI document (checkpoint_id,
strict_resume, langsmith_tracing as `langsmith_tracer`) and `select` on ListRuns.

Every call is compared with langgraph-sdk's answer to the same request on the same real upstream,
as in test_conformance_workflow.py (whose helpers these tests share). Runs that must still be
going when the test cancels them wait at a gate (tests/gates.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2
from langgraph_sdk.client import LangGraphClient

from . import normalize
from .gates import gate
from .test_conformance_workflow import (
    UNKNOWN,
    Call,
    Runs,
    as_dict,
    assert_refused,
    create_run,
    expected_run,
    grpc_error,
    new_thread,
    same_outcomes,
    user,
    value_of,
    wait_status,
)

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]


def batch(*runs: dict[str, Any]) -> runs_pb2.CreateRunsRequest:
    return json_format.ParseDict({"runs": list(runs)}, runs_pb2.CreateRunsRequest())


# --- CreateRuns ------------------------------------------------------------------------------------


async def test_create_runs(runs: Runs, sdk: LangGraphClient) -> None:
    """A batch through the gateway and the same batch through the sdk: the same runs (their own
    ids), in order, each run as asked; kept threads so each run can be joined after."""
    entries: list[dict[str, Any]] = [
        {"assistant_id": "agent", "input": user("one"), "metadata": {"n": 1}, "on_completion": "keep"},
        {"assistant_id": "agent", "input": user("two"), "config": {"tags": ["b"]}, "on_completion": "keep"},
    ]
    ours_entries = [{**e, "on_completion": "ON_COMPLETION_KEEP"} for e in entries]
    got, want = await asyncio.gather(runs.CreateRuns(batch(*ours_entries)), sdk.runs.create_batch(entries))  # type: ignore[arg-type]
    assert [normalize.value(as_dict(r)) for r in got.runs] == [normalize.value(expected_run(r)) for r in want]
    assert [r.kwargs["input"]["messages"][0]["content"] for r in got.runs] == ["one", "two"]
    joined = await asyncio.gather(
        *(runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=r.thread_id, run_id=r.run_id)) for r in got.runs),
        *(sdk.runs.join(r["thread_id"], r["run_id"]) for r in want),
    )
    ours_values, theirs_values = [value_of(j.values) for j in joined[:2]], joined[2:]
    assert normalize.value(ours_values) == normalize.value(theirs_values)
    assert [v["messages"][-1]["content"] for v in theirs_values] == ["echo: one", "echo: two"]


async def test_create_runs_errors(runs: Runs, sdk: LangGraphClient) -> None:
    """Refused upstream exactly as for the sdk: no run at all, an unknown graph, an unknown
    assistant (NOT_FOUND); refused by the gateway itself: a thread_id (the batch makes stateless
    runs: the upstream would drop it silently), a run with no assistant_id."""
    _, errors = await same_outcomes(
        [
            ("CreateRuns([])", lambda: runs.CreateRuns(batch()), lambda: sdk.runs.create_batch([])),
            (
                "CreateRuns(unknown graph)",
                lambda: runs.CreateRuns(batch({"assistant_id": "nope"})),
                lambda: sdk.runs.create_batch([{"assistant_id": "nope"}]),  # type: ignore[list-item]
            ),
            (
                "CreateRuns(unknown assistant)",
                lambda: runs.CreateRuns(batch({"assistant_id": UNKNOWN})),
                lambda: sdk.runs.create_batch([{"assistant_id": UNKNOWN}]),  # type: ignore[list-item]
            ),
        ]
    )
    assert [e.status_code for e in errors] == [422, 422, 404]
    refused = await asyncio.gather(
        grpc_error(
            runs.CreateRuns(batch({"assistant_id": "agent"}, {"assistant_id": "agent", "thread_id": UNKNOWN}))
        ),
        grpc_error(runs.CreateRuns(batch({"assistant_id": "agent"}, {"input": user("x")}))),
    )
    assert_refused(refused[0], "runs[1].thread_id")
    assert_refused(refused[1], "runs[1].assistant_id")


# --- CancelRuns ------------------------------------------------------------------------------------


async def test_cancel_runs(runs: Runs, sdk: LangGraphClient) -> None:
    """By status: a pending run is cancelled, the running one is not; then nothing is pending,
    and both ways answer NOT_FOUND. By thread and ids: the gateway and the sdk each cancel a
    running run; the two runs then read the same. (The upstream runs one run at a time: the first
    run, waiting at its gate, keeps the second pending.)"""
    ours_thread, their_thread, pending_thread = await asyncio.gather(*(new_thread(sdk) for _ in range(3)))
    async with gate(sdk) as a, gate(sdk) as b:
        ours = await runs.CreateRun(create_run(ours_thread, "agent", input=user(f"WAIT {a}")))
        pending = await runs.CreateRun(create_run(pending_thread, "agent", input=user("pending")))
        ours_id, pending_id = ours.run.run_id, pending.run.run_id
        await wait_status(runs, ours_thread, ours_id, "running")
        await runs.CancelRuns(runs_pb2.CancelRunsRequest(status="pending"))
        await wait_status(runs, pending_thread, pending_id, "interrupted")
        assert (await sdk.runs.get(ours_thread, ours_id))["status"] == "running"
        _, none_pending = await same_outcomes(
            [
                (
                    "CancelRuns(status=pending)",
                    lambda: runs.CancelRuns(runs_pb2.CancelRunsRequest(status="pending")),
                    lambda: sdk.runs.cancel_many(status="pending"),
                )
            ]
        )
        assert none_pending[0].status_code == 404

        await runs.CancelRuns(
            runs_pb2.CancelRunsRequest(thread_id=ours_thread, run_ids=[ours_id], action="interrupt")
        )
        await wait_status(runs, ours_thread, ours_id, "interrupted")
        theirs = await sdk.runs.create(their_thread, "agent", input=user(f"WAIT {b}"))
        await wait_status(runs, their_thread, theirs["run_id"], "running")
        await sdk.runs.cancel_many(thread_id=their_thread, run_ids=[theirs["run_id"]], action="interrupt")
        await wait_status(runs, their_thread, theirs["run_id"], "interrupted")
    got, want = await asyncio.gather(
        runs.GetRun(runs_pb2.GetRunRequest(thread_id=ours_thread, run_id=ours_id)),
        sdk.runs.get(their_thread, theirs["run_id"]),
    )
    assert normalize.value(as_dict(got.run)) == normalize.value(expected_run(want))


async def test_cancel_runs_rollback(runs: Runs, sdk: LangGraphClient) -> None:
    """action "rollback": the run is cancelled and deleted, as the sdk's cancel_many does it."""
    thread_id = await new_thread(sdk)
    async with gate(sdk) as name:
        created = await runs.CreateRun(create_run(thread_id, "agent", input=user(f"WAIT {name}")))
        run_id = created.run.run_id
        await wait_status(runs, thread_id, run_id, "running")
        await runs.CancelRuns(
            runs_pb2.CancelRunsRequest(thread_id=thread_id, run_ids=[run_id], action="rollback")
        )
        for _ in range(300):  # the run is deleted once the worker has stopped it
            if not await sdk.runs.list(thread_id):
                break
            await asyncio.sleep(0.1)
    _, gone = await same_outcomes(
        [
            (
                "GetRun(rolled back)",
                lambda: runs.GetRun(runs_pb2.GetRunRequest(thread_id=thread_id, run_id=run_id)),
                lambda: sdk.runs.get(thread_id, run_id),
            )
        ]
    )
    assert gone[0].status_code == 404


async def test_cancel_runs_errors(runs: Runs, sdk: LangGraphClient) -> None:
    thread_id = await new_thread(sdk)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("nothing", {}),
        ("bad status", {"status": "bogus"}),
        ("status with ids", {"status": "all", "thread_id": thread_id, "run_ids": [UNKNOWN]}),
        ("non-UUID run", {"thread_id": thread_id, "run_ids": ["not-a-uuid"]}),
        ("unknown run", {"thread_id": thread_id, "run_ids": [UNKNOWN]}),
        ("thread without ids", {"thread_id": thread_id}),
    ]
    calls: list[Call] = [
        (
            name,
            lambda q=query: runs.CancelRuns(json_format.ParseDict(q, runs_pb2.CancelRunsRequest())),
            lambda q=query: sdk.runs.cancel_many(**q),
        )
        for name, query in cases
    ]
    _, errors = await same_outcomes(calls)
    assert [getattr(e, "status_code", None) for e in errors] == [422, 422, 422, 422, 404, 422]


# --- the run fields the sdk sends beyond the OpenAPI document ---------------------------------------


async def test_run_from_checkpoint_id(runs: Runs, sdk: LangGraphClient) -> None:
    """checkpoint_id (thread runs): the run starts from that checkpoint, not the latest; with
    langsmith_tracer and strict_resume, sent as the sdk sends them (the server reads
    langsmith_tracer into the run's configurable; langgraph-api 0.16.7 ignores strict_resume)."""
    ours_thread, their_thread = await asyncio.gather(
        new_thread(sdk, graph_id="agent"), new_thread(sdk, graph_id="agent")
    )
    firsts = await asyncio.gather(
        *(sdk.threads.update_state(t, {"count": 5}, as_node="post") for t in (ours_thread, their_thread))
    )
    await asyncio.gather(*(sdk.threads.update_state(t, {"count": 50}) for t in (ours_thread, their_thread)))
    tracer = {"project_name": "gateway-tests", "example_id": UNKNOWN}
    extra = {"strict_resume": True}
    body = {"input": user("from five"), **extra}
    created, their_created = await asyncio.gather(
        runs.CreateRun(
            create_run(
                ours_thread,
                "agent",
                checkpoint_id=firsts[0]["checkpoint"]["checkpoint_id"],
                langsmith_tracer=tracer,
                **body,
            )
        ),
        sdk.runs.create(
            their_thread,
            "agent",
            checkpoint_id=firsts[1]["checkpoint"]["checkpoint_id"],
            langsmith_tracing=tracer,  # type: ignore[arg-type]
            **body,
        ),
    )
    assert normalize.value(as_dict(created.run)) == normalize.value(expected_run(their_created))
    configurable = their_created["kwargs"]["config"]["configurable"]
    assert configurable["__langsmith_project__"] == "gateway-tests"
    assert configurable["checkpoint_id"] == firsts[1]["checkpoint"]["checkpoint_id"]
    joined = await asyncio.gather(
        runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=ours_thread, run_id=created.run.run_id)),
        sdk.runs.join(their_thread, their_created["run_id"]),
    )
    assert normalize.value(value_of(joined[0].values)) == normalize.value(joined[1])
    assert joined[1]["count"] == 6  # from the checkpoint where it was 5, not the latest 50

    # The same fields on WaitRun and StreamRun: the same final state as the sdk's.
    wait_body = {"input": user("again"), "checkpoint_id": firsts[0]["checkpoint"]["checkpoint_id"]}
    waited, their_wait = await asyncio.gather(
        runs.WaitRun(
            json_format.ParseDict(
                {"thread_id": ours_thread, "assistant_id": "agent", "langsmith_tracer": tracer, **wait_body},
                runs_pb2.WaitRunRequest(),
            )
        ),
        sdk.runs.wait(
            their_thread,
            "agent",
            input=user("again"),
            checkpoint_id=firsts[1]["checkpoint"]["checkpoint_id"],
            langsmith_tracing=tracer,  # type: ignore[arg-type]
        ),
    )
    assert normalize.value(value_of(waited.values)) == normalize.value(their_wait)
    assert their_wait["count"] == 6


# --- ListRuns select -------------------------------------------------------------------------------


async def test_list_runs_select(runs: Runs, sdk: LangGraphClient) -> None:
    thread_id = await new_thread(sdk)
    await sdk.runs.wait(thread_id, "agent", input=user("listed"))
    selects = [["run_id"], ["run_id", "status", "metadata"], ["kwargs", "multitask_strategy"]]
    got = await asyncio.gather(
        *(runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=thread_id, select=s)) for s in selects)
    )
    want = await asyncio.gather(*(sdk.runs.list(thread_id, select=s) for s in selects))  # type: ignore[arg-type]
    for select, answer, listed in zip(selects, got, want, strict=True):
        assert listed and set(listed[0]) == set(select), listed
        assert [as_dict(r) for r in answer.runs] == [expected_run(r) for r in listed], select
    _, errors = await same_outcomes(
        [
            (
                "ListRuns(select=bogus)",
                lambda: runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=thread_id, select=["bogus"])),
                lambda: sdk.runs.list(thread_id, select=["bogus"]),  # type: ignore[list-item]
            )
        ]
    )
    assert errors[0].status_code in (400, 422)
