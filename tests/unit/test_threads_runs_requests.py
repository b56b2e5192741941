"""The requests ThreadsService and RunsService send upstream, and the pure pieces that build them.

First the pieces, table by table: query parameters, maps, batches, `before`, the thread stream's
error events. Then the servicers over a fake upstream that records what it is sent, each request
compared with what langgraph-sdk sends for the same call (recorded with httpx.MockTransport): the
same method, path, query and JSON body, except the defaults the sdk always sends and the gateway
leaves to the upstream (listed with each case, and checked to be those defaults).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from langgraph_gateway.v1 import resources_pb2, runs_pb2, threads_pb2
from langgraph_grpc_gateway import routes, streaming, translate
from langgraph_grpc_gateway.config import Settings
from langgraph_grpc_gateway.errors import GatewayError
from langgraph_grpc_gateway.services import RunsService, ThreadsService
from langgraph_grpc_gateway.sse import ServerSentEvent
from langgraph_sdk.client import LangGraphClient
from multidict import CIMultiDict, CIMultiDictProxy

T = "7f0a3b8e-5c2d-4e1f-9a6b-0c1d2e3f4a5b"  # a thread id
C = "1f1ed94f-ac89-6f2a-8000-6463fa4d7bdf"  # a checkpoint id
R = "01a2320b-ba84-73b7-90c1-a0d968bf4ff6"  # a run id


def parse(cls: type[Any], **fields: Any) -> Any:
    return json_format.ParseDict(fields, cls())


# --- query parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "params"),
    [
        (runs_pb2.ListRunsRequest(thread_id=T), {}),
        (runs_pb2.ListRunsRequest(thread_id=T, limit=5, offset=2), {"limit": "5", "offset": "2"}),
        (runs_pb2.ListRunsRequest(thread_id=T, status="success"), {"status": "success"}),
        (
            runs_pb2.ListRunsRequest(thread_id=T, select=["run_id", "status"]),
            {"select": ["run_id", "status"]},
        ),
        (threads_pb2.GetThreadStateRequest(thread_id=T), {}),
        (threads_pb2.GetThreadStateRequest(thread_id=T, subgraphs=True), {"subgraphs": "true"}),
        (
            threads_pb2.GetThreadStateRequest(thread_id=T, select=["values.messages"]),
            {"select": ["values.messages"]},
        ),
    ],
    ids=str,
)
def test_query_params(request_: Message, params: dict[str, Any]) -> None:
    assert translate.query_params(request_, exclude={"thread_id", "checkpoint_id"}) == params


def test_a_map_is_an_object() -> None:
    request = parse(
        threads_pb2.SearchThreadsRequest, extract={"last": "values.messages[-1]", "g": "metadata.g"}
    )
    assert translate.request_body(request) == {"extract": {"last": "values.messages[-1]", "g": "metadata.g"}}
    assert translate.request_body(threads_pb2.SearchThreadsRequest()) == {}


# --- batches, before, created threads --------------------------------------------------------------


def test_batch_body() -> None:
    runs = [
        parse(
            runs_pb2.CreateRunRequest,
            assistant_id="agent",
            input={"x": 1},
            on_completion="ON_COMPLETION_KEEP",
        ),
        runs_pb2.CreateRunRequest(assistant_id="agent", checkpoint_id=C, strict_resume=False),
    ]
    assert translate.batch_body(runs) == [
        {"assistant_id": "agent", "input": {"x": 1}, "on_completion": "keep"},
        {"assistant_id": "agent", "checkpoint_id": C, "strict_resume": False},
    ]
    assert translate.batch_body([]) == []  # the upstream says what it thinks of that (422)


@pytest.mark.parametrize(
    ("runs", "field"),
    [
        ([runs_pb2.CreateRunRequest(assistant_id="a", thread_id=T)], "runs[0].thread_id"),
        ([runs_pb2.CreateRunRequest(assistant_id="a"), runs_pb2.CreateRunRequest()], "runs[1].assistant_id"),
        ([parse(runs_pb2.CreateRunRequest, assistant_id="a", after_seconds="NaN")], "runs[0].after_seconds"),
    ],
)
def test_batch_body_refused(runs: list[runs_pb2.CreateRunRequest], field: str) -> None:
    with pytest.raises(GatewayError) as raised:
        translate.batch_body(runs)
    assert (raised.value.code, raised.value.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
    assert raised.value.metadata == {"field": field}


def test_an_empty_thread_id_in_a_batch_is_no_thread() -> None:
    request = runs_pb2.CreateRunRequest(assistant_id="a", thread_id="")  # as for CreateRun: stateless
    assert translate.batch_body([request]) == [{"assistant_id": "a"}]


CHECKPOINT = resources_pb2.Checkpoint(checkpoint_id=C, checkpoint_ns="")


@pytest.mark.parametrize(
    ("request_", "body"),
    [
        (threads_pb2.GetThreadHistoryRequest(thread_id=T), {}),
        (threads_pb2.GetThreadHistoryRequest(thread_id=T, limit=3), {"limit": 3}),
        (
            threads_pb2.GetThreadHistoryRequest(thread_id=T, before=CHECKPOINT),
            {"before": {"checkpoint_id": C, "checkpoint_ns": ""}},
        ),
        (threads_pb2.GetThreadHistoryRequest(thread_id=T, before_checkpoint_id=C), {"before": C}),
        (threads_pb2.GetThreadHistoryRequest(thread_id=T, select=["values"]), {"select": ["values"]}),
    ],
    ids=str,
)
def test_history_body(request_: threads_pb2.GetThreadHistoryRequest, body: dict[str, Any]) -> None:
    assert translate.history_body(request_) == body


def test_history_body_with_both_befores_is_refused() -> None:
    request = threads_pb2.GetThreadHistoryRequest(thread_id=T, before=CHECKPOINT, before_checkpoint_id=C)
    with pytest.raises(GatewayError) as raised:
        translate.history_body(request)
    assert raised.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.metadata == {"field": "before_checkpoint_id"}


@pytest.mark.parametrize(
    "answer",
    [{"thread_id": T}, {"thread_id": T, "detail": "odd but a thread"}, {"thread_id": T, "metadata": {}}],
)
def test_created_thread(answer: dict[str, Any]) -> None:
    assert translate.created_thread(answer) is answer


def test_created_thread_that_is_a_detail() -> None:
    detail = f"Thread {T} was created, but there were problems updating the state: no graph"
    with pytest.raises(GatewayError) as raised:
        translate.created_thread({"detail": detail})
    assert (raised.value.code, raised.value.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "UPSTREAM_PARTLY_DONE",
    )
    assert raised.value.message == detail


@pytest.mark.parametrize(
    ("thread_id", "checkpoint_id", "path"),
    [
        (T, "", f"/threads/{T}/state"),
        (T, C, f"/threads/{T}/state/{C}"),
        ("t-1", "c.1", "/threads/t-1/state/c.1"),
    ],
)
def test_thread_state_path(thread_id: str, checkpoint_id: str, path: str) -> None:
    assert routes.thread_state(thread_id, checkpoint_id) == path


@pytest.mark.parametrize("bad", ["../x", "a/b", ".hidden", "%2e%2e", "x?y=1", "x" * 200])
def test_thread_state_hostile_checkpoint_id(bad: str) -> None:
    with pytest.raises(GatewayError) as raised:
        routes.thread_state(T, bad)
    assert raised.value.metadata == {"field": "checkpoint_id"}


# --- the thread stream's error events --------------------------------------------------------------

RUN_FAILED = ServerSentEvent("error", b'{"error": "ValueError", "message": "boom"}', "3-0")
NOT_FOUND = ServerSentEvent("error", b'{"error": "HTTPException", "message": "404: Thread not found"}', "3-0")
BEFORE = ServerSentEvent("metadata", b'{"run_id": "r"}', "1-0")
AFTER = ServerSentEvent("metadata", b'{"status": "run_done", "run_id": "r"}', "4-0")


@pytest.mark.parametrize(
    ("event", "run_failures", "ends"),
    [(RUN_FAILED, True, True), (RUN_FAILED, False, False), (NOT_FOUND, True, True), (NOT_FOUND, False, True)],
)
def test_ends_stream(event: ServerSentEvent, run_failures: bool, ends: bool) -> None:
    failure = translate.run_error(event)
    assert failure is not None
    assert translate.ends_stream(failure, run_failures=run_failures) is ends
    batch, found = translate.upto_error([BEFORE, event, AFTER], run_failures=run_failures)
    assert (batch, found is not None) == (
        ([BEFORE, event], True) if ends else ([BEFORE, event, AFTER], False)
    )


async def batches(*items: list[ServerSentEvent]) -> AsyncIterator[list[ServerSentEvent]]:
    for item in items:
        yield item


async def relayed(
    coalesce: bool, end_on_run_error: bool, *items: list[ServerSentEvent]
) -> tuple[list[str], GatewayError | None]:
    relay = streaming.Relay(upstream=None, policy=streaming.ReconnectPolicy())  # type: ignore[arg-type]
    request = threads_pb2.JoinThreadStreamRequest(coalesce_events=coalesce)
    names: list[str] = []
    try:
        async for message in relay.messages(
            batches(*items), request, threads_pb2.JoinThreadStreamResponse, end_on_run_error=end_on_run_error
        ):
            if isinstance(message, bytes):  # one event per message: its wire bytes
                message = threads_pb2.JoinThreadStreamResponse.FromString(message)
            names += [e.event for e in message.events] if coalesce else [message.event]
    except GatewayError as exc:
        return names, exc
    return names, None


@pytest.mark.parametrize("coalesce", [False, True])
async def test_a_thread_stream_goes_on_past_a_failed_run(coalesce: bool) -> None:
    names, failure = await relayed(coalesce, False, [BEFORE, RUN_FAILED], [AFTER])
    assert (names, failure) == (["metadata", "error", "metadata"], None)


@pytest.mark.parametrize("coalesce", [False, True])
async def test_a_run_stream_ends_with_its_failed_run(coalesce: bool) -> None:
    names, failure = await relayed(coalesce, True, [BEFORE, RUN_FAILED, AFTER])
    assert names == ["metadata", "error"]
    assert failure is not None and failure.reason == "RUN_FAILED"


@pytest.mark.parametrize("coalesce", [False, True])
async def test_a_thread_stream_ends_on_a_request_error(coalesce: bool) -> None:
    names, failure = await relayed(coalesce, False, [BEFORE, NOT_FOUND, AFTER])
    assert names == ["metadata", "error"]
    assert failure is not None and failure.code == grpc.StatusCode.NOT_FOUND


# --- the servicers' requests, against langgraph-sdk's ----------------------------------------------


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    params: dict[str, list[str]]
    body: Any
    prefer: str | None = None  # the one header the gateway adds of its own


class FakeUpstream:
    """Records each request; answers `answer` (JSON) to all of them."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.sent: list[Sent] = []

    async def fetch(
        self, method: str, path: str, headers: Any, *, body: bytes | None = None, params: Any = None
    ) -> tuple[bytes, CIMultiDictProxy[str]]:
        query: dict[str, list[str]] = {}
        for key, value in (params or {}).items():
            query[key] = [value] if isinstance(value, str) else list(value)
        prefer = headers.get("prefer")
        self.sent.append(Sent(method, path, query, json.loads(body) if body else None, prefer))
        return json.dumps(self.answer).encode(), CIMultiDictProxy(CIMultiDict())


class Context:
    """What the servicers read from grpc's context: the metadata; abort raises."""

    def invocation_metadata(self) -> tuple[()]:
        return ()

    async def abort(self, code: grpc.StatusCode, details: str, trailers: Any = None) -> None:
        raise AssertionError(f"aborted: {code} {details}")


async def sdk_sent(call: Callable[[LangGraphClient], Awaitable[Any]], answer: Any) -> Sent:
    """The one request langgraph-sdk sends for `call`."""
    sent: list[Sent] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params: dict[str, list[str]] = {}
        for key, value in request.url.params.multi_items():
            params.setdefault(key, []).append(value)
        body = json.loads(request.content) if request.content else None
        sent.append(Sent(request.method, request.url.path, params, body, request.headers.get("prefer")))
        return httpx.Response(200, json=answer)

    async with httpx.AsyncClient(base_url="http://upstream", transport=httpx.MockTransport(handler)) as http:
        await call(LangGraphClient(http))
    [one] = sent
    return one


async def gateway_sent(
    service: type[ThreadsService] | type[RunsService], method: str, request: Message, answer: Any
) -> Sent:
    """The one request the servicer sends upstream for `request`."""
    upstream = FakeUpstream(answer)
    servicer = service(upstream, Settings(upstream="http://upstream"))  # type: ignore[arg-type]
    await getattr(servicer, method)(request, Context())
    [one] = upstream.sent
    return one


THREAD = {"thread_id": T}
STATE = {"values": {}, "next": []}
CHECKPOINT_DICT = {"checkpoint_id": C, "checkpoint_ns": ""}
UPDATE = {"checkpoint": {"thread_id": T, "checkpoint_id": C}}
RUN = {"run_id": R, "thread_id": T}
TRACER = {"project_name": "p", "example_id": "e"}


@dataclass(frozen=True)
class Case:
    """One call made both ways; `defaults` is what the sdk sends beyond the request ("params.<key>"
    or "body.<key>": its default, which is the upstream's too, left out by the gateway)."""

    name: str
    sdk: Callable[[LangGraphClient], Awaitable[Any]]
    method: str
    request: Message
    answer: Any = None
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def service(self) -> type[ThreadsService] | type[RunsService]:
        return RunsService if self.request.DESCRIPTOR.file.name.endswith("runs.proto") else ThreadsService


GetThread = threads_pb2.GetThreadRequest
GetState = threads_pb2.GetThreadStateRequest
UpdateState = threads_pb2.UpdateThreadStateRequest
History = threads_pb2.GetThreadHistoryRequest
STEPS = [{"updates": [{"values": {"a": 1}, "command": {"resume": 1}, "as_node": "n"}]}]
BATCH = [{"assistant_id": "agent", "input": {"x": 1}, "checkpoint_id": C}]
CASES = [
    Case(
        "get include",
        lambda c: c.threads.get(T, include=["ttl"]),
        "GetThread",
        GetThread(thread_id=T, include=["ttl"]),
        THREAD,
    ),
    Case(
        "get include two",
        lambda c: c.threads.get(T, include=["ttl", "x"]),
        "GetThread",
        GetThread(thread_id=T, include=["ttl", "x"]),
        THREAD,
    ),
    Case(
        "search extract",
        lambda c: c.threads.search(extract={"a": "values.x"}, limit=10),
        "SearchThreads",
        parse(threads_pb2.SearchThreadsRequest, extract={"a": "values.x"}, limit=10),
        [],
        {"body.offset": 0},
    ),
    Case(
        "create supersteps",
        lambda c: c.threads.create(graph_id="agent", supersteps=STEPS),
        "CreateThread",
        parse(threads_pb2.CreateThreadRequest, metadata={"graph_id": "agent"}, supersteps=STEPS),
        THREAD,
    ),
    Case(
        "update",
        lambda c: c.threads.update(T, metadata={"m": 1}, ttl=5),
        "UpdateThread",
        parse(
            threads_pb2.UpdateThreadRequest,
            thread_id=T,
            metadata={"m": 1},
            ttl={"ttl": 5, "strategy": "delete"},
        ),
        THREAD,
    ),
    Case(
        "update minimal",
        lambda c: c.threads.update(T, metadata={"m": 1}, return_minimal=True),
        "UpdateThread",
        parse(threads_pb2.UpdateThreadRequest, thread_id=T, metadata={"m": 1}, return_minimal=True),
    ),
    Case(
        "count",
        lambda c: c.threads.count(metadata={"m": 1}, values={"v": 2}, status="idle"),
        "CountThreads",
        parse(threads_pb2.CountThreadsRequest, metadata={"m": 1}, values={"v": 2}, status="idle"),
        3,
    ),
    Case("count all", lambda c: c.threads.count(), "CountThreads", threads_pb2.CountThreadsRequest(), 3),
    Case(
        "copy", lambda c: c.threads.copy(T), "CopyThread", threads_pb2.CopyThreadRequest(thread_id=T), THREAD
    ),
    Case(
        "prune",
        lambda c: c.threads.prune([T, R], strategy="keep_latest"),
        "PruneThreads",
        threads_pb2.PruneThreadsRequest(thread_ids=[T, R], strategy="keep_latest"),
        {"pruned_count": 2},
    ),
    Case(
        "prune none",
        lambda c: c.threads.prune([]),
        "PruneThreads",
        threads_pb2.PruneThreadsRequest(),
        {"pruned_count": 0},
    ),
    Case(
        "state",
        lambda c: c.threads.get_state(T),
        "GetThreadState",
        GetState(thread_id=T),
        STATE,
        {"params.subgraphs": ["false"]},
    ),
    Case(
        "state select",
        lambda c: c.threads.get_state(T, subgraphs=True, select=["values", "next"]),
        "GetThreadState",
        GetState(thread_id=T, subgraphs=True, select=["values", "next"]),
        STATE,
    ),
    Case(
        "state at id",
        lambda c: c.threads.get_state(T, checkpoint_id=C, subgraphs=True),
        "GetThreadState",
        GetState(thread_id=T, checkpoint_id=C, subgraphs=True),
        STATE,
    ),
    Case(
        "state at checkpoint",
        lambda c: c.threads.get_state(T, checkpoint=CHECKPOINT_DICT, subgraphs=True, select=["values"]),
        "GetThreadState",
        parse(GetState, thread_id=T, checkpoint=CHECKPOINT_DICT, subgraphs=True, select=["values"]),
        STATE,
    ),
    Case(
        "state at both",
        lambda c: c.threads.get_state(T, checkpoint=CHECKPOINT_DICT, checkpoint_id=R),
        "GetThreadState",
        parse(GetState, thread_id=T, checkpoint=CHECKPOINT_DICT, checkpoint_id=R),
        STATE,
        {"body.subgraphs": False},
    ),
    Case(
        "update state",
        lambda c: c.threads.update_state(
            T, {"v": 1}, as_node="n", checkpoint=CHECKPOINT_DICT, checkpoint_id=C
        ),
        "UpdateThreadState",
        parse(
            UpdateState,
            thread_id=T,
            values={"v": 1},
            as_node="n",
            checkpoint=CHECKPOINT_DICT,
            checkpoint_id=C,
        ),
        UPDATE,
    ),
    Case(
        "update state list",
        lambda c: c.threads.update_state(T, [{"v": 1}]),
        "UpdateThreadState",
        parse(UpdateState, thread_id=T, values=[{"v": 1}]),
        UPDATE,
    ),
    Case(
        "update state none",
        lambda c: c.threads.update_state(T, None, as_node="n"),
        "UpdateThreadState",
        parse(UpdateState, thread_id=T, as_node="n"),
        UPDATE,
        {"body.values": None},
    ),
    Case(
        "history before id",
        lambda c: c.threads.get_history(T, limit=3, before=C, select=["values"]),
        "GetThreadHistory",
        History(thread_id=T, limit=3, before_checkpoint_id=C, select=["values"]),
        [],
    ),
    Case(
        "history before",
        lambda c: c.threads.get_history(T, limit=3, before=CHECKPOINT_DICT),
        "GetThreadHistory",
        parse(History, thread_id=T, limit=3, before=CHECKPOINT_DICT),
        [],
    ),
    Case(
        "create run",
        lambda c: c.runs.create(
            T,
            "agent",
            checkpoint_id=C,
            strict_resume=True,
            langsmith_tracing=TRACER,
            stream_mode=["values"],
            stream_subgraphs=False,
            stream_resumable=False,
        ),
        "CreateRun",
        parse(
            runs_pb2.CreateRunRequest,
            thread_id=T,
            assistant_id="agent",
            checkpoint_id=C,
            strict_resume=True,
            langsmith_tracer=TRACER,
            stream_mode=["values"],
            stream_subgraphs=False,
            stream_resumable=False,
        ),
        RUN,
    ),
    Case(
        "batch",
        lambda c: c.runs.create_batch(BATCH),
        "CreateRuns",
        parse(runs_pb2.CreateRunsRequest, runs=BATCH),
        [RUN],
    ),
    Case(
        "cancel ids",
        lambda c: c.runs.cancel_many(thread_id=T, run_ids=[R], action="rollback"),
        "CancelRuns",
        runs_pb2.CancelRunsRequest(thread_id=T, run_ids=[R], action="rollback"),
    ),
    Case(
        "cancel status",
        lambda c: c.runs.cancel_many(status="all"),
        "CancelRuns",
        runs_pb2.CancelRunsRequest(status="all"),
        None,
        {"params.action": ["interrupt"]},
    ),
    Case(
        "list select",
        lambda c: c.runs.list(T, limit=3, select=["run_id", "status"]),
        "ListRuns",
        runs_pb2.ListRunsRequest(thread_id=T, limit=3, select=["run_id", "status"]),
        [RUN],
        {"params.offset": ["0"]},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_sends_what_langgraph_sdk_sends(case: Case) -> None:
    theirs = await sdk_sent(case.sdk, case.answer)
    ours = await gateway_sent(case.service, case.method, case.request, case.answer)
    params, body = dict(theirs.params), theirs.body
    for where, value in case.defaults.items():
        part, key = where.split(".")
        assert (params if part == "params" else body).pop(key) == value, where
    assert (ours.method, ours.path) == (theirs.method, theirs.path)
    assert ours.params == params
    assert ours.body == body
    assert ours.prefer == theirs.prefer


def test_every_new_run_field_is_in_the_sdk_run_body() -> None:
    """checkpoint_id, strict_resume and langsmith_tracer go into every run creation body as the sdk
    spells them, streamed and waited runs included."""
    fields = {"checkpoint_id": C, "strict_resume": True, "langsmith_tracer": TRACER}
    for cls in (runs_pb2.StreamRunRequest, runs_pb2.WaitRunRequest, runs_pb2.CreateRunRequest):
        assert translate.run_body(parse(cls, assistant_id="a", **fields)) == {"assistant_id": "a", **fields}
