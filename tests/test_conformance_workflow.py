"""Conformance of the runs workflow: assistants, threads and background runs, joins and resumption.

Every call is compared with langgraph-sdk's answer to the same request on the same real upstream.
A typed answer is turned into a dict with MessageToDict(preserving_proto_field_name=True) and
compared with the sdk's dict less the keys whose value is None (the gateway leaves those fields
unset). When the gateway and the sdk each read the *same* resource the comparison is exact; when
each made its own (two threads, two runs) ids and timestamps are normalised (normalize.py).

Also: raw JSON delivery (DATA_FORMAT_JSON) against the parsed form and the sdk, heartbeats,
cancellation, deletion, and the error mapping (upstream HTTP status -> gRPC code, and the ids the
gateway refuses before any upstream call).

The upstream (langgraph dev) runs one run at a time and starts each 0.5-1 s late, so the cases
that need runs keep them few and short, and independent calls are made concurrently.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import grpc
import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message
from langgraph_gateway.v1 import (
    assistants_pb2,
    assistants_pb2_grpc,
    resources_pb2,
    runs_pb2,
    runs_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import APIStatusError

from . import normalize
from .conftest import UPSTREAM_GRAPHS
from .gates import gate, open_gate, waiting_for
from .status_details import error_info

pytestmark = [pytest.mark.upstream, pytest.mark.asyncio(loop_scope="session")]

Runs = runs_pb2_grpc.RunsServiceStub
Threads = threads_pb2_grpc.ThreadsServiceStub
Assistants = assistants_pb2_grpc.AssistantsServiceStub
StatusCode = grpc.StatusCode
AioRpcError = grpc.aio.AioRpcError

# The gRPC code each HTTP status the real server produces must map to (as in the core).
EXPECTED_CODE = {
    400: StatusCode.INVALID_ARGUMENT,
    404: StatusCode.NOT_FOUND,
    409: StatusCode.ABORTED,
    422: StatusCode.INVALID_ARGUMENT,
    500: StatusCode.INTERNAL,
}
JSON_FORMAT = runs_pb2.DATA_FORMAT_JSON
BIG = 2**63 - 1  # a double holds it as 9223372036854775808
BIG_DIGITS = str(BIG)

# Keys the upstream sends beyond its own OpenAPI ThreadState schema, each a copy of a field the
# message has: checked to be that copy, then left out of the comparison.
REDUNDANT_STATE_KEYS = {"checkpoint_id": "checkpoint", "parent_checkpoint_id": "parent_checkpoint"}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def assistants(channel: grpc.aio.Channel) -> Assistants:
    return assistants_pb2_grpc.AssistantsServiceStub(channel)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def threads(channel: grpc.aio.Channel) -> Threads:
    return threads_pb2_grpc.ThreadsServiceStub(channel)


# --- helpers ---------------------------------------------------------------------------------------


def user(text: str, **extra: Any) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text, **extra}]}


def big_input() -> dict[str, Any]:
    """The big integer rides in a message's additional_kwargs, which the agent's state keeps."""
    return user("hi", additional_kwargs={"big": BIG})


def as_dict(message: Message) -> Any:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def value_of(value: Message) -> Any:
    """A google.protobuf.Value as plain JSON (numbers as floats)."""
    return json_format.MessageToDict(value)


def expected(obj: Mapping[str, Any], descriptor: Descriptor) -> dict[str, Any]:
    """What MessageToDict of the gateway's message must equal, from the sdk's dict: keys whose
    value is None are left out (the field stays unset), and so are empty lists of repeated
    scalar fields (proto3 does not tell an empty repeated field from an absent one). Nested
    typed messages (Checkpoint) follow the same rule; JSON (Struct, Value) is compared as is.
    Any other key stays, so a key the message cannot carry fails the comparison."""
    out: dict[str, Any] = {}
    for key, item in obj.items():
        if item is None:
            continue
        field = descriptor.fields_by_name.get(key)
        if field is not None and field.message_type is not None and isinstance(item, Mapping):
            if not field.message_type.full_name.startswith("google.protobuf."):
                item = expected(item, field.message_type)
        elif field is not None and field.is_repeated and field.message_type is None and item == []:
            continue
        out[key] = item
    return out


def expected_state(state: Mapping[str, Any]) -> dict[str, Any]:
    state = dict(state)
    for key, holder in REDUNDANT_STATE_KEYS.items():
        copy = state.pop(key, None)
        if copy is not None:
            assert copy == (state.get(holder) or {}).get("checkpoint_id"), (key, state)
    return expected(state, resources_pb2.ThreadState.DESCRIPTOR)


def expected_thread(thread: Mapping[str, Any]) -> dict[str, Any]:
    return expected(thread, resources_pb2.Thread.DESCRIPTOR)


def expected_run(run: Mapping[str, Any]) -> dict[str, Any]:
    return expected(run, resources_pb2.Run.DESCRIPTOR)


def expected_assistant(assistant: Mapping[str, Any]) -> dict[str, Any]:
    return expected(assistant, resources_pb2.Assistant.DESCRIPTOR)


async def grpc_error(awaitable: Awaitable[Any]) -> AioRpcError:
    with pytest.raises(AioRpcError) as info:
        await awaitable
    return info.value


async def sdk_error(awaitable: Awaitable[Any]) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        await awaitable
    return info.value


HTTPError = APIStatusError | httpx.HTTPStatusError


def http_error(theirs: HTTPError) -> tuple[int, str]:
    """(status, detail) of the upstream's error answer as the sdk reports it (most calls raise
    APIStatusError; runs.join raises httpx's HTTPStatusError)."""
    if isinstance(theirs, httpx.HTTPStatusError):
        status, text = theirs.response.status_code, theirs.response.text
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = text
    else:
        status, body = theirs.status_code, theirs.body
    return status, body["detail"] if isinstance(body, dict) else str(body).strip()


def assert_mapped(error: AioRpcError, theirs: HTTPError, http_status: int | None = None) -> None:
    """The gateway's error is the upstream's: the mapped code, the HTTP status, the detail."""
    status, detail = http_error(theirs)
    if http_status is not None:
        assert status == http_status, theirs
    assert error.code() == EXPECTED_CODE[status], (error, theirs)
    info = error_info(error)
    assert info.reason == "UPSTREAM_HTTP_ERROR"
    assert info.metadata["http_status"] == str(status)
    assert error.details() == detail


def assert_refused(error: AioRpcError, field: str) -> None:
    """Refused by the gateway itself, before any upstream call."""
    assert error.code() == StatusCode.INVALID_ARGUMENT, error
    info = error_info(error)
    assert info.reason == "INVALID_REQUEST", info
    assert info.metadata["field"] == field, info


Event = tuple[str, Any, str | None]


def event_of(message: runs_pb2.StreamRunResponse | runs_pb2.JoinStreamResponse) -> Event:
    """(name, data, id) of a message in the Value form; checks mode and namespace on the way."""
    mode, *namespace = message.event.split("|")
    assert message.mode == mode and list(message.namespace) == namespace, message
    assert not message.data_json, "Value form with data_json"
    data = value_of(message.data) if message.HasField("data") else None
    return message.event, data, message.id or None


def raw_event_of(message: runs_pb2.StreamRunResponse | runs_pb2.JoinStreamResponse) -> Event:
    """(name, data, id) of a message in the raw JSON form: data_json parsed, `data` never set."""
    assert not message.HasField("data"), "raw form with data"
    data = json.loads(message.data_json) if message.data_json else None
    return message.event, data, message.id or None


def sdk_event(part: Any) -> Event:
    return part.event, part.data, part.id


async def collect(call: AsyncIterator[Any]) -> list[Any]:
    return [message async for message in call]


async def sdk_parts(stream: AsyncIterator[Any]) -> list[Event]:
    return [sdk_event(part) async for part in stream]


def join_stream(runs: Runs, thread_id: str, run_id: str, **fields: Any) -> AsyncIterator[Any]:
    return runs.JoinStream(runs_pb2.JoinStreamRequest(thread_id=thread_id, run_id=run_id, **fields))


async def joined(runs: Runs, thread_id: str, run_id: str, **fields: Any) -> list[Event]:
    messages = await collect(join_stream(runs, thread_id, run_id, **fields))
    raw = fields.get("data_format") == JSON_FORMAT
    return [(raw_event_of if raw else event_of)(m) for m in messages]


def create_run(thread_id: str | None, assistant_id: str, **body: Any) -> runs_pb2.CreateRunRequest:
    fields = {"assistant_id": assistant_id, **body}
    if thread_id is not None:
        fields["thread_id"] = thread_id
    return json_format.ParseDict(fields, runs_pb2.CreateRunRequest())


async def wait_status(runs: Runs, thread_id: str, run_id: str, wanted: str, within: float = 30) -> None:
    """Poll GetRun until the run has the status wanted, for at most `within` seconds."""
    deadline = time.monotonic() + within
    seen = None
    while time.monotonic() < deadline:
        answer = await runs.GetRun(runs_pb2.GetRunRequest(thread_id=thread_id, run_id=run_id))
        seen = answer.run.status
        if seen == wanted:
            return
        await asyncio.sleep(0.1)
    pytest.fail(f"run {run_id} is {seen!r}, not {wanted!r}, after {within}s")


async def new_thread(sdk: LangGraphClient, **kwargs: Any) -> str:
    return str((await sdk.threads.create(**kwargs))["thread_id"])


async def open_gates_as_announced(sdk: LangGraphClient, thread_id: str, run_id: str) -> None:
    """Opens each gate of a gated run (tests/gates.py) once the run says it waits there, until the
    run ends: every event before a gate then has an earlier SSE id than every event after it."""
    async for part in sdk.runs.join_stream(thread_id, run_id, last_event_id="-1", stream_mode="custom"):
        if (name := waiting_for(part.data)) is not None:
            await open_gate(sdk, name)


class Reader:
    """Reads a stream to its end in a task, each item turned into an Event; `started()` returns
    once the first one arrived (so a live join is surely subscribed by then)."""

    def __init__(self, stream: AsyncIterator[Any], convert: Callable[[Any], Event]) -> None:
        self._first = asyncio.Event()
        self.task = asyncio.create_task(self._read(stream, convert))

    async def _read(self, stream: AsyncIterator[Any], convert: Callable[[Any], Event]) -> list[Event]:
        events = []
        async for item in stream:
            events.append(convert(item))
            self._first.set()
        return events

    async def started(self, within: float = 30) -> None:
        first = asyncio.ensure_future(self._first.wait())
        await asyncio.wait({first, self.task}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        first.cancel()
        if self.task.done():
            self.task.result()  # its error, if it failed
        assert self._first.is_set(), f"no event within {within}s"


Call = tuple[str, Callable[[], Awaitable[Any]], Callable[[], Awaitable[Any]]]


async def outcome(call: Callable[[], Awaitable[Any]]) -> Any:
    """The call's answer, or the error it raised (gRPC or sdk)."""
    try:
        return await asyncio.wait_for(call(), timeout=10)
    except (AioRpcError, APIStatusError, httpx.HTTPStatusError) as exc:
        return exc


JOIN_HTTP_ERROR = re.compile(r"(\d{3}): (.*)", re.DOTALL)


def upstream_error_in_answer(answer: Any) -> dict[str, Any] | None:
    """The error a 200 answer reports: a final state {"__error__": {...}} or a last `error` event."""
    if isinstance(answer, dict) and isinstance(answer.get("__error__"), dict):
        return answer["__error__"]
    if isinstance(answer, list) and answer and isinstance(answer[-1], tuple) and answer[-1][0] == "error":
        data = answer[-1][1]
        return data if isinstance(data, dict) else {"message": data}
    return None


def outcome_problem(name: str, got: Any, want: Any) -> str | None:
    """What is wrong with the gateway's outcome `got` given the sdk's `want`, or None."""
    if isinstance(want, HTTPError):
        if not isinstance(got, AioRpcError):
            return f"{name}: the sdk got {http_error(want)}, the gateway answered {got!r}"
        try:
            assert_mapped(got, want)
        except AssertionError as exc:
            return f"{name}: {exc}"
        return None
    error = upstream_error_in_answer(want)
    if error is not None:
        # GET .../join answers 200 {"__error__": {...}} and GET .../stream an `error` event for a
        # run it cannot find: {"error": "HTTPException", "message": "404: Run not found"}. That is
        # the HTTP error it names, not a run that failed.
        found = JOIN_HTTP_ERROR.fullmatch(str(error.get("message")))
        if error.get("error") == "HTTPException" and found:
            code = EXPECTED_CODE[int(found[1])]
            if not (isinstance(got, AioRpcError) and got.code() == code and found[2] in got.details()):
                said = f"HTTP {found[1]} {found[2]!r} (as a run error)"
                return f"{name}: upstream said {said}: want {code}, got {got!r}"
            return None
        if not (isinstance(got, AioRpcError) and got.code() == StatusCode.INTERNAL):
            return f"{name}: the run failed ({error}), the gateway answered {got!r}"
        return None
    if isinstance(got, AioRpcError):
        return f"{name}: the sdk succeeded, the gateway failed with {got!r}"
    return None


async def same_outcomes(calls: list[Call]) -> tuple[list[Any], list[Any]]:
    """Each (name, gateway call, sdk call): the gateway fails exactly when the sdk does, with the
    upstream's status mapped and its detail as the message. Answers: the gateway's, the sdk's."""
    ours = await asyncio.gather(*(outcome(g) for _, g, _ in calls))
    theirs = await asyncio.gather(*(outcome(s) for _, _, s in calls))
    problems = [
        problem
        for (name, _, _), got, want in zip(calls, ours, theirs, strict=True)
        if (problem := outcome_problem(name, got, want))
    ]
    assert problems == []
    return list(ours), list(theirs)


# --- assistants ------------------------------------------------------------------------------------

ASSISTANT_SEARCHES: list[dict[str, Any]] = [
    {},
    {"graph_id": "agent"},
    {"name": "nested"},
    {"metadata": {"created_by": "system"}, "sort_by": "name", "sort_order": "asc"},
    {"sort_by": "graph_id", "sort_order": "desc", "limit": 2, "offset": 1},
    {"select": ["assistant_id", "graph_id", "name"], "sort_by": "name", "sort_order": "asc"},
]


async def test_search_assistants(assistants: Assistants, sdk: LangGraphClient) -> None:
    requests = [
        json_format.ParseDict(q, assistants_pb2.SearchAssistantsRequest()) for q in ASSISTANT_SEARCHES
    ]
    ours = await asyncio.gather(*(assistants.SearchAssistants(r) for r in requests))
    theirs = await asyncio.gather(*(sdk.assistants.search(**q) for q in ASSISTANT_SEARCHES))
    for query, got, want in zip(ASSISTANT_SEARCHES, ours, theirs, strict=True):
        assert want, query
        assert [as_dict(a) for a in got.assistants] == [expected_assistant(a) for a in want], query
    graphs = json.loads((UPSTREAM_GRAPHS / "langgraph.json").read_text())["graphs"]
    assert {a.graph_id for a in ours[0].assistants} == set(graphs)


async def test_search_assistants_next_offset(
    assistants: Assistants, sdk: LangGraphClient, upstream_url: str
) -> None:
    """next_offset is the upstream's X-Pagination-Next, and unset on the last page."""
    total = len(await sdk.assistants.search(limit=100))
    offsets = list(range(total + 1))
    async with httpx.AsyncClient(base_url=upstream_url) as client:
        raw = await asyncio.gather(
            *(client.post("/assistants/search", json={"limit": 1, "offset": o}) for o in offsets)
        )
    ours = await asyncio.gather(
        *(
            assistants.SearchAssistants(assistants_pb2.SearchAssistantsRequest(limit=1, offset=o))
            for o in offsets
        )
    )
    for offset, answer, got in zip(offsets, raw, ours, strict=True):
        answer.raise_for_status()
        header = answer.headers.get("x-pagination-next")
        if header is None:
            assert not got.HasField("next_offset"), offset
        else:
            assert got.HasField("next_offset") and got.next_offset == int(header), (offset, header)
        assert [as_dict(a) for a in got.assistants] == [expected_assistant(a) for a in answer.json()]
    assert ours[0].next_offset == 1
    assert not ours[-1].HasField("next_offset")  # past the end: no next page


async def test_get_assistant(assistants: Assistants, sdk: LangGraphClient) -> None:
    found = await sdk.assistants.search()
    ids = [a["assistant_id"] for a in found]
    ours = await asyncio.gather(
        *(assistants.GetAssistant(assistants_pb2.GetAssistantRequest(assistant_id=i)) for i in ids)
    )
    theirs = await asyncio.gather(*(sdk.assistants.get(i) for i in ids))
    for got, want in zip(ours, theirs, strict=True):
        assert as_dict(got.assistant) == expected_assistant(want)


@pytest.mark.parametrize(
    ("graph_id", "xray"),
    [("agent", False), ("nested", False), ("nested", True), ("nested", 1), ("fakellm", True)],
    ids=str,
)
async def test_get_assistant_graph(
    assistants: Assistants, sdk: LangGraphClient, graph_id: str, xray: bool | int
) -> None:
    [assistant] = await sdk.assistants.search(graph_id=graph_id)
    aid = assistant["assistant_id"]
    if xray is True or xray is False:
        req = assistants_pb2.GetAssistantGraphRequest(assistant_id=aid, xray=xray)
    else:
        req = assistants_pb2.GetAssistantGraphRequest(assistant_id=aid, xray_depth=xray)
    ours, theirs = await asyncio.gather(
        assistants.GetAssistantGraph(req), sdk.assistants.get_graph(aid, xray=xray)
    )
    assert as_dict(ours) == {"graph": theirs}
    assert theirs["nodes"] and theirs["edges"]


async def test_get_assistant_schemas(assistants: Assistants, sdk: LangGraphClient) -> None:
    ids = [a["assistant_id"] for a in await sdk.assistants.search()]
    ours = await asyncio.gather(
        *(
            assistants.GetAssistantSchemas(assistants_pb2.GetAssistantSchemasRequest(assistant_id=i))
            for i in ids
        )
    )
    theirs = await asyncio.gather(*(sdk.assistants.get_schemas(i) for i in ids))
    for got, want in zip(ours, theirs, strict=True):
        assert as_dict(got) == expected(want, assistants_pb2.GetAssistantSchemasResponse.DESCRIPTOR)
        assert want["state_schema"]


@pytest.mark.parametrize(
    ("assistant_id", "statuses"),
    [
        # GET /assistants/{id}/graph also takes a graph name; the other two want a UUID.
        ("agent", (422, None, 422)),
        ("not-a-uuid", (422, 422, 422)),
        (str(uuid.uuid4()), (404, 404, 404)),
    ],
)
async def test_assistant_errors(
    assistants: Assistants, sdk: LangGraphClient, assistant_id: str, statuses: tuple[int | None, ...]
) -> None:
    """A graph name, a non-UUID and an unknown UUID: each call fails exactly when the sdk's does,
    with the upstream's status mapped to its gRPC code and its detail as the message."""
    aid = assistant_id
    calls: list[Call] = [
        (
            "GetAssistant",
            lambda: assistants.GetAssistant(assistants_pb2.GetAssistantRequest(assistant_id=aid)),
            lambda: sdk.assistants.get(aid),
        ),
        (
            "GetAssistantGraph",
            lambda: assistants.GetAssistantGraph(assistants_pb2.GetAssistantGraphRequest(assistant_id=aid)),
            lambda: sdk.assistants.get_graph(aid),
        ),
        (
            "GetAssistantSchemas",
            lambda: assistants.GetAssistantSchemas(
                assistants_pb2.GetAssistantSchemasRequest(assistant_id=aid)
            ),
            lambda: sdk.assistants.get_schemas(aid),
        ),
    ]
    ours, theirs = await same_outcomes(calls)
    assert [getattr(t, "status_code", None) for t in theirs] == list(statuses)
    if statuses[1] is None:
        assert as_dict(ours[1]) == {"graph": theirs[1]}


# --- threads ---------------------------------------------------------------------------------------


async def test_create_thread(threads: Threads, sdk: LangGraphClient) -> None:
    metadata = {"suite": "workflow", "n": 3, "nested": {"ok": True}}
    ours, theirs = await asyncio.gather(
        threads.CreateThread(
            json_format.ParseDict({"metadata": metadata}, threads_pb2.CreateThreadRequest())
        ),
        sdk.threads.create(metadata=metadata),
    )
    assert normalize.value(as_dict(ours.thread)) == normalize.value(expected_thread(theirs))
    assert ours.thread.thread_id != theirs["thread_id"]
    # Each thread read both ways: exactly the same.
    ids = [ours.thread.thread_id, theirs["thread_id"]]
    got = await asyncio.gather(*(threads.GetThread(threads_pb2.GetThreadRequest(thread_id=i)) for i in ids))
    want = await asyncio.gather(*(sdk.threads.get(i) for i in ids))
    for g, w in zip(got, want, strict=True):
        assert as_dict(g.thread) == expected_thread(w)
    assert as_dict(got[0].thread) == as_dict(ours.thread)


async def test_create_thread_with_id(threads: Threads, sdk: LangGraphClient) -> None:
    """A chosen thread_id is kept; again with if_exists raise (the default) -> 409 ABORTED, as the
    sdk gets it; with do_nothing -> the existing thread."""
    thread_id = str(uuid.uuid4())
    created = await threads.CreateThread(threads_pb2.CreateThreadRequest(thread_id=thread_id))
    assert created.thread.thread_id == thread_id
    again, theirs, kept = await asyncio.gather(
        grpc_error(threads.CreateThread(threads_pb2.CreateThreadRequest(thread_id=thread_id))),
        sdk_error(sdk.threads.create(thread_id=thread_id)),
        threads.CreateThread(threads_pb2.CreateThreadRequest(thread_id=thread_id, if_exists="do_nothing")),
    )
    assert_mapped(again, theirs, 409)
    assert again.code() == StatusCode.ABORTED
    assert as_dict(kept.thread) == expected_thread(await sdk.threads.get(thread_id))


async def test_create_thread_ttl(threads: Threads, sdk: LangGraphClient) -> None:
    ttl = {"strategy": "delete", "ttl": 60}
    ours, theirs = await asyncio.gather(
        threads.CreateThread(json_format.ParseDict({"ttl": ttl}, threads_pb2.CreateThreadRequest())),
        sdk.threads.create(ttl=ttl),
    )
    assert normalize.value(as_dict(ours.thread)) == normalize.value(expected_thread(theirs))


async def test_search_threads(threads: Threads, sdk: LangGraphClient, upstream_url: str) -> None:
    tag = str(uuid.uuid4())
    made = [await new_thread(sdk, metadata={"tag": tag, "i": i}) for i in range(3)]
    searches: list[dict[str, Any]] = [
        {"metadata": {"tag": tag}},
        {"metadata": {"tag": tag}, "sort_by": "created_at", "sort_order": "asc"},
        {"ids": made[:2], "sort_by": "thread_id", "sort_order": "desc"},
        {"metadata": {"tag": tag}, "status": "idle", "limit": 2, "offset": 1},
        {"metadata": {"tag": tag, "i": 1}},
        {"metadata": {"tag": tag}, "select": ["thread_id", "status"], "sort_by": "created_at"},
    ]
    requests = [json_format.ParseDict(q, threads_pb2.SearchThreadsRequest()) for q in searches]
    ours = await asyncio.gather(*(threads.SearchThreads(r) for r in requests))
    theirs = await asyncio.gather(*(sdk.threads.search(**q) for q in searches))
    for query, got, want in zip(searches, ours, theirs, strict=True):
        assert want, query
        assert [as_dict(t) for t in got.threads] == [expected_thread(t) for t in want], query
    assert {t.thread_id for t in ours[0].threads} == set(made)
    # next_offset is X-Pagination-Next.
    body = {"metadata": {"tag": tag}, "limit": 2}
    async with httpx.AsyncClient(base_url=upstream_url) as client:
        answer = await client.post("/threads/search", json=body)
    page = await threads.SearchThreads(json_format.ParseDict(body, threads_pb2.SearchThreadsRequest()))
    assert answer.headers.get("x-pagination-next") == "2"
    assert page.HasField("next_offset") and page.next_offset == 2
    assert [as_dict(t) for t in page.threads] == [expected_thread(t) for t in answer.json()]
    assert not ours[3].HasField("next_offset")  # offset 1 + 2 threads: the last page


async def test_thread_lifecycle(runs: Runs, threads: Threads, sdk: LangGraphClient) -> None:
    """State and history of a thread with two runs, read both ways; then deleted both ways."""
    thread_id = await new_thread(sdk, metadata={"suite": "workflow"})
    first = {"thread_id": thread_id, "assistant_id": "agent", "input": user("first")}
    await runs.WaitRun(json_format.ParseDict(first, runs_pb2.WaitRunRequest()))
    await sdk.runs.wait(thread_id, "agent", input=user("second"))
    history = await sdk.threads.get_history(thread_id, limit=100)
    middle = history[2]["checkpoint"]

    got = await asyncio.gather(
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id)),
        threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id)),
        threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=thread_id)),
        threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=thread_id, limit=10)),
        threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=thread_id, limit=100)),
        threads.GetThreadHistory(
            json_format.ParseDict(
                {"thread_id": thread_id, "metadata": {"source": "loop"}, "limit": 10},
                threads_pb2.GetThreadHistoryRequest(),
            )
        ),
        threads.GetThreadHistory(
            threads_pb2.GetThreadHistoryRequest(
                thread_id=thread_id, limit=10, checkpoint=resources_pb2.Checkpoint(checkpoint_ns="")
            )
        ),
    )
    want = await asyncio.gather(
        sdk.threads.get(thread_id),
        sdk.threads.get_state(thread_id),
        # The request GetThreadHistory sends without a limit: no limit (the sdk always sends one).
        sdk.http.post(f"/threads/{thread_id}/history", json={}),
        sdk.threads.get_history(thread_id),  # limit=10, the sdk's default
        sdk.threads.get_history(thread_id, limit=100),
        sdk.threads.get_history(thread_id, metadata={"source": "loop"}),
        sdk.threads.get_history(thread_id, checkpoint={"checkpoint_ns": ""}),
    )
    assert as_dict(got[0].thread) == expected_thread(want[0])
    assert as_dict(got[1].state) == expected_state(want[1])
    for answer, states in zip(got[2:], want[2:], strict=True):
        assert states
        assert [as_dict(s) for s in answer.states] == [expected_state(s) for s in states]
    assert want[1]["values"]["count"] == 2
    assert len(want[4]) == len(history) > 4
    # Without a limit the upstream answers one state (its default limit is 1).
    assert len(got[2].states) == 1

    # `before`, spelled as the API documents it (a CheckpointConfig), on both paths: the gateway
    # fails exactly when the sdk does (langgraph-api 0.16.7 answers it with a 500: it reads
    # before["configurable"]), and answers the same states when it does not.
    before = json_format.ParseDict(middle, resources_pb2.Checkpoint())
    ours_before, theirs_before = await same_outcomes(
        [
            (
                "GetThreadHistory(before)",
                lambda: threads.GetThreadHistory(
                    threads_pb2.GetThreadHistoryRequest(thread_id=thread_id, limit=2, before=before)
                ),
                lambda: sdk.threads.get_history(thread_id, limit=2, before=middle),
            )
        ]
    )
    if not isinstance(theirs_before[0], HTTPError):
        assert [as_dict(s) for s in ours_before[0].states] == [expected_state(s) for s in theirs_before[0]]

    # DeleteThread, then both ways NOT_FOUND with the upstream's detail.
    await threads.DeleteThread(threads_pb2.DeleteThreadRequest(thread_id=thread_id))
    ours, theirs, ours_state, theirs_state, again, theirs_again = await asyncio.gather(
        grpc_error(threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id))),
        sdk_error(sdk.threads.get(thread_id)),
        grpc_error(threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id))),
        sdk_error(sdk.threads.get_state(thread_id)),
        grpc_error(threads.DeleteThread(threads_pb2.DeleteThreadRequest(thread_id=thread_id))),
        sdk_error(sdk.threads.delete(thread_id)),
    )
    assert_mapped(ours, theirs, 404)
    assert ours.code() == StatusCode.NOT_FOUND
    assert_mapped(ours_state, theirs_state, 404)
    assert_mapped(again, theirs_again, 404)


async def test_thread_deleted_by_sdk(threads: Threads, sdk: LangGraphClient) -> None:
    thread_id = await new_thread(sdk)
    await sdk.threads.delete(thread_id)
    ours, theirs = await asyncio.gather(
        grpc_error(threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id))),
        sdk_error(sdk.threads.get(thread_id)),
    )
    assert_mapped(ours, theirs, 404)


async def test_interrupted_subgraph_state(threads: Threads, sdk: LangGraphClient) -> None:
    """A thread interrupted inside a subgraph: Thread.interrupts, ThreadState.tasks with subgraph
    state (subgraphs=true) and ThreadState.interrupts, read both ways."""
    thread_id = await new_thread(sdk)
    await sdk.runs.wait(thread_id, "nested", input=user("INTERRUPT now"))
    got = await asyncio.gather(
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id)),
        threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id)),
        threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=thread_id, subgraphs=True)),
        threads.SearchThreads(threads_pb2.SearchThreadsRequest(ids=[thread_id])),
    )
    want = await asyncio.gather(
        sdk.threads.get(thread_id),
        sdk.threads.get_state(thread_id),
        sdk.threads.get_state(thread_id, subgraphs=True),
        sdk.threads.search(ids=[thread_id]),
    )
    assert want[0]["status"] == "interrupted" and want[0]["interrupts"]
    assert as_dict(got[0].thread) == expected_thread(want[0])
    assert as_dict(got[1].state) == expected_state(want[1])
    assert as_dict(got[2].state) == expected_state(want[2])
    assert want[2]["tasks"][0]["state"]["next"] == ["echo"]
    assert [as_dict(t) for t in got[3].threads] == [expected_thread(t) for t in want[3]]


async def test_failed_thread(runs: Runs, threads: Threads, sdk: LangGraphClient) -> None:
    """A thread whose last run failed: GetThread and SearchThreads answer all the sdk sees,
    including why it failed (the upstream's `error`)."""
    thread_id = await new_thread(sdk)
    with pytest.raises(AioRpcError):
        await runs.WaitRun(
            json_format.ParseDict(
                {"thread_id": thread_id, "assistant_id": "agent", "input": user("FAIL here")},
                runs_pb2.WaitRunRequest(),
            )
        )
    got, found, want = await asyncio.gather(
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=thread_id)),
        threads.SearchThreads(threads_pb2.SearchThreadsRequest(ids=[thread_id])),
        sdk.threads.get(thread_id),
    )
    assert want["status"] == "error"
    assert as_dict(got.thread) == expected_thread(want)
    assert [as_dict(t) for t in found.threads] == [expected_thread(want)]


# --- runs: create, get, list, join, delete ---------------------------------------------------------

RUN_BODY: dict[str, Any] = {
    "metadata": {"suite": "workflow"},
    "stream_mode": ["values"],
    "stream_subgraphs": False,
    "stream_resumable": False,
}


async def test_run_lifecycle(runs: Runs, threads: Threads, sdk: LangGraphClient) -> None:
    ours_thread, their_thread = await asyncio.gather(new_thread(sdk), new_thread(sdk))
    body = {"input": user("first"), **RUN_BODY}
    created, their_created = await asyncio.gather(
        runs.CreateRun(create_run(ours_thread, "agent", **body)),
        sdk.runs.create(their_thread, "agent", **body),
    )
    assert normalize.value(as_dict(created.run)) == normalize.value(expected_run(their_created))
    run_id, their_run = created.run.run_id, their_created["run_id"]
    assert created.run.thread_id == ours_thread

    # JoinRun of our run, and the sdk's join of both runs: the same final state.
    joined_ours, sdk_joined_ours, sdk_joined_theirs = await asyncio.gather(
        runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=ours_thread, run_id=run_id)),
        sdk.runs.join(ours_thread, run_id),
        sdk.runs.join(their_thread, their_run),
    )
    assert value_of(joined_ours.values) == sdk_joined_ours
    assert not joined_ours.values_json
    assert normalize.value(value_of(joined_ours.values)) == normalize.value(sdk_joined_theirs)
    assert sdk_joined_ours["count"] == 1

    second = await runs.CreateRun(create_run(ours_thread, "agent", input=user("second"), **RUN_BODY))
    await runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=ours_thread, run_id=second.run.run_id))

    # GetRun and ListRuns: the same runs read both ways.
    lists: list[dict[str, Any]] = [{}, {"limit": 1}, {"limit": 1, "offset": 1}, {"status": "success"}]
    got = await asyncio.gather(
        runs.GetRun(runs_pb2.GetRunRequest(thread_id=ours_thread, run_id=run_id)),
        runs.GetRun(runs_pb2.GetRunRequest(thread_id=their_thread, run_id=their_run)),
        *(runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=ours_thread, **q)) for q in lists),
        runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=ours_thread, status="pending")),
    )
    want = await asyncio.gather(
        sdk.runs.get(ours_thread, run_id),
        sdk.runs.get(their_thread, their_run),
        *(sdk.runs.list(ours_thread, **q) for q in lists),
        sdk.runs.list(ours_thread, status="pending"),
    )
    assert as_dict(got[0].run) == expected_run(want[0])
    assert as_dict(got[1].run) == expected_run(want[1])
    assert want[0]["status"] == "success"
    for query, answer, listed in zip([*lists, "pending"], got[2:], want[2:], strict=True):
        assert [as_dict(r) for r in answer.runs] == [expected_run(r) for r in listed], query
    assert [r["run_id"] for r in want[2]] == [second.run.run_id, run_id]
    assert want[-1] == []

    # DeleteRun, then GetRun (both ways) -> NOT_FOUND; the other run is still listed.
    await runs.DeleteRun(runs_pb2.DeleteRunRequest(thread_id=ours_thread, run_id=run_id))
    ours_get, theirs_get, ours_delete, theirs_delete, listed_ours, listed_theirs = await asyncio.gather(
        grpc_error(runs.GetRun(runs_pb2.GetRunRequest(thread_id=ours_thread, run_id=run_id))),
        sdk_error(sdk.runs.get(ours_thread, run_id)),
        grpc_error(runs.DeleteRun(runs_pb2.DeleteRunRequest(thread_id=ours_thread, run_id=run_id))),
        sdk_error(sdk.runs.delete(ours_thread, run_id)),
        runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=ours_thread)),
        sdk.runs.list(ours_thread),
    )
    assert_mapped(ours_get, theirs_get, 404)
    assert ours_get.code() == StatusCode.NOT_FOUND
    assert_mapped(ours_delete, theirs_delete, 404)
    assert [as_dict(r) for r in listed_ours.runs] == [expected_run(r) for r in listed_theirs]
    assert [r.run_id for r in listed_ours.runs] == [second.run.run_id]

    # The thread after the runs, both ways.
    thread, state = await asyncio.gather(
        threads.GetThread(threads_pb2.GetThreadRequest(thread_id=ours_thread)),
        threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=ours_thread)),
    )
    assert as_dict(thread.thread) == expected_thread(await sdk.threads.get(ours_thread))
    assert as_dict(state.state) == expected_state(await sdk.threads.get_state(ours_thread))


async def test_create_stateless_run(runs: Runs, sdk: LangGraphClient) -> None:
    body = {"input": user("background"), "on_completion": "keep", **RUN_BODY}
    ours, theirs = await asyncio.gather(
        runs.CreateRun(create_run(None, "agent", **{**body, "on_completion": "ON_COMPLETION_KEEP"})),
        sdk.runs.create(None, "agent", **body),
    )
    assert normalize.value(as_dict(ours.run)) == normalize.value(expected_run(theirs))
    assert ours.run.thread_id  # the temporary thread, kept
    joined_ours, sdk_joined = await asyncio.gather(
        runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=ours.run.thread_id, run_id=ours.run.run_id)),
        sdk.runs.join(ours.run.thread_id, ours.run.run_id),
    )
    assert value_of(joined_ours.values) == sdk_joined


# --- cancellation ----------------------------------------------------------------------------------


async def test_cancel_run_interrupt(runs: Runs, sdk: LangGraphClient) -> None:
    thread_id = await new_thread(sdk)
    async with gate(sdk) as name:  # opened only after the cancel: the run cannot end by itself
        created = await runs.CreateRun(create_run(thread_id, "agent", input=user(f"WAIT {name}")))
        run_id = created.run.run_id
        await wait_status(runs, thread_id, run_id, "running")
        cancel = runs_pb2.CancelRunRequest(thread_id=thread_id, run_id=run_id, action="interrupt")
        await runs.CancelRun(cancel)
        await wait_status(runs, thread_id, run_id, "interrupted")
    got, want = await asyncio.gather(
        runs.GetRun(runs_pb2.GetRunRequest(thread_id=thread_id, run_id=run_id)),
        sdk.runs.get(thread_id, run_id),
    )
    assert as_dict(got.run) == expected_run(want)


async def test_cancel_unknown_run(runs: Runs, sdk: LangGraphClient) -> None:
    thread_id, run_id = await new_thread(sdk), str(uuid.uuid4())
    ours, theirs = await asyncio.gather(
        grpc_error(runs.CancelRun(runs_pb2.CancelRunRequest(thread_id=thread_id, run_id=run_id))),
        sdk_error(sdk.runs.cancel(thread_id, run_id)),
    )
    assert_mapped(ours, theirs, 404)


# --- JoinStream ------------------------------------------------------------------------------------

RESUMABLE: dict[str, Any] = {"stream_mode": ["custom", "updates"], "stream_resumable": True}


async def test_join_stream_finished_run(runs: Runs, threads: Threads, sdk: LangGraphClient) -> None:
    """(a) From the start ("-1") after the run finished: exactly sdk.runs.join_stream's events,
    ids included, in both data formats and with a stream_mode filter; (b) from the k-th event's
    id: exactly the events after it, no gap and no duplicate."""
    thread = await threads.CreateThread(threads_pb2.CreateThreadRequest())
    thread_id = thread.thread.thread_id
    async with gate(sdk) as a, gate(sdk) as b:
        # Waits at gate a, then at gate b: the two "waiting" events have ids of their own.
        created = await runs.CreateRun(
            create_run(thread_id, "agent", input=user(f"WAIT {a}; WAIT {b}"), **RESUMABLE)
        )
        run_id = created.run.run_id
        done, their_done, _ = await asyncio.gather(
            runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=thread_id, run_id=run_id)),
            sdk.runs.join(thread_id, run_id),
            open_gates_as_announced(sdk, thread_id, run_id),
        )
    assert value_of(done.values) == their_done

    ours, ours_raw, theirs, ours_custom, theirs_custom = await asyncio.gather(
        joined(runs, thread_id, run_id, last_event_id="-1"),
        joined(runs, thread_id, run_id, last_event_id="-1", data_format=JSON_FORMAT),
        sdk_parts(sdk.runs.join_stream(thread_id, run_id, last_event_id="-1")),
        joined(runs, thread_id, run_id, last_event_id="-1", stream_mode=["custom"]),
        sdk_parts(sdk.runs.join_stream(thread_id, run_id, last_event_id="-1", stream_mode="custom")),
    )
    names = [name for name, _, _ in theirs]
    assert names[0] == "metadata" and names.count("custom") == 3 and names[-2:] == ["updates", "updates"]
    assert all(i and normalize.SSE_ID.fullmatch(i) for _, _, i in theirs)
    assert [(name, i) for name, _, i in ours] == [(name, i) for name, _, i in theirs]
    assert ours == theirs
    assert ours_raw == theirs
    assert ours_custom == theirs_custom

    # (b) Resume after each event in turn.
    ids = [i for _, _, i in theirs]
    resumed = await asyncio.gather(*(joined(runs, thread_id, run_id, last_event_id=i) for i in ids))
    theirs_resumed = await asyncio.gather(
        *(sdk_parts(sdk.runs.join_stream(thread_id, run_id, last_event_id=i)) for i in ids)
    )
    assert ids == sorted(ids)
    exact = 0
    for k, (got, want) in enumerate(zip(resumed, theirs_resumed, strict=True)):
        assert got == want, f"after event {k} ({ids[k]})"
        # The upstream sends the events whose id is greater than the one given: exactly the events
        # after the k-th unless a later one shares its id (two events in one millisecond do).
        if ids[k] not in ids[k + 1 :]:
            assert got == theirs[k + 1 :], f"after event {k} ({ids[k]})"
            exact += 1
    assert exact >= 3, ids  # at least: both "waiting" events (each before a gate) and the last
    assert resumed[-1] == []


async def test_resumable_ids_shared_within_a_millisecond(runs: Runs, sdk: LangGraphClient) -> None:
    """The upstream's event ids are "<ms>-0": events sent in the same millisecond share one.
    StreamRun and JoinStream must still deliver every event (an id is not a key: a repeated id is
    a new event, not a replay), exactly as sdk.runs.join_stream does.

    The run writes bursts of custom events (graph.py's "TICK <gate> 20") until the test, having
    seen two events with one id go by, opens the gate. (A burst alone shares ids only usually: the
    upstream serializes each event on a thread pool before stamping it, which a loaded machine
    can stretch past a millisecond.)"""
    thread_id = await new_thread(sdk)
    modes = ["values", "updates", "custom", "tasks", "checkpoints", "debug"]
    async with gate(sdk) as name:
        req = json_format.ParseDict(
            {
                "thread_id": thread_id,
                "assistant_id": "agent",
                "input": user(f"TICK {name} 20"),
                "stream_mode": modes,
                "stream_resumable": True,
            },
            runs_pb2.StreamRunRequest(),
        )
        streamed: list[Event] = []
        repeated = False
        async for message in runs.StreamRun(req):
            streamed.append(event_of(message))
            if not repeated and len(streamed) > 1 and streamed[-1][2] == streamed[-2][2]:
                repeated = True
                await open_gate(sdk, name)
    run_id = streamed[0][1]["run_id"]
    ours, theirs = await asyncio.gather(
        joined(runs, thread_id, run_id, last_event_id="-1"),
        sdk_parts(sdk.runs.join_stream(thread_id, run_id, last_event_id="-1")),
    )
    ids = [i for _, _, i in theirs]
    assert any(a == b for a, b in itertools.pairwise(ids)), f"no repeated id: {ids}"
    assert [(name, i) for name, _, i in streamed] == [(name, i) for name, _, i in theirs]
    assert streamed == theirs
    assert [(name, i) for name, _, i in ours] == [(name, i) for name, _, i in theirs]
    assert ours == theirs


async def test_join_stream_running_run(runs: Runs, sdk: LangGraphClient) -> None:
    """(c) Attaching to a run still running: without last_event_id the events from then on, with
    the id of an event already seen the ones after it, then live ones, up to the end.

    The run ("WAIT a; TICK b") stops at gate a after its first events, then ticks until gate b:
    it runs for exactly as long as the test needs, and a live join has surely started once it
    got a tick."""
    thread_id = await new_thread(sdk)
    async with gate(sdk) as a, gate(sdk) as b:
        created = await runs.CreateRun(
            create_run(thread_id, "agent", input=user(f"WAIT {a}; TICK {b}"), **RESUMABLE)
        )
        run_id = created.run.run_id

        # The events up to the wait at gate a, read while the run waits there.
        first = sdk.runs.join_stream(thread_id, run_id, last_event_id="-1")
        seen = []
        async for part in first:
            seen.append(sdk_event(part))
            if waiting_for(part.data) == a:
                break
        await first.aclose()
        assert [name for name, _, _ in seen] == ["metadata", "custom", "custom"]

        # Attach now (live, and resuming after the last event seen); the run goes on with ticks
        # until every live join got one.
        live = Reader(join_stream(runs, thread_id, run_id), event_of)
        their_live = Reader(sdk.runs.join_stream(thread_id, run_id), sdk_event)
        resumed = Reader(join_stream(runs, thread_id, run_id, last_event_id=seen[-1][2]), event_of)
        await open_gate(sdk, a)
        await asyncio.gather(live.started(), their_live.started())
        await open_gate(sdk, b)
        ours_live, theirs_live, ours_resumed = await asyncio.gather(live.task, their_live.task, resumed.task)

    full = await sdk_parts(sdk.runs.join_stream(thread_id, run_id, last_event_id="-1"))
    assert full[: len(seen)] == seen
    assert full[-1][:2] == ("updates", {"post": {"count": 1}})
    assert ours_resumed == full[len(seen) :]
    for stream in (ours_live, theirs_live):
        # Some of the events, the last ones: none of those sent before the join attached.
        assert 0 < len(stream) <= len(full) - len(seen), stream
        assert stream == full[-len(stream) :]


async def test_join_stream_stateless_refused(runs: Runs) -> None:
    """(d) No thread_id: refused before any upstream call."""
    call = join_stream(runs, "", str(uuid.uuid4()), last_event_id="-1")
    error = await grpc_error(collect(call))
    assert error.code() == StatusCode.FAILED_PRECONDITION, error
    assert "stateless runs cannot be" in error.details() and "resumed" in error.details(), error.details()
    info = error_info(error)
    assert info.reason == "FAILED_PRECONDITION"
    assert info.metadata["field"] == "thread_id"


# --- raw JSON --------------------------------------------------------------------------------------


async def test_stream_run_raw_json(runs: Runs, sdk: LangGraphClient) -> None:
    """StreamRun with DATA_FORMAT_JSON: data_json parses to what the Value form and the sdk carry."""
    body = {"input": user("raw"), "stream_mode": ["values", "updates", "custom", "messages-tuple", "debug"]}
    fields = {"assistant_id": "fakellm", **body}
    raw_req = json_format.ParseDict(
        {**fields, "data_format": "DATA_FORMAT_JSON"}, runs_pb2.StreamRunRequest()
    )
    value_req = json_format.ParseDict(fields, runs_pb2.StreamRunRequest())
    raw, value, theirs = await asyncio.gather(
        collect(runs.StreamRun(raw_req)),
        collect(runs.StreamRun(value_req)),
        sdk_parts(sdk.runs.stream(None, "fakellm", **body)),
    )
    raw_events = [raw_event_of(m) for m in raw]
    assert all(m.data_json for m in raw)

    def norm(events: list[Event]) -> Any:
        return normalize.events([(name, data) for name, data, _ in events])

    assert norm(raw_events) == norm(theirs)
    assert norm(raw_events) == norm([event_of(m) for m in value])
    assert {name for name, _, _ in theirs} >= {"metadata", "values", "updates", "messages", "debug"}


async def test_wait_and_join_raw_json_big_integer(runs: Runs, sdk: LangGraphClient) -> None:
    """WaitRun and JoinRun with DATA_FORMAT_JSON: values_json is the upstream's JSON byte for byte,
    so 2**63-1 keeps its digits; the Value form holds it as a double (9223372036854775808).

    The integer cannot come in through the gateway (`input` is a Value: it would arrive upstream
    as a double already), so the sdk puts it into the threads' state first (update_state, no
    run), and creates the joined run with it as input."""
    raw_thread, value_thread, their_thread, join_thread = await asyncio.gather(
        *(new_thread(sdk, graph_id="agent") for _ in range(4))
    )
    await asyncio.gather(
        *(
            sdk.threads.update_state(t, big_input(), as_node="post")
            for t in (raw_thread, value_thread, their_thread)
        )
    )
    fields = {"assistant_id": "agent", "input": user("again")}

    def wait(thread_id: str | None, **extra: Any) -> Awaitable[runs_pb2.WaitRunResponse]:
        body = {**fields, **extra} if thread_id is None else {**fields, "thread_id": thread_id, **extra}
        return runs.WaitRun(json_format.ParseDict(body, runs_pb2.WaitRunRequest()))

    join_id = (await sdk.runs.create(join_thread, "agent", input=big_input()))["run_id"]
    raw, value, theirs, joined_raw, joined_value, their_join, failed = await asyncio.gather(
        wait(raw_thread, data_format="DATA_FORMAT_JSON"),
        wait(value_thread),
        sdk.runs.wait(their_thread, "agent", input=user("again")),
        runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=join_thread, run_id=join_id, data_format=JSON_FORMAT)),
        runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=join_thread, run_id=join_id)),
        sdk.runs.join(join_thread, join_id),
        grpc_error(wait(None, input=user("FAIL raw"), data_format="DATA_FORMAT_JSON")),
    )
    # The upstream itself keeps the integer exact (the sdk parses it as an int).
    assert theirs["messages"][0]["additional_kwargs"]["big"] == BIG
    assert their_join["messages"][0]["additional_kwargs"]["big"] == BIG

    # WaitRun: raw form.
    assert not raw.HasField("values")
    assert raw.run_id and raw.thread_id == raw_thread
    assert BIG_DIGITS.encode() in raw.values_json
    assert normalize.value(json.loads(raw.values_json)) == normalize.value(theirs)
    # WaitRun: Value form, a double.
    assert not value.values_json
    as_json = value_of(value.values)
    assert as_json["messages"][0]["additional_kwargs"]["big"] == float(BIG) != BIG
    assert BIG_DIGITS not in json.dumps(as_json)
    assert normalize.value(as_json) == normalize.value(json.loads(raw.values_json, parse_int=float))

    # JoinRun: the same run three ways.
    assert not joined_raw.HasField("values")
    assert BIG_DIGITS.encode() in joined_raw.values_json
    assert json.loads(joined_raw.values_json) == their_join
    assert not joined_value.values_json
    assert value_of(joined_value.values) == json.loads(joined_raw.values_json, parse_int=float)
    assert BIG_DIGITS not in json.dumps(value_of(joined_value.values))

    # A failed run is still an error in the raw form.
    assert failed.code() == StatusCode.INTERNAL, failed
    assert error_info(failed).reason == "RUN_FAILED"


# --- heartbeats ------------------------------------------------------------------------------------


async def test_stream_heartbeats(runs: Runs, sdk: LangGraphClient) -> None:
    """heartbeat_seconds=1 on a run that stays quiet until a heartbeat came (it waits at a gate):
    "heartbeat" messages (no data) between metadata and the updates, and every upstream event
    still there, in order."""
    async with gate(sdk) as name:
        body = {"input": user(f"WAIT {name}"), "stream_mode": ["updates"]}
        req = json_format.ParseDict({"assistant_id": "agent", **body}, runs_pb2.StreamRunRequest())
        req.heartbeat_seconds = 1
        ours: list[runs_pb2.StreamRunResponse] = []
        async for message in runs.StreamRun(req):
            if message.event == "heartbeat" and any(m.event == "metadata" for m in ours):
                await open_gate(sdk, name)  # again on a later heartbeat: harmless
            ours.append(message)
        # After ours (the upstream runs one run at a time); the gate is open by now.
        theirs = await sdk_parts(sdk.runs.stream(None, "agent", **body))
    names = [m.event for m in ours]
    beats = [i for i, name in enumerate(names) if name == "heartbeat"]
    start, first_update = names.index("metadata"), names.index("updates")
    assert any(start < i < first_update for i in beats), names
    for i in beats:
        beat = ours[i]
        assert not beat.HasField("data") and not beat.data_json and not beat.id and not beat.namespace, beat
        assert beat.mode == "heartbeat"
    events = [event_of(m) for m in ours if m.event != "heartbeat"]
    assert normalize.events([(n, d) for n, d, _ in events]) == normalize.events(
        [(n, d) for n, d, _ in theirs]
    )
    assert [n for n, _, _ in events] == ["metadata", "updates", "updates"]


# --- errors ----------------------------------------------------------------------------------------

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def not_found_calls(
    runs: Runs, threads: Threads, sdk: LangGraphClient, thread_id: str, run_id: str
) -> list[Call]:
    """(name, gateway call, sdk call) for every call that names a thread (and a run)."""
    t, r = thread_id, run_id
    return [
        (
            "GetThread",
            lambda: threads.GetThread(threads_pb2.GetThreadRequest(thread_id=t)),
            lambda: sdk.threads.get(t),
        ),
        (
            "DeleteThread",
            lambda: threads.DeleteThread(threads_pb2.DeleteThreadRequest(thread_id=t)),
            lambda: sdk.threads.delete(t),
        ),
        (
            "GetThreadState",
            lambda: threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=t)),
            lambda: sdk.threads.get_state(t),
        ),
        (
            "GetThreadHistory",
            lambda: threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=t)),
            lambda: sdk.threads.get_history(t),
        ),
        (
            "GetRun",
            lambda: runs.GetRun(runs_pb2.GetRunRequest(thread_id=t, run_id=r)),
            lambda: sdk.runs.get(t, r),
        ),
        ("ListRuns", lambda: runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=t)), lambda: sdk.runs.list(t)),
        (
            "CancelRun",
            lambda: runs.CancelRun(runs_pb2.CancelRunRequest(thread_id=t, run_id=r)),
            lambda: sdk.runs.cancel(t, r),
        ),
        (
            "JoinRun",
            lambda: runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=t, run_id=r)),
            lambda: sdk.runs.join(t, r),
        ),
        (
            "JoinStream",
            lambda: collect(join_stream(runs, t, r)),
            lambda: sdk_parts(sdk.runs.join_stream(t, r)),
        ),
        (
            "DeleteRun",
            lambda: runs.DeleteRun(runs_pb2.DeleteRunRequest(thread_id=t, run_id=r)),
            lambda: sdk.runs.delete(t, r),
        ),
        (
            "CreateRun",
            lambda: runs.CreateRun(create_run(t, "agent", input=user("hi"))),
            lambda: sdk.runs.create(t, "agent", input=user("hi")),
        ),
    ]


@pytest.mark.parametrize("case", ["unknown_thread", "unknown_run", "non_uuid_thread", "non_uuid_run"])
async def test_errors_like_the_sdk(runs: Runs, threads: Threads, sdk: LangGraphClient, case: str) -> None:
    """Unknown or malformed (but safe) ids: each call fails exactly when the sdk's does, with the
    upstream's status mapped and its detail as the message."""
    thread_id = UNKNOWN if case == "unknown_thread" else "not-a-uuid" if case == "non_uuid_thread" else None
    if thread_id is None:
        thread_id = await new_thread(sdk)
    run_id = "not-a-uuid" if case == "non_uuid_run" else UNKNOWN
    calls = not_found_calls(runs, threads, sdk, thread_id, run_id)
    # JoinRun and JoinStream of an unknown run: test_join_unknown_run.
    calls = [c for c in calls if c[0] not in ("JoinRun", "JoinStream") or case.startswith("non_uuid")]
    if case in ("unknown_run", "non_uuid_run"):
        calls = [
            c
            for c in calls
            if c[0] not in ("GetThread", "DeleteThread", "GetThreadState", "GetThreadHistory")
        ]
        calls = [c for c in calls if c[0] not in ("ListRuns", "CreateRun")]
    _, theirs = await same_outcomes(calls)
    assert any(isinstance(t, HTTPError) for t in theirs), "no call failed"


async def test_get_unknown_thread(threads: Threads) -> None:
    error = await grpc_error(threads.GetThread(threads_pb2.GetThreadRequest(thread_id=UNKNOWN)))
    assert error.code() == StatusCode.NOT_FOUND
    assert error.details() == f"Thread with ID {UNKNOWN} not found"


@pytest.mark.parametrize("case", ["unknown_thread", "unknown_run"])
async def test_join_unknown_run(runs: Runs, sdk: LangGraphClient, case: str) -> None:
    """A run the upstream cannot find, joined: GET .../join answers 200 {"__error__": {"error":
    "HTTPException", "message": "404: Run not found"}} and GET .../stream a 200 stream of one
    `error` event with that data. The sdk hands both back as answers; the gateway must report
    the 404 they stand for (NOT_FOUND), not a run that failed (INTERNAL)."""
    thread_id = UNKNOWN if case == "unknown_thread" else await new_thread(sdk)
    run_id = UNKNOWN
    _, theirs = await same_outcomes(
        [
            (
                "JoinRun",
                lambda: runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=thread_id, run_id=run_id)),
                lambda: sdk.runs.join(thread_id, run_id),
            ),
            (
                "JoinStream",
                lambda: collect(join_stream(runs, thread_id, run_id)),
                lambda: sdk_parts(sdk.runs.join_stream(thread_id, run_id)),
            ),
        ]
    )
    error = {"error": "HTTPException", "message": "404: Run not found"}
    assert theirs == [{"__error__": error}, [("error", error, None)]]


HOSTILE_IDS = ["../x", "a/b", ".hidden", "%2e%2e", "x?y=1", "x" * 200]


@pytest.mark.parametrize("bad", HOSTILE_IDS)
async def test_hostile_ids_refused(runs: Runs, threads: Threads, assistants: Assistants, bad: str) -> None:
    """Ids that could walk to another endpoint (or are no id at all) are refused by the gateway
    itself, on every call: INVALID_ARGUMENT, naming the field."""
    good = UNKNOWN
    calls: list[tuple[str, Awaitable[Any]]] = [
        ("assistant_id", assistants.GetAssistant(assistants_pb2.GetAssistantRequest(assistant_id=bad))),
        (
            "assistant_id",
            assistants.GetAssistantGraph(assistants_pb2.GetAssistantGraphRequest(assistant_id=bad)),
        ),
        (
            "assistant_id",
            assistants.GetAssistantSchemas(assistants_pb2.GetAssistantSchemasRequest(assistant_id=bad)),
        ),
        ("thread_id", threads.CreateThread(threads_pb2.CreateThreadRequest(thread_id=bad))),
        ("thread_id", threads.GetThread(threads_pb2.GetThreadRequest(thread_id=bad))),
        ("thread_id", threads.DeleteThread(threads_pb2.DeleteThreadRequest(thread_id=bad))),
        ("thread_id", threads.GetThreadState(threads_pb2.GetThreadStateRequest(thread_id=bad))),
        ("thread_id", threads.GetThreadHistory(threads_pb2.GetThreadHistoryRequest(thread_id=bad))),
        ("thread_id", runs.CreateRun(create_run(bad, "agent", input=user("hi")))),
        ("thread_id", runs.GetRun(runs_pb2.GetRunRequest(thread_id=bad, run_id=good))),
        ("run_id", runs.GetRun(runs_pb2.GetRunRequest(thread_id=good, run_id=bad))),
        ("thread_id", runs.ListRuns(runs_pb2.ListRunsRequest(thread_id=bad))),
        ("thread_id", runs.CancelRun(runs_pb2.CancelRunRequest(thread_id=bad, run_id=good))),
        ("run_id", runs.CancelRun(runs_pb2.CancelRunRequest(thread_id=good, run_id=bad))),
        ("thread_id", runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=bad, run_id=good))),
        ("run_id", runs.JoinRun(runs_pb2.JoinRunRequest(thread_id=good, run_id=bad))),
        ("thread_id", collect(join_stream(runs, bad, good))),
        ("run_id", collect(join_stream(runs, good, bad))),
        ("thread_id", runs.DeleteRun(runs_pb2.DeleteRunRequest(thread_id=bad, run_id=good))),
        ("run_id", runs.DeleteRun(runs_pb2.DeleteRunRequest(thread_id=good, run_id=bad))),
    ]
    errors = await asyncio.gather(*(grpc_error(call) for _, call in calls))
    for (field, _), error in zip(calls, errors, strict=True):
        assert_refused(error, field)
