"""Bad input, property-based: whatever a client sends, no request reaches another upstream path
or origin, no control character reaches a header, and what JSON cannot carry is refused before
any upstream call. Values that JSON can carry arrive upstream exactly and come back exactly.

The gateway and a scripted upstream run in a thread of their own, so hypothesis drives plain
blocking gRPC calls; the upstream echoes each run's input back (as an event or a final state).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import h2.config
import h2.connection
import h2.events
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from hypothesis import given, settings
from hypothesis import strategies as st
from langgraph_gateway.v1 import (
    assistants_pb2,
    assistants_pb2_grpc,
    runs_pb2,
    runs_pb2_grpc,
    threads_pb2,
    threads_pb2_grpc,
)
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_grpc_gateway.jsonvalue import json_to_value, value_to_json

from .fault_upstream import FaultUpstream, Raw
from .scripted_upstream import Request, Script, ScriptedUpstream, sse

PROPERTY = settings(max_examples=200, deadline=None)
SAFE_ID = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}")
Code = grpc.StatusCode


def echo(request: Request) -> Script:
    """Runs answer their input back; every other path is an unknown resource."""
    body = request.json() if request.body else {}
    located = {"content-location": "/threads/t-1/runs/r-1"}
    if request.path.endswith("/runs/wait"):
        return Script(
            headers={"content-type": "application/json", **located},
            chunks=[json.dumps(body.get("input")).encode()],
        )
    if request.path.endswith("/stream"):
        events = [sse("metadata", {"run_id": "r-1"}), sse("values", body.get("input"))]
        return Script(headers={"content-type": "text/event-stream", **located}, chunks=events)
    return Script(
        status=404, headers={"content-type": "application/json"}, chunks=[b'{"detail":"Not Found"}']
    )


class Live:
    """A gateway in front of a scripted upstream, served by an event loop in a thread."""

    def __init__(self) -> None:
        self.answer: Callable[[Request], Script | Raw] | None = None  # replaces echo when set
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._run(self._start())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.gateway.port}")
        self.runs = runs_pb2_grpc.RunsServiceStub(self.channel)
        self.threads = threads_pb2_grpc.ThreadsServiceStub(self.channel)
        self.assistants = assistants_pb2_grpc.AssistantsServiceStub(self.channel)

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    async def _start(self) -> None:
        self.upstream = FaultUpstream(lambda request: (self.answer or echo)(request))
        await self.upstream.__aenter__()
        self.elsewhere = ScriptedUpstream(Script(headers={"content-type": "text/event-stream"}))
        await self.elsewhere.__aenter__()
        # No upstream health probes: the requests each case made are counted.
        self.gateway = Gateway(Settings(upstream=self.upstream.url, listen="127.0.0.1:0"))
        await self.gateway.start()

    async def _stop(self) -> None:
        await self.gateway.stop(0)
        await self.upstream.__aexit__(None, None, None)
        await self.elsewhere.__aexit__(None, None, None)

    def close(self) -> None:
        self.channel.close()
        self._run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def count(self) -> int:
        return len(self.upstream.requests)

    def since(self, count: int) -> list[Request]:
        return self.upstream.requests[count:]

    def assert_only_the_configured_origin(self) -> None:
        assert all(r.headers.get("host") == self.upstream.host for r in self.upstream.requests)
        assert self.elsewhere.requests == []


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    # The gateway logs as deployed (access lines at INFO included), but its thread must not format
    # tracebacks (a gateway bug is logged with one) while pytest formats a failure in the main
    # thread: Python 3.11's traceback carets parse source with `ast`, whose recursion guard is
    # shared between threads (CPython gh-106905), and the race ends the whole session with an
    # INTERNALERROR. So the loggers that may log one keep the line and drop the traceback.
    loggers = [logging.getLogger(name) for name in _loggers_of("langgraph_grpc_gateway", "grpc", "asyncio")]
    for logger in loggers:
        logger.addFilter(_without_traceback)
    gateway = Live()
    try:
        yield gateway
        gateway.assert_only_the_configured_origin()
    finally:
        gateway.close()
        for logger in loggers:
            logger.removeFilter(_without_traceback)


def _loggers_of(*packages: str) -> list[str]:
    """The packages' loggers and their modules' (a logger's filters see only its own records)."""
    known = list(logging.root.manager.loggerDict)
    return [name for name in known if name.split(".")[0] in packages] + list(packages)


def _without_traceback(record: logging.LogRecord) -> bool:
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    return True


def outcome(call: Callable[[], Any]) -> tuple[Code, Any]:
    """(status, the response or the error); a stream is read to its end."""
    try:
        result = call()
        return Code.OK, list(result) if hasattr(result, "__next__") else result
    except grpc.RpcError as exc:
        return exc.code(), exc  # type: ignore[attr-defined]


def error_info(error: Any) -> error_details_pb2.ErrorInfo:
    status = rpc_status.from_call(error)
    assert status is not None, "no google.rpc.Status in the trailers"
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    return info


def assert_serves_the_next_call(live: Live) -> None:
    request = runs_pb2.StreamRunRequest(assistant_id="agent", input=json_to_value({"ok": 1}))
    code, messages = outcome(lambda: live.runs.StreamRun(request, timeout=10))
    assert code == Code.OK
    assert [m.event for m in messages] == ["metadata", "values"]


# --- ids in paths

URL_PIECES = ["a", "Z9", "-", "_", ".", "~", "..", "/", "../", "./", "?", "#", "%2F", "%2e%2e", "%", "%00"]
URL_PIECES += [" ", "\t", "\n", "\r\n", "é", "\u202e", "\x00", ";", "@", ":", "\\", "+", "&", "=", "runs"]
IDS = st.one_of(
    st.lists(st.sampled_from(URL_PIECES), max_size=8).map("".join),
    st.text(max_size=12),
    st.text(alphabet="abc.-_~", min_size=120, max_size=140),
)
ROUTES: dict[str, tuple[Callable[[Live, str], Any], Callable[[str], str]]] = {
    "StreamRun.thread_id": (
        lambda live, id: live.runs.StreamRun(
            runs_pb2.StreamRunRequest(assistant_id="a", thread_id=id), timeout=10
        ),
        lambda id: f"/threads/{id}/runs/stream" if id else "/runs/stream",
    ),
    "WaitRun.thread_id": (
        lambda live, id: live.runs.WaitRun(
            runs_pb2.WaitRunRequest(assistant_id="a", thread_id=id), timeout=10
        ),
        lambda id: f"/threads/{id}/runs/wait" if id else "/runs/wait",
    ),
    "GetRun.thread_id": (
        lambda live, id: live.runs.GetRun(runs_pb2.GetRunRequest(thread_id=id, run_id="r-1"), timeout=10),
        lambda id: f"/threads/{id}/runs/r-1",
    ),
    "GetRun.run_id": (
        lambda live, id: live.runs.GetRun(runs_pb2.GetRunRequest(thread_id="t-1", run_id=id), timeout=10),
        lambda id: f"/threads/t-1/runs/{id}",
    ),
    "JoinStream.run_id": (
        lambda live, id: live.runs.JoinStream(
            runs_pb2.JoinStreamRequest(thread_id="t-1", run_id=id), timeout=10
        ),
        lambda id: f"/threads/t-1/runs/{id}/stream",
    ),
    "GetThread.thread_id": (
        lambda live, id: live.threads.GetThread(threads_pb2.GetThreadRequest(thread_id=id), timeout=10),
        lambda id: f"/threads/{id}",
    ),
    "GetAssistant.assistant_id": (
        lambda live, id: live.assistants.GetAssistant(
            assistants_pb2.GetAssistantRequest(assistant_id=id), timeout=10
        ),
        lambda id: f"/assistants/{id}",
    ),
}


@PROPERTY
@given(id=IDS, route=st.sampled_from(sorted(ROUTES)))
def test_an_id_is_one_path_segment_or_refused(live: Live, id: str, route: str) -> None:
    call, expected_path = ROUTES[route]
    before = live.count()
    code, result = outcome(lambda: call(live, id))
    sent = live.since(before)
    if code == Code.INVALID_ARGUMENT:
        assert sent == [], f"refused, yet {sent[0].path!r} reached the upstream"
        assert error_info(result).reason == "INVALID_REQUEST"
        assert not SAFE_ID.fullmatch(id), f"{id!r} is a valid id, yet refused"
        return
    assert len(sent) == 1, (code, result)
    assert sent[0].path.split("?", 1)[0] == expected_path(id)
    assert id == "" or SAFE_ID.fullmatch(id), f"{id!r} went into a path"  # nothing to encode or decode
    assert sent[0].headers["host"] == live.upstream.host


# --- metadata


def raw_grpc_call(
    port: int, path: str, message: bytes, metadata: list[tuple[bytes, bytes]]
) -> dict[bytes, bytes]:
    """One gRPC call over a bare HTTP/2 connection, with metadata values no grpc client would send;
    the response headers and trailers."""
    config = h2.config.H2Configuration(
        client_side=True, validate_outbound_headers=False, normalize_outbound_headers=False
    )
    connection = h2.connection.H2Connection(config)
    connection.initiate_connection()
    headers = [(b":method", b"POST"), (b":scheme", b"http"), (b":path", path.encode())]
    headers += [(b":authority", b"127.0.0.1"), (b"content-type", b"application/grpc"), (b"te", b"trailers")]
    connection.send_headers(1, headers + metadata)
    connection.send_data(1, b"\0" + struct.pack(">I", len(message)) + message, end_stream=True)
    answer: dict[bytes, bytes] = {}
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(connection.data_to_send())
        while data := sock.recv(65536):
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived | h2.events.TrailersReceived):
                    answer.update(dict(event.headers))  # type: ignore[arg-type]
                elif isinstance(event, h2.events.DataReceived):
                    connection.acknowledge_received_data(event.flow_controlled_length, 1)
                elif isinstance(event, h2.events.StreamEnded | h2.events.StreamReset):
                    return answer
            sock.sendall(connection.data_to_send())
    return answer


CONTROL = st.sampled_from([b"\r\n", b"\n", b"\r", b"\0", b"\r\nx-injected: 1", b"\r\n\r\nGET / HTTP/1.1"])
DIRTY_VALUES = st.tuples(st.binary(max_size=8), CONTROL, st.binary(max_size=8)).map(b"".join)
FORWARDED = st.sampled_from([b"x-request-id", b"authorization", b"x-api-key", b"traceparent", b"baggage"])


@PROPERTY
@given(key=FORWARDED, value=DIRTY_VALUES)
def test_control_characters_in_metadata_never_reach_a_header(live: Live, key: bytes, value: bytes) -> None:
    request = runs_pb2.StreamRunRequest(assistant_id="agent").SerializeToString()
    before = live.count()
    answer = raw_grpc_call(
        live.gateway.port, "/langgraph_gateway.v1.RunsService/StreamRun", request, [(key, value)]
    )
    sent = live.since(before)
    for upstream_request in sent:
        assert "x-injected" not in upstream_request.headers
        assert not any(c in v for v in upstream_request.headers.values() for c in "\r\n\0")
    if answer.get(b"grpc-status") == b"3":
        assert sent == []
        assert answer[b"grpc-message"] == b"metadata '%s' holds a control character" % key
    else:  # grpc itself refused the header, or dropped it: the upstream never saw it
        assert all(r.headers.get(key.decode()) is None for r in sent)


def test_the_grpc_client_refuses_control_characters_itself(live: Live) -> None:
    before = live.count()
    code, error = outcome(
        lambda: live.runs.WaitRun(
            runs_pb2.WaitRunRequest(assistant_id="a"), metadata=[("x-request-id", "a\r\nx-injected: 1")]
        )
    )
    assert code == Code.INTERNAL and error.details() == "Invalid metadata"
    assert live.since(before) == []


# --- JSON values

FINITE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)
NOT_JSON = st.sampled_from([math.nan, math.inf, -math.inf])
STRUCT_FIELDS = ("config", "context", "metadata")
VALUE_FIELDS = ("input", "command.update", "command.resume", "command.goto")
REQUESTS = {"StreamRun": runs_pb2.StreamRunRequest, "WaitRun": runs_pb2.WaitRunRequest}
REQUESTS["CreateRun"] = runs_pb2.CreateRunRequest


def with_bad_number(data: st.DataObject, value: Any, bad: float) -> Any:
    """`value` with `bad` put at a place chosen by hypothesis: replacing a leaf or added inside."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        return {**value, key: with_bad_number(data, value[key], bad)}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], with_bad_number(data, value[index], bad), *value[index + 1 :]]
    if isinstance(value, dict):
        return {**value, data.draw(st.text(max_size=4)): bad}
    if isinstance(value, list):
        return [*value, bad]
    return bad


def build(kind: str, field: str, json_value: Any) -> Any:
    request = REQUESTS[kind](assistant_id="agent")
    if field in STRUCT_FIELDS:
        getattr(request, field).update(json_value)
    elif field == "after_seconds":
        request.after_seconds = json_value
    else:
        target = request
        for part in field.split("."):
            target = getattr(target, part)
        json_to_value(json_value, target)
    return request


def call(live: Live, kind: str, request: Any) -> tuple[Code, Any]:
    return outcome(lambda: getattr(live.runs, kind)(request, timeout=10))


@PROPERTY
@given(
    data=st.data(),
    kind=st.sampled_from(sorted(REQUESTS)),
    field=st.sampled_from([*VALUE_FIELDS, *STRUCT_FIELDS, "after_seconds"]),
    base=FINITE,
    bad=NOT_JSON,
)
def test_nan_and_infinity_anywhere_are_refused_before_the_upstream(
    live: Live, data: st.DataObject, kind: str, field: str, base: Any, bad: float
) -> None:
    if field == "after_seconds":
        value: Any = bad
    elif field in STRUCT_FIELDS:
        value = with_bad_number(data, {"k": base}, bad)
    else:
        value = with_bad_number(data, base, bad)
    before = live.count()
    code, error = call(live, kind, build(kind, field, value))
    assert code == Code.INVALID_ARGUMENT
    info = error_info(error)
    assert info.reason == "INVALID_REQUEST"
    assert info.metadata["field"].startswith(field)
    assert "JSON cannot carry" in error.details() or "NaN" in error.details() or "Infinity" in error.details()
    assert live.since(before) == []


@PROPERTY
@given(kind=st.sampled_from(["StreamRun", "WaitRun"]), value=FINITE)
def test_finite_values_reach_the_upstream_and_come_back_exactly(live: Live, kind: str, value: Any) -> None:
    before = live.count()
    code, result = call(live, kind, build(kind, "input", value))
    assert code == Code.OK, result
    (sent,) = live.since(before)
    assert sent.json()["input"] == value
    back = value_to_json(result[1].data if kind == "StreamRun" else result.values)
    assert back == value


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


@pytest.mark.parametrize("depth", [10, 30])
def test_nested_values_round_trip(live: Live, depth: int) -> None:
    for kind in ("StreamRun", "WaitRun"):
        code, result = call(live, kind, build(kind, "input", nested(depth)))
        assert code == Code.OK
        assert value_to_json(result[1].data if kind == "StreamRun" else result.values) == nested(depth)


@pytest.mark.parametrize("kind", ["StreamRun", "WaitRun"])
def test_values_nested_past_protobufs_limit_get_a_clear_status(live: Live, kind: str) -> None:
    """100 levels of JSON are ~300 protobuf levels, past the parser's limit of 100: the request
    cannot even be read, so it is the client's fault, said as such (not UNKNOWN with a Python
    exception's text)."""
    before = live.count()
    code, error = call(live, kind, build(kind, "input", nested(100)))
    assert code == Code.INVALID_ARGUMENT, (code, error.details())
    assert live.since(before) == []
    assert_serves_the_next_call(live)


def test_huge_values_round_trip(live: Live) -> None:
    big_text = "x" * (3 * 1024 * 1024)
    many = list(range(100_000))
    for value in (big_text, many, {"k" + str(n): n for n in range(50_000)}):
        for kind in ("StreamRun", "WaitRun"):
            code, result = call(live, kind, build(kind, "input", value))
            assert code == Code.OK
            assert value_to_json(result[1].data if kind == "StreamRun" else result.values) == value


def test_a_request_over_the_receive_limit_is_refused_before_the_upstream(live: Live) -> None:
    before = live.count()
    code, _ = call(live, "StreamRun", build("StreamRun", "input", "x" * (5 * 1024 * 1024)))
    assert code == Code.RESOURCE_EXHAUSTED
    assert live.since(before) == []
    assert_serves_the_next_call(live)


# --- empty and oversized strings


def test_an_empty_assistant_id_is_refused(live: Live) -> None:
    before = live.count()
    for kind in REQUESTS:
        code, error = call(live, kind, REQUESTS[kind]())
        assert code == Code.INVALID_ARGUMENT
        assert error_info(error).metadata["field"] == "assistant_id"
    assert live.since(before) == []


def test_oversized_strings_in_the_body_arrive_whole(live: Live) -> None:
    huge = "a" * (1024 * 1024)
    request = runs_pb2.StreamRunRequest(assistant_id=huge, stream_mode=["", huge], webhook=huge)
    before = live.count()
    code, _ = call(live, "StreamRun", request)
    assert code == Code.OK
    (sent,) = live.since(before)
    body = sent.json()
    assert (body["assistant_id"], body["stream_mode"], body["webhook"]) == (huge, ["", huge], huge)


@pytest.mark.parametrize(("length", "accepted"), [(128, True), (129, False), (100_000, False)])
def test_id_length_limit(live: Live, length: int, accepted: bool) -> None:
    before = live.count()
    code, _ = call(live, "WaitRun", runs_pb2.WaitRunRequest(assistant_id="a", thread_id="t" * length))
    assert (code == Code.OK) is accepted
    assert len(live.since(before)) == int(accepted)


def test_oversized_metadata_is_refused_and_the_gateway_goes_on(live: Live) -> None:
    before = live.count()
    code, _ = outcome(
        lambda: live.runs.WaitRun(
            runs_pb2.WaitRunRequest(assistant_id="a"), metadata=[("x-request-id", "r" * 100_000)], timeout=10
        )
    )
    assert code == Code.RESOURCE_EXHAUSTED
    assert live.since(before) == []
    assert_serves_the_next_call(live)


# --- what the upstream says back never sends the gateway elsewhere


LOCATIONS = st.one_of(
    st.sampled_from(
        [
            "{elsewhere}/threads/t-1/runs/r-1/stream",
            "//{elsewhere_host}/threads/t-1/runs/r-1/stream",
            "/threads/../runs/r-1/stream",
            "/threads/t-1/runs/r-1/stream?next={elsewhere}",
            "/threads/t-1/runs/%2e%2e/stream",
            "/threads/t-1/runs/r-1/stream/../../../../assistants",
            "/threads/t-1/runs/r-1/stream",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40),
)


@PROPERTY
@given(location=LOCATIONS)
def test_a_location_header_never_sends_a_resumption_elsewhere(live: Live, location: str) -> None:
    elsewhere = live.elsewhere.url
    location = location.replace("{elsewhere}", elsewhere).replace("{elsewhere_host}", elsewhere[7:])
    headers = {"content-type": "text/event-stream", "location": location}

    def answer(request: Request) -> Script:
        if request.method == "POST":  # one event with an id, then the connection drops
            return Script(
                headers=headers, chunks=[sse("metadata", {"run_id": "r-1"}, id="1-0")], ending="close"
            )
        return Script(headers=headers, chunks=[sse("custom", {"n": 1}, id="2-0")])

    live.answer = answer
    before = live.count()
    try:
        request = runs_pb2.StreamRunRequest(assistant_id="a", thread_id="t-1", stream_resumable=True)
        code, _ = call(live, "StreamRun", request)
    finally:
        live.answer = None
    assert code in (Code.OK, Code.UNAVAILABLE)
    for resumed in live.since(before)[1:]:
        assert re.fullmatch(
            r"/threads/[A-Za-z0-9_~-][A-Za-z0-9._~-]*/runs/[A-Za-z0-9_~-][A-Za-z0-9._~-]*/stream",
            resumed.path,
        )
    live.assert_only_the_configured_origin()


@pytest.mark.parametrize(
    "content_location",
    [b"/threads/t-1/runs/r-1", b"/runs/\xc3\xa9", b"/runs/\xff", b"/runs/\x01x", b"/threads/a b/runs/c"],
    ids=["plain", "utf8", "not-utf8", "control", "space"],
)
def test_a_malformed_content_location_does_not_fail_a_good_stream(
    live: Live, content_location: bytes
) -> None:
    """The ids announced as initial metadata come from the upstream's Content-Location: one the
    gateway cannot send as metadata must not cost the client its run's events."""
    body = sse("metadata", {"run_id": "r-1"})
    head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/event-stream\r\n"
    response = head + b"content-location: %s\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (
        content_location,
        len(body),
        body,
    )

    async def respond(
        upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(response)
        await writer.drain()
        return True

    live.answer = lambda request: Raw(respond)
    try:
        stream = live.runs.StreamRun(runs_pb2.StreamRunRequest(assistant_id="a"), timeout=10)
        code, messages = outcome(lambda: stream)
    finally:
        live.answer = None
    assert code == Code.OK, messages.details()
    assert [m.event for m in messages] == ["metadata"]
    for key, value in stream.initial_metadata():
        if key.startswith("x-langgraph-"):
            assert value.isascii() and value.isprintable(), (key, value)
