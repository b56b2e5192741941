"""Conformance: the gateway (gRPC) answers exactly what the LangGraph API server (HTTP) answers.

Each case sends one request through the gateway and the same request through langgraph-sdk
straight to the same upstream, concurrently (the upstream polls its run queue every 0.5 s and,
as `langgraph dev`, runs one run at a time: overlapping the two calls overlaps their waits), and
compares the results: the sequence of event names and their data, normalised only for what
differs between two runs (ids, timestamps; see normalize.py). Errors are compared by the
upstream's HTTP status, which the gateway reports in its ErrorInfo, and by the gRPC code that
status maps to.

Most cases only start runs and compare them. They are registered as scenarios and run all at
once by one fixture (the upstream then takes its queued runs back to back instead of polling for
each: a few seconds instead of one per case), and each is still reported as its own test,
test_scenario[<name>], failing with its own assertion. Cases that depend on timing (a busy
thread, cancellation, deadlines, heartbeats) or need no run (errors, refused requests) are plain
tests.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
import pytest_asyncio
from google.protobuf import json_format
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway.jsonvalue import value_to_json
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import APIStatusError

from . import normalize
from .gates import gate
from .status_details import error_info

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Stub = runs_pb2_grpc.RunsServiceStub
StatusCode = grpc.StatusCode

_ENUM_PREFIXES = {
    "on_disconnect": "ON_DISCONNECT_",
    "on_completion": "ON_COMPLETION_",
    "durability": "DURABILITY_",
    "multitask_strategy": "MULTITASK_STRATEGY_",
    "if_not_exists": "IF_NOT_EXISTS_",
}

# The gRPC code each HTTP status the real server produces must map to.
EXPECTED_CODE = {
    400: StatusCode.INVALID_ARGUMENT,
    404: StatusCode.NOT_FOUND,
    409: StatusCode.ABORTED,
    422: StatusCode.INVALID_ARGUMENT,
}


def user(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def request(cls: type[Any], thread_id: str | None, assistant_id: str, body: dict[str, Any]) -> Any:
    """The gRPC request for an HTTP body given as langgraph-sdk keyword arguments."""
    fields: dict[str, Any] = {"assistant_id": assistant_id}
    if thread_id is not None:
        fields["thread_id"] = thread_id
    for name, item in body.items():
        if item is None:
            continue
        if name in _ENUM_PREFIXES:
            item = _ENUM_PREFIXES[name] + item.upper()
        elif name in ("stream_mode", "interrupt_before", "interrupt_after") and isinstance(item, str):
            item = [item]
        fields[name] = item
    return json_format.ParseDict(fields, cls())


def stream_request(thread_id: str | None, assistant_id: str, **body: Any) -> runs_pb2.StreamRunRequest:
    return request(runs_pb2.StreamRunRequest, thread_id, assistant_id, body)


def wait_request(thread_id: str | None, assistant_id: str, **body: Any) -> runs_pb2.WaitRunRequest:
    return request(runs_pb2.WaitRunRequest, thread_id, assistant_id, body)


def data_of(message: runs_pb2.StreamRunResponse) -> Any:
    return value_to_json(message.data) if message.HasField("data") else None


@dataclass
class GrpcStream:
    messages: list[runs_pb2.StreamRunResponse]
    error: grpc.aio.AioRpcError | None
    initial_metadata: dict[str, str]


async def grpc_stream(runs: Stub, req: runs_pb2.StreamRunRequest, **kwargs: Any) -> GrpcStream:
    call = runs.StreamRun(req, **kwargs)
    messages: list[runs_pb2.StreamRunResponse] = []
    error = None
    try:
        async for message in call:
            messages.append(message)
    except grpc.aio.AioRpcError as exc:
        error = exc
    return GrpcStream(messages, error, dict(await call.initial_metadata() or ()))


@dataclass
class GrpcWait:
    response: runs_pb2.WaitRunResponse | None
    error: grpc.aio.AioRpcError | None
    initial_metadata: dict[str, str]
    trailing_metadata: dict[str, str | bytes]


async def grpc_wait(runs: Stub, req: runs_pb2.WaitRunRequest, **kwargs: Any) -> GrpcWait:
    call = runs.WaitRun(req, **kwargs)
    try:
        response, error = await call, None
    except grpc.aio.AioRpcError as exc:
        response, error = None, exc
    initial, trailing = await call.initial_metadata(), await call.trailing_metadata()
    return GrpcWait(response, error, dict(initial or ()), dict(trailing or ()))


async def sdk_stream(
    sdk: LangGraphClient, thread_id: str | None, assistant_id: str, **body: Any
) -> list[Any]:
    return [part async for part in sdk.runs.stream(thread_id, assistant_id, **body)]


async def sdk_error(awaitable: Any) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        await awaitable
    return info.value


async def sdk_stream_error(
    sdk: LangGraphClient, thread_id: str | None, assistant_id: str, **body: Any
) -> Any:
    return await sdk_error(sdk_stream(sdk, thread_id, assistant_id, **body))


def assert_same_stream(
    got: list[runs_pb2.StreamRunResponse], want: list[Any], *, resumable: bool = False
) -> None:
    """Same events in the same order with the same data, up to ids and timestamps."""
    assert got, "the gateway sent no message"
    ours = normalize.events([(m.event, data_of(m)) for m in got])
    theirs = normalize.events([(p.event, p.data) for p in want])
    assert [name for name, _ in ours] == [name for name, _ in theirs]
    assert ours == theirs
    for message in got:
        mode, *namespace = message.event.split("|")
        assert message.mode == mode
        assert list(message.namespace) == namespace
    if resumable:
        assert all(normalize.SSE_ID.fullmatch(m.id) for m in got), [m.id for m in got]
        assert all(p.id and normalize.SSE_ID.fullmatch(p.id) for p in want)
    else:
        assert [m.id for m in got] == [""] * len(got)
        assert [p.id for p in want] == [None] * len(want)


def assert_run_ids(stream: GrpcStream, thread_id: str | None = None) -> None:
    """Initial metadata names the run that the first (`metadata`) event announces."""
    assert stream.messages[0].event == "metadata"
    run_id = data_of(stream.messages[0])["run_id"]
    assert stream.initial_metadata.get("x-langgraph-run-id") == run_id
    if thread_id is not None:
        assert stream.initial_metadata.get("x-langgraph-thread-id") == thread_id


async def compare_stream(
    runs: Stub,
    sdk: LangGraphClient,
    thread_ids: tuple[str | None, str | None],
    assistant_id: str,
    **body: Any,
) -> tuple[GrpcStream, list[Any]]:
    """The same stream through the gateway and the sdk, at once; both must succeed and agree."""
    ours_thread, their_thread = thread_ids
    ours, theirs = await asyncio.gather(
        grpc_stream(runs, stream_request(ours_thread, assistant_id, **body)),
        sdk_stream(sdk, their_thread, assistant_id, **body),
    )
    assert ours.error is None, ours.error
    assert_same_stream(ours.messages, theirs, resumable=bool(body.get("stream_resumable")))
    assert_run_ids(ours, ours_thread)
    return ours, theirs


# --- scenarios: cases run all at once -------------------------------------------------------------

Scenario = Callable[[Stub, LangGraphClient], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(*cases: tuple[str, dict[str, Any]]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a case as scenario "<function name>", or "<function name>-<id>" per (id, kwargs)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if not cases:
            SCENARIOS[function.__name__] = function
        for case_id, kwargs in cases:
            SCENARIOS[f"{function.__name__}-{case_id}"] = functools.partial(function, **kwargs)
        return function

    return register


def mode_id(stream_mode: str | list[str]) -> str:
    return stream_mode if isinstance(stream_mode, str) else "+".join(stream_mode)


# --- stream modes ------------------------------------------------------------------------------

ALL_AGENT_MODES = ["values", "updates", "messages-tuple", "custom", "tasks", "checkpoints", "debug", "events"]


STREAM_MODE_CASES = [
    ("agent", "values"),
    ("agent", "updates"),
    ("agent", "custom"),
    ("agent", "tasks"),
    ("agent", "checkpoints"),
    ("agent", "debug"),
    ("agent", "events"),
    ("agent", "messages-tuple"),
    ("fakellm", "messages-tuple"),
    ("fakellm", "messages"),
    ("fakellm", "events"),
    ("agent", ["values", "updates", "custom"]),
    ("agent", ["updates", "tasks", "checkpoints", "debug"]),
    ("agent", ALL_AGENT_MODES),
    ("fakellm", ["messages", "messages-tuple", "updates", "values"]),
]


@scenario(
    *(
        (f"{assistant_id}-{mode_id(mode)}", {"assistant_id": assistant_id, "stream_mode": mode})
        for assistant_id, mode in STREAM_MODE_CASES
    )
)
async def stream_modes(runs: Stub, sdk: LangGraphClient, assistant_id: str, stream_mode: Any) -> None:
    await compare_stream(runs, sdk, (None, None), assistant_id, input=user("hello"), stream_mode=stream_mode)


@scenario()
async def default_stream_mode(runs: Stub, sdk: LangGraphClient) -> None:
    """No stream_mode at all: the upstream's default (values) applies on both paths."""
    ours, _ = await compare_stream(runs, sdk, (None, None), "agent", input=user("hello"), stream_mode=None)
    assert {m.event for m in ours.messages} == {"metadata", "values"}


@scenario(
    *(
        (mode_id(mode), {"stream_mode": mode})
        for mode in (["values", "updates", "custom"], ["messages-tuple", "tasks", "checkpoints", "debug"])
    )
)
async def stream_subgraphs(runs: Stub, sdk: LangGraphClient, stream_mode: list[str]) -> None:
    ours, _ = await compare_stream(
        runs, sdk, (None, None), "nested", input=user("hi"), stream_mode=stream_mode, stream_subgraphs=True
    )
    nested = [m for m in ours.messages if m.namespace]
    assert nested, "no subgraph event"
    assert all(len(m.namespace) == 1 and m.namespace[0].startswith("inner:") for m in nested)


# With many modes, several events fall in one millisecond, and the in-memory upstream then gives
# them the same id ("<ms>-0"): they are still distinct events, each to be delivered.
RESUMABLE_MODES = [["updates", "custom"], ["values", "updates", "custom", "tasks", "checkpoints", "debug"]]


@scenario(*((mode_id(mode), {"stream_mode": mode}) for mode in RESUMABLE_MODES))
async def stream_resumable_ids(runs: Stub, sdk: LangGraphClient, stream_mode: list[str]) -> None:
    """With stream_resumable every message carries the SSE id (checked against a replay below)."""
    await compare_stream(
        runs, sdk, (None, None), "agent", input=user("hello"), stream_mode=stream_mode, stream_resumable=True
    )


@scenario(*((mode_id(mode), {"stream_mode": mode}) for mode in RESUMABLE_MODES))
async def stream_resumable_ids_equal_replay(runs: Stub, sdk: LangGraphClient, stream_mode: list[str]) -> None:
    """The ids the gateway hands out are the upstream's own: a replay of the run shows the same ones."""
    thread = await sdk.threads.create()
    thread_id = thread["thread_id"]
    ours = await grpc_stream(
        runs,
        stream_request(
            thread_id, "agent", input=user("hello"), stream_mode=stream_mode, stream_resumable=True
        ),
    )
    assert ours.error is None, ours.error
    run_id = ours.initial_metadata["x-langgraph-run-id"]
    replay = [part async for part in sdk.runs.join_stream(thread_id, run_id, last_event_id="-1")]
    assert len(replay) >= 4 and replay[0].event == "metadata"
    assert [(m.event, m.id) for m in ours.messages] == [(p.event, p.id) for p in replay]
    assert [(m.event, data_of(m), m.id) for m in ours.messages] == [(p.event, p.data, p.id) for p in replay]


# --- a run that fails ----------------------------------------------------------------------------


def assert_run_failed(error: grpc.aio.AioRpcError | None, message: str) -> None:
    assert error is not None, "the call did not fail"
    assert error.code() == StatusCode.INTERNAL, error
    info = error_info(error)
    assert info.reason == "RUN_FAILED"
    assert info.metadata["error"] == "ValueError"
    assert info.metadata["message"] == message


@scenario()
async def stream_node_error(runs: Stub, sdk: LangGraphClient) -> None:
    """The `error` event is forwarded as a message, then the call ends with INTERNAL / RUN_FAILED."""
    body = {"input": user("FAIL now"), "stream_mode": ["updates", "custom"]}
    ours, theirs = await asyncio.gather(
        grpc_stream(runs, stream_request(None, "agent", **body)), sdk_stream(sdk, None, "agent", **body)
    )
    assert_same_stream(ours.messages, theirs)
    assert ours.messages[-1].event == "error"
    assert data_of(ours.messages[-1]) == {"error": "ValueError", "message": "boom: FAIL now"}
    assert_run_failed(ours.error, "boom: FAIL now")


@scenario(("stateless", {"on_thread": False}), ("thread", {"on_thread": True}))
async def wait_node_error(runs: Stub, sdk: LangGraphClient, on_thread: bool) -> None:
    ours_thread = their_thread = None
    if on_thread:
        ours_thread, their_thread = await thread_pair(sdk)
    body = {"input": user("FAIL now")}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(ours_thread, "agent", **body)),
        _exception(sdk.runs.wait(their_thread, "agent", **body)),
    )
    assert isinstance(theirs, Exception) and "ValueError: boom: FAIL now" in str(theirs)
    assert_run_failed(ours.error, "boom: FAIL now")
    assert ours.trailing_metadata.get("x-langgraph-run-id")  # beside the error's details


async def _exception(awaitable: Any) -> BaseException | None:
    try:
        await awaitable
    except Exception as exc:
        return exc
    return None


# --- thread runs -----------------------------------------------------------------------------------


async def thread_pair(sdk: LangGraphClient) -> tuple[str, str]:
    ours, theirs = await asyncio.gather(sdk.threads.create(), sdk.threads.create())
    return ours["thread_id"], theirs["thread_id"]


async def assert_same_state(sdk: LangGraphClient, ours_thread: str, their_thread: str) -> dict[str, Any]:
    ours, theirs = await asyncio.gather(
        sdk.threads.get_state(ours_thread), sdk.threads.get_state(their_thread)
    )
    assert normalize.value(ours) == normalize.value(theirs)
    return dict(ours)


@scenario()
async def thread_two_turns(runs: Stub, sdk: LangGraphClient) -> None:
    threads = await thread_pair(sdk)
    for text in ("first", "second"):
        await compare_stream(runs, sdk, threads, "agent", input=user(text), stream_mode=["values", "updates"])
    state = await assert_same_state(sdk, *threads)
    assert state["values"]["count"] == 2
    assert [m["content"] for m in state["values"]["messages"]] == [
        "first",
        "echo: first",
        "second",
        "echo: second",
    ]


@scenario()
async def interrupt_then_resume(runs: Stub, sdk: LangGraphClient) -> None:
    threads = await thread_pair(sdk)
    modes = ["values", "updates"]
    ours, _ = await compare_stream(
        runs, sdk, threads, "agent", input=user("INTERRUPT please"), stream_mode=modes
    )
    assert "__interrupt__" in data_of(ours.messages[-1])
    state = await assert_same_state(sdk, *threads)
    assert state["next"] == ["echo"]
    ours, _ = await compare_stream(runs, sdk, threads, "agent", command={"resume": "yes"}, stream_mode=modes)
    state = await assert_same_state(sdk, *threads)
    assert state["next"] == []
    assert state["values"]["messages"][-1]["content"] == "resumed with: yes"


# --- WaitRun -------------------------------------------------------------------------------------


def assert_wait_ids(ours: GrpcWait, thread_id: str | None = None, *, early: bool = False) -> None:
    """The ids in the response and in the metadata: initial when the call asked for them early
    (notify_run_created), else trailing, with the answer."""
    assert ours.response is not None
    assert ours.response.run_id and ours.response.thread_id
    metadata, other = (
        (ours.initial_metadata, ours.trailing_metadata)
        if early
        else (ours.trailing_metadata, ours.initial_metadata)
    )
    assert metadata.get("x-langgraph-run-id") == ours.response.run_id
    assert metadata.get("x-langgraph-thread-id") == ours.response.thread_id
    assert "x-langgraph-run-id" not in other
    if thread_id is not None:
        assert ours.response.thread_id == thread_id


@scenario()
async def wait_stateless(runs: Stub, sdk: LangGraphClient) -> None:
    body = {"input": user("hello")}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(None, "agent", **body)), sdk.runs.wait(None, "agent", **body)
    )
    assert ours.error is None, ours.error
    assert_wait_ids(ours)
    assert normalize.value(value_to_json(ours.response.values)) == normalize.value(theirs)
    assert theirs["count"] == 1


@scenario()
async def wait_notify_run_created(runs: Stub, sdk: LangGraphClient) -> None:
    """notify_run_created: the ids come as initial metadata, as langgraph-sdk's on_run_created
    hears of them once the run is created."""
    created: list[Any] = []
    body = {"input": user("hello")}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(None, "agent", notify_run_created=True, **body)),
        sdk.runs.wait(None, "agent", on_run_created=created.append, **body),
    )
    assert ours.error is None, ours.error
    assert_wait_ids(ours, early=True)
    assert [sorted(c) for c in created] == [["run_id", "thread_id"]] and created[0]["run_id"]
    assert normalize.value(value_to_json(ours.response.values)) == normalize.value(theirs)


@scenario()
async def wait_on_thread_two_turns(runs: Stub, sdk: LangGraphClient) -> None:
    ours_thread, their_thread = await thread_pair(sdk)
    for count, text in enumerate(("first", "second"), start=1):
        body = {"input": user(text)}
        ours, theirs = await asyncio.gather(
            grpc_wait(runs, wait_request(ours_thread, "agent", **body)),
            sdk.runs.wait(their_thread, "agent", **body),
        )
        assert ours.error is None, ours.error
        assert_wait_ids(ours, ours_thread)
        assert normalize.value(value_to_json(ours.response.values)) == normalize.value(theirs)
        assert theirs["count"] == count
    await assert_same_state(sdk, ours_thread, their_thread)


@scenario()
async def wait_interrupt(runs: Stub, sdk: LangGraphClient) -> None:
    """An interrupted run answers its state with __interrupt__, on both paths."""
    ours_thread, their_thread = await thread_pair(sdk)
    body = {"input": user("INTERRUPT please")}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(ours_thread, "agent", **body)),
        sdk.runs.wait(their_thread, "agent", **body),
    )
    assert ours.error is None, ours.error
    assert "__interrupt__" in theirs
    assert normalize.value(value_to_json(ours.response.values)) == normalize.value(theirs)
    body = {"command": {"resume": "ok"}}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(ours_thread, "agent", **body)),
        sdk.runs.wait(their_thread, "agent", **body),
    )
    assert ours.error is None, ours.error
    assert normalize.value(value_to_json(ours.response.values)) == normalize.value(theirs)
    assert theirs["messages"][-1]["content"] == "resumed with: ok"


# --- upstream errors -------------------------------------------------------------------------------


@dataclass
class ErrorCase:
    thread_id: str | None
    assistant_id: str
    body: dict[str, Any]


def error_cases() -> dict[str, ErrorCase]:
    return {
        "unknown_assistant_name": ErrorCase(None, "nope", {"input": user("hi")}),
        "unknown_assistant_uuid": ErrorCase(None, str(uuid.uuid4()), {"input": user("hi")}),
        "non_uuid_thread": ErrorCase("not-a-uuid", "agent", {"input": user("hi")}),
        "unknown_thread": ErrorCase(str(uuid.uuid4()), "agent", {"input": user("hi")}),
        "bad_stream_mode": ErrorCase(None, "agent", {"input": user("hi"), "stream_mode": ["bogus"]}),
    }


async def sdk_wait_error(sdk: LangGraphClient, case: ErrorCase) -> APIStatusError:
    """/runs/wait through the sdk's HTTP client (runs.wait has no stream_mode)."""
    path = f"/threads/{case.thread_id}/runs/wait" if case.thread_id else "/runs/wait"
    return await sdk_error(sdk.http.post(path, json={"assistant_id": case.assistant_id, **case.body}))


def assert_same_error(error: grpc.aio.AioRpcError | None, theirs: APIStatusError, expected_http: int) -> None:
    assert theirs.status_code == expected_http
    assert error is not None, "the gateway call succeeded"
    assert error.code() == EXPECTED_CODE[expected_http], error
    info = error_info(error)
    assert info.reason == "UPSTREAM_HTTP_ERROR"
    assert info.metadata["http_status"] == str(theirs.status_code)
    body = theirs.body
    assert isinstance(body, dict)
    assert error.details() == body["detail"]


@pytest.mark.parametrize(
    ("name", "expected_http"),
    [
        ("unknown_assistant_name", 422),
        ("unknown_assistant_uuid", 404),
        ("non_uuid_thread", 400),
        ("unknown_thread", 404),
        ("bad_stream_mode", 422),
    ],
)
@pytest.mark.parametrize("method", ["StreamRun", "WaitRun"])
async def test_upstream_error(
    runs: Stub, sdk: LangGraphClient, name: str, expected_http: int, method: str
) -> None:
    case = error_cases()[name]
    if method == "StreamRun":
        ours, theirs = await asyncio.gather(
            grpc_stream(runs, stream_request(case.thread_id, case.assistant_id, **case.body)),
            sdk_stream_error(sdk, case.thread_id, case.assistant_id, **case.body),
        )
        assert ours.messages == [], "StreamRun sent a message before the error"
    else:
        ours, theirs = await asyncio.gather(
            grpc_wait(runs, wait_request(case.thread_id, case.assistant_id, **case.body)),
            sdk_wait_error(sdk, case),
        )
        assert "x-langgraph-run-id" not in ours.trailing_metadata
    assert_same_error(ours.error, theirs, expected_http)
    assert "x-langgraph-run-id" not in ours.initial_metadata
    if name == "unknown_assistant_name":
        assert "Invalid assistant: 'nope'" in ours.error.details()


async def test_busy_thread_reject(runs: Stub, sdk: LangGraphClient) -> None:
    """A second run on a busy thread with multitask_strategy reject: 409 -> ABORTED, on both calls."""
    thread_id = (await sdk.threads.create())["thread_id"]
    async with gate(sdk) as name:  # the first run holds the thread until the gate opens
        await sdk.runs.create(thread_id, "agent", input=user(f"WAIT {name}"))
        body = {"input": user("hi"), "multitask_strategy": "reject"}
        case = ErrorCase(thread_id, "agent", body)
        stream, wait, their_stream, their_wait = await asyncio.gather(
            grpc_stream(runs, stream_request(thread_id, "agent", **body)),
            grpc_wait(runs, wait_request(thread_id, "agent", **body)),
            sdk_stream_error(sdk, thread_id, "agent", **body),
            sdk_wait_error(sdk, case),
        )
    assert stream.messages == []
    assert_same_error(stream.error, their_stream, 409)
    assert_same_error(wait.error, their_wait, 409)


# --- requests refused by the gateway itself --------------------------------------------------------


async def gateway_both(runs: Stub, stream_req: Any, wait_req: Any) -> list[grpc.aio.AioRpcError]:
    stream, wait = await asyncio.gather(grpc_stream(runs, stream_req), grpc_wait(runs, wait_req))
    assert stream.messages == []
    assert stream.error is not None and wait.error is not None
    return [stream.error, wait.error]


@pytest.mark.parametrize(("number", "what"), [(math.nan, "NaN"), (-math.inf, "Infinity")])
async def test_non_json_number_is_invalid(runs: Stub, number: float, what: str) -> None:
    """NaN and infinities have no JSON spelling: refused before any upstream call."""
    stream_req = stream_request(None, "agent", input={"x": [1]})
    wait_req = wait_request(None, "agent", input={"x": [1]})
    for req in (stream_req, wait_req):
        req.input.struct_value.fields["x"].list_value.values[0].number_value = number
    for error in await gateway_both(runs, stream_req, wait_req):
        assert error.code() == StatusCode.INVALID_ARGUMENT
        info = error_info(error)
        assert info.reason == "INVALID_REQUEST"
        assert info.metadata["field"] == "input.x[0]"
        assert what in error.details()


@pytest.mark.parametrize("thread_id", ["../assistants", "a/b", ".hidden", "x" * 200])
async def test_unsafe_thread_id_is_invalid(runs: Stub, thread_id: str) -> None:
    errors = await gateway_both(
        runs,
        stream_request(thread_id, "agent", input=user("hi")),
        wait_request(thread_id, "agent", input=user("hi")),
    )
    for error in errors:
        assert error.code() == StatusCode.INVALID_ARGUMENT
        info = error_info(error)
        assert info.reason == "INVALID_REQUEST"
        assert info.metadata["field"] == "thread_id"


async def test_missing_assistant_id(runs: Stub, sdk: LangGraphClient) -> None:
    """Refused at the gateway with the code the upstream's own 422 maps to."""
    errors = await gateway_both(
        runs, runs_pb2.StreamRunRequest(stream_mode=["values"]), runs_pb2.WaitRunRequest()
    )
    theirs = await sdk_error(sdk.http.post("/runs/wait", json={"input": {}}))
    assert theirs.status_code == 422
    for error in errors:
        assert error.code() == EXPECTED_CODE[422]
        assert error_info(error).metadata["field"] == "assistant_id"


# --- cancellation and deadlines --------------------------------------------------------------------


async def wait_for_status(
    sdk: LangGraphClient, thread_id: str, run_id: str, status: str, within: float = 30
) -> None:
    deadline = time.monotonic() + within
    seen = None
    while time.monotonic() < deadline:
        seen = (await sdk.runs.get(thread_id, run_id))["status"]
        if seen == status:
            return
        await asyncio.sleep(0.2)
    pytest.fail(f"run {run_id} is {seen!r}, not {status!r}, after {within}s")


async def _first_parts(stream: AsyncIterator[Any], count: int) -> list[Any]:
    parts = []
    async for part in stream:
        parts.append(part)
        if len(parts) == count:
            break
    return parts


async def test_cancel_stream_cancels_run(runs: Stub, sdk: LangGraphClient) -> None:
    """Dropping a StreamRun with on_disconnect=cancel cancels the run, as dropping the SSE stream
    does. Both runs wait at a gate, opened only at the end: neither can end by itself."""
    ours_thread, their_thread = await thread_pair(sdk)

    async def ours(body: dict[str, Any]) -> tuple[str, list[Any]]:
        call = runs.StreamRun(stream_request(ours_thread, "agent", **body))
        messages = []
        async for message in call:
            messages.append(message)
            if len(messages) == 2:
                break
        call.cancel()
        return data_of(messages[0])["run_id"], messages

    async def theirs(body: dict[str, Any]) -> tuple[str, list[Any]]:
        stream = sdk.runs.stream(their_thread, "agent", **body)
        parts = await _first_parts(stream, 2)
        await stream.aclose()
        return parts[0].data["run_id"], parts

    async with gate(sdk) as name:
        body = {"input": user(f"WAIT {name}"), "stream_mode": ["custom"], "on_disconnect": "cancel"}
        (our_run, messages), (their_run, parts) = await asyncio.gather(ours(body), theirs(body))
        assert normalize.events([(m.event, data_of(m)) for m in messages]) == normalize.events(
            [(p.event, p.data) for p in parts]
        )
        await asyncio.gather(
            wait_for_status(sdk, ours_thread, our_run, "interrupted"),
            wait_for_status(sdk, their_thread, their_run, "interrupted"),
        )


async def test_stream_deadline(runs: Stub, sdk: LangGraphClient) -> None:
    """A run that cannot end by itself (it waits at a gate) outlives the call's deadline: the call
    ends DEADLINE_EXCEEDED after the events already sent, and the upstream, disconnected, cancels
    the run (on_disconnect=cancel)."""
    thread_id = (await sdk.threads.create())["thread_id"]
    async with gate(sdk) as name:
        req = stream_request(
            thread_id, "agent", input=user(f"WAIT {name}"), stream_mode=["custom"], on_disconnect="cancel"
        )
        ours = await grpc_stream(runs, req, timeout=2)
        assert ours.error is not None and ours.error.code() == StatusCode.DEADLINE_EXCEEDED, ours.error
        # As many of the run's events as came before the deadline (all three unless the upstream
        # was slow to start the run): never another one, never one out of order.
        events = [m.event for m in ours.messages]
        assert events == ["metadata", "custom", "custom"][: len(events)]
        await wait_for_status(sdk, thread_id, ours.initial_metadata["x-langgraph-run-id"], "interrupted")


async def test_wait_deadline(runs: Stub, sdk: LangGraphClient) -> None:
    thread_id = (await sdk.threads.create())["thread_id"]
    async with gate(sdk) as name:  # the run cannot end by itself
        # A caller that may give up on the run asks for its ids early, to find it afterwards.
        req = wait_request(
            thread_id, "agent", input=user(f"WAIT {name}"), on_disconnect="cancel", notify_run_created=True
        )
        ours = await grpc_wait(runs, req, timeout=2)
        assert ours.error is not None and ours.error.code() == StatusCode.DEADLINE_EXCEEDED, ours.error
        run_id = ours.initial_metadata["x-langgraph-run-id"]
        await wait_for_status(sdk, thread_id, run_id, "interrupted")


# --- payloads and run options ----------------------------------------------------------------------

UNICODE_TEXT = 'héllo wörld 🌍 \u2028 \u0085 "quoted" \\ back\tslash \x00 end'


@scenario(("unicode", {"text": UNICODE_TEXT}), ("large", {"text": "x" * 200_000}))
async def payloads(runs: Stub, sdk: LangGraphClient, text: str) -> None:
    """Text that stresses the SSE framing and the JSON <-> Value mapping comes through unchanged."""
    body = {"input": user(text)}
    (ours, _), ours_wait, theirs_wait = await asyncio.gather(
        compare_stream(runs, sdk, (None, None), "agent", stream_mode=["values", "updates", "custom"], **body),
        grpc_wait(runs, wait_request(None, "agent", **body)),
        sdk.runs.wait(None, "agent", **body),
    )
    # The upstream itself turns NUL into U+FFFD (the sdk sees the same, compared above).
    expected = f"echo: {text}".replace("\x00", "\ufffd")
    assert data_of(ours.messages[-1])["messages"][-1]["content"] == expected
    assert ours_wait.error is None, ours_wait.error
    assert normalize.value(value_to_json(ours_wait.response.values)) == normalize.value(theirs_wait)


@scenario()
async def config_integer_passes_validation(runs: Stub, sdk: LangGraphClient) -> None:
    """recursion_limit must be an integer upstream: the gateway's doubles must reach it as one."""
    config = {"recursion_limit": 10, "tags": ["conformance"], "configurable": {"n": 3}}
    await compare_stream(
        runs, sdk, (None, None), "agent", input=user("hi"), config=config, stream_mode="updates"
    )


@scenario()
async def recursion_limit_error(runs: Stub, sdk: LangGraphClient) -> None:
    """A run that hits its recursion limit fails like any other run: `error` event, then INTERNAL."""
    body = {"input": user("hi"), "config": {"recursion_limit": 1}, "stream_mode": ["updates"]}
    ours, theirs, ours_wait, theirs_wait = await asyncio.gather(
        grpc_stream(runs, stream_request(None, "agent", **body)),
        sdk_stream(sdk, None, "agent", **body),
        grpc_wait(runs, wait_request(None, "agent", input=body["input"], config=body["config"])),
        _exception(sdk.runs.wait(None, "agent", input=body["input"], config=body["config"])),
    )
    assert_same_stream(ours.messages, theirs)
    assert theirs[-1].event == "error"
    kind = theirs[-1].data["error"]
    for error in (ours.error, ours_wait.error):
        assert error is not None and error.code() == StatusCode.INTERNAL, error
        info = error_info(error)
        assert info.reason == "RUN_FAILED"
        assert info.metadata["error"] == kind
    assert isinstance(theirs_wait, Exception) and kind in str(theirs_wait)


@scenario(
    ("interrupt_before", {"options": {"interrupt_before": ["post"]}}),
    ("interrupt_after_all", {"options": {"interrupt_after": "*"}}),
    ("durability_exit", {"options": {"durability": "exit"}}),
    (
        "command_update_goto",
        {"options": {"command": {"update": {"count": 10}, "goto": "post"}, "input": None}},
    ),
)
async def thread_run_options(runs: Stub, sdk: LangGraphClient, options: dict[str, Any]) -> None:
    threads = await thread_pair(sdk)
    body = {"input": user("hi"), "stream_mode": ["values", "updates", "debug"], **options}
    await compare_stream(runs, sdk, threads, "agent", **body)
    await assert_same_state(sdk, *threads)


@scenario()
async def if_not_exists_create(runs: Stub, sdk: LangGraphClient) -> None:
    threads = (str(uuid.uuid4()), str(uuid.uuid4()))
    await compare_stream(
        runs, sdk, threads, "agent", input=user("hi"), stream_mode="values", if_not_exists="create"
    )
    state = await assert_same_state(sdk, *threads)
    assert state["values"]["count"] == 1


@scenario()
async def after_seconds(runs: Stub, sdk: LangGraphClient) -> None:
    await compare_stream(
        runs, sdk, (None, None), "agent", input=user("later"), stream_mode="updates", after_seconds=1
    )


@scenario()
async def wait_on_completion_keep(runs: Stub, sdk: LangGraphClient) -> None:
    """A kept stateless thread is the one WaitRunResponse.thread_id names."""
    body = {"input": user("keep me"), "on_completion": "keep"}
    ours, theirs = await asyncio.gather(
        grpc_wait(runs, wait_request(None, "agent", **body)), sdk.runs.wait(None, "agent", **body)
    )
    assert ours.error is None, ours.error
    assert_wait_ids(ours)
    values = value_to_json(ours.response.values)
    assert normalize.value(values) == normalize.value(theirs)
    state = await sdk.threads.get_state(ours.response.thread_id)
    assert state["values"] == values


async def test_heartbeats(runs: Stub) -> None:
    """Calls that stay quiet for over 5 s: the upstream's heartbeat comments (stream) and newline
    padding (wait) stay invisible.

    langgraph dev runs one run at a time, so a StreamRun queued behind a 6 s WaitRun gets nothing but
    a heartbeat for those 6 s (its `metadata` event comes when its run starts), and the WaitRun's
    answer starts with padding: one sleeping run exercises both calls.
    """
    wait_call = runs.WaitRun(wait_request(None, "agent", input=user("SLEEP 6"), notify_run_created=True))
    assert dict(await wait_call.initial_metadata()).get("x-langgraph-run-id")  # the run is queued
    stream = await grpc_stream(
        runs, stream_request(None, "agent", input=user("after"), stream_mode="updates")
    )
    wait = await wait_call
    assert stream.error is None, stream.error
    assert [m.event for m in stream.messages] == ["metadata", "updates", "updates"]
    assert data_of(stream.messages[1])["echo"]["messages"][0]["content"] == "echo: after"
    values = value_to_json(wait.values)
    assert [m["content"] for m in values["messages"]] == ["SLEEP 6", "echo: SLEEP 6"]
    assert values["count"] == 1


# --- running the scenarios -----------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def scenario_failures(
    request: pytest.FixtureRequest, runs: Stub, sdk: LangGraphClient
) -> dict[str, BaseException]:
    """Runs every selected scenario at once; what each one raised, by name."""
    selected = [
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_scenario" and item.module is request.module
    ]

    async def outcome(name: str) -> BaseException | None:
        try:
            await asyncio.wait_for(SCENARIOS[name](runs, sdk), 120)
        except Exception as exc:
            return exc
        return None

    outcomes = await asyncio.gather(*(outcome(name) for name in selected))
    return {name: exc for name, exc in zip(selected, outcomes, strict=True) if exc is not None}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_scenario(scenario_failures: dict[str, BaseException], name: str) -> None:
    if name in scenario_failures:
        raise scenario_failures[name]
