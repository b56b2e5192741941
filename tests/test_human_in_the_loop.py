"""Human in the loop, end to end over gRPC only: a run stops at interrupt(), the client reads the
question from the thread's state, edits the state, resumes the run with its answer, and finds both
the edit and the answer in the result.

The graph is `agent` of tests/upstream/graph.py: START -> echo -> post -> END. On "INTERRUPT ...",
echo calls interrupt({"question": "approve?", ...}) and, once resumed, answers "resumed with:
<answer>"; post then adds one to `count`.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, threads_pb2, threads_pb2_grpc

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]


def as_json(message: Any) -> Any:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


async def test_interrupt_edit_and_resume(channel: grpc.aio.Channel, runs: Any) -> None:
    threads = threads_pb2_grpc.ThreadsServiceStub(channel)
    thread_id = (await threads.CreateThread(threads_pb2.CreateThreadRequest())).thread.thread_id

    # 1. The run stops at interrupt(): its last update is the interrupt, with the question.
    start = json_format.ParseDict(
        {
            "thread_id": thread_id,
            "assistant_id": "agent",
            "input": {"messages": [{"role": "user", "content": "INTERRUPT please"}]},
            "stream_mode": ["updates"],
        },
        runs_pb2.StreamRunRequest(),
    )
    events = [(m.event, as_json(m.data)) async for m in runs.StreamRun(start)]
    assert [name for name, _ in events] == ["metadata", "updates"], events
    [interrupt] = events[-1][1]["__interrupt__"]
    assert interrupt["value"] == {"question": "approve?", "text": "INTERRUPT please"}

    # 2. The thread waits in `echo`; its state holds the same interrupt.
    thread = (await threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id))).thread
    assert thread.status == "interrupted"
    state = as_json(
        (await threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id))).state
    )
    assert state["next"] == ["echo"]
    [waiting] = state["interrupts"]
    assert (waiting["id"], waiting["value"]) == (interrupt["id"], interrupt["value"])
    assert "count" not in state["values"]

    # 3. The human edits the state: `count` set as if the graph had just started (as_node
    #    "__start__"), so `echo` still runs next, and asks again when resumed.
    edit = json_format.ParseDict(
        {"thread_id": thread_id, "values": {"count": 41}, "as_node": "__start__"},
        threads_pb2.UpdateThreadStateRequest(),
    )
    edited = (await threads.UpdateThreadState(edit)).checkpoint
    assert edited.thread_id == thread_id and edited.checkpoint_id
    state = as_json(
        (await threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id))).state
    )
    assert state["checkpoint"]["checkpoint_id"] == edited.checkpoint_id
    assert state["next"] == ["echo"]
    assert state["values"]["count"] == 41

    # 4. Resumed with the answer (a Command): echo gets it, post counts on from the edit.
    resume = json_format.ParseDict(
        {"thread_id": thread_id, "assistant_id": "agent", "command": {"resume": "approved"}},
        runs_pb2.WaitRunRequest(),
    )
    values = as_json((await runs.WaitRun(resume)).values)
    assert "__interrupt__" not in values
    assert values["messages"][-1]["content"] == "resumed with: approved"
    assert values["count"] == 42  # the edited 41, plus post's one

    # 5. The thread is idle again; its history keeps the edit.
    thread = (await threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id))).thread
    assert thread.status == "idle"
    history = (
        await threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=thread_id, limit=20))
    ).states
    assert edited.checkpoint_id in [s.checkpoint.checkpoint_id for s in history]
    assert as_json(history[0].values)["count"] == 42
