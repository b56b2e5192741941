"""Upstream faults the other scripted tests do not show: failures before the headers, redirects,
the wrong content type, malformed and oversized events, very long streams and a slow drip.

For each: the status and message the client gets, that nothing already received is lost or
repeated, and that the gateway then serves the next call (assistant "healthy" always answers a
clean two-event stream from the same upstream).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import grpc
import pytest
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc
from langgraph_grpc_gateway import Gateway, Settings
from langgraph_grpc_gateway.jsonvalue import value_to_json

from .conftest import free_port
from .fault_upstream import (
    FaultUpstream,
    Raw,
    chunked_response,
    close_before_headers,
    drip,
    reset_before_headers,
    stall_before_headers,
)
from .scripted_upstream import Request, Script, ScriptedUpstream, sse
from .test_scripted_upstream import EVENTS, STREAM_HEADERS, collect, error_info, gateway_for

HEALTHY = Script(headers=STREAM_HEADERS, chunks=EVENTS)
JSON_HEADERS = {"content-type": "application/json"}


def faulty(fault: Script | Raw) -> FaultUpstream:
    """An upstream that answers `fault` to assistant "agent" and a clean stream to "healthy"."""

    def script(request: Request) -> Script | Raw:
        body = request.json() if request.body else {}
        return HEALTHY if body.get("assistant_id") == "healthy" else fault

    return FaultUpstream(script)


async def assert_serves_the_next_call(runs: runs_pb2_grpc.RunsServiceStub) -> None:
    messages, error = await collect(runs.StreamRun(runs_pb2.StreamRunRequest(assistant_id="healthy")))
    assert error is None
    assert [m.event for m in messages] == ["metadata", "updates"]


def faulted_posts(upstream: ScriptedUpstream) -> list[Request]:
    return [r for r in upstream.requests if r.body and r.json().get("assistant_id") == "agent"]


def stream(**fields: Any) -> runs_pb2.StreamRunRequest:
    return runs_pb2.StreamRunRequest(assistant_id="agent", **fields)


WAIT = runs_pb2.WaitRunRequest(assistant_id="agent")


async def wait_error(runs: runs_pb2_grpc.RunsServiceStub, **call: Any) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await runs.WaitRun(WAIT, **call)
    return error.value


# --- before the headers


@pytest.mark.parametrize("fault", [reset_before_headers, close_before_headers], ids=["reset", "close"])
async def test_connection_lost_before_the_headers_is_unavailable_and_the_post_is_not_resent(
    fault: Callable[..., Any],
) -> None:
    upstream = faulty(Raw(fault))
    async with gateway_for(upstream) as (_, runs):
        # First a clean call, so the fault hits a pooled keep-alive connection: the one case where
        # an HTTP client may resend a request on its own (RFC 9112 9.3.1), never a POST.
        await assert_serves_the_next_call(runs)
        messages, error = await collect(runs.StreamRun(stream()))
        await assert_serves_the_next_call(runs)
        waited = await wait_error(runs)
        await assert_serves_the_next_call(runs)
    assert messages == []
    for exc in (error, waited):
        assert exc is not None and exc.code() == grpc.StatusCode.UNAVAILABLE
        assert exc.details().startswith("upstream unreachable: ")
        assert error_info(exc).reason == "UPSTREAM_UNAVAILABLE"
    assert len(faulted_posts(upstream)) == 2  # one StreamRun, one WaitRun: neither was resent


async def test_stall_before_the_headers_past_the_deadline_hangs_up() -> None:
    # The upstream never answers: only the deadline can make the gateway hang up.
    upstream = faulty(Raw(stall_before_headers))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream(), timeout=1))
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=30)
        upstream.hung_up.clear()
        waited = await wait_error(runs, timeout=1)
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=30)
        await assert_serves_the_next_call(runs)
    assert messages == []
    for exc in (error, waited):
        assert exc is not None and exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert upstream.hangups == 2
    assert len(faulted_posts(upstream)) == 2


# --- redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", ["elsewhere", "same-origin", "same-path"])
async def test_redirects_are_never_followed(status: int, target: str) -> None:
    async with ScriptedUpstream(HEALTHY) as elsewhere:
        location = {
            "elsewhere": f"{elsewhere.url}/runs/stream",
            "same-origin": "/assistants/agent",
            "same-path": "/runs/stream",
        }[target]
        fault = Script(status=status, headers={**JSON_HEADERS, "location": location})
        upstream = faulty(fault)
        async with gateway_for(upstream) as (_, runs):
            messages, error = await collect(runs.StreamRun(stream()))
            waited = await wait_error(runs)
            await assert_serves_the_next_call(runs)
            assert all(r.headers["host"] == upstream.host for r in upstream.requests)
        assert elsewhere.requests == []
    assert messages == []
    for exc in (error, waited):
        # gRPC's HTTP-to-status mapping gives UNKNOWN to statuses it does not name (3xx included).
        assert exc is not None and exc.code() == grpc.StatusCode.UNKNOWN
        assert exc.details() == f"upstream answered HTTP {status}"
        info = error_info(exc)
        assert (info.reason, info.metadata["http_status"]) == ("UPSTREAM_HTTP_ERROR", str(status))
    assert [(r.method, r.path) for r in faulted_posts(upstream)] == [
        ("POST", "/runs/stream"),
        ("POST", "/runs/wait"),
    ]


# --- the wrong kind of answer


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        (JSON_HEADERS, "application/json"),
        ({"content-type": "text/html"}, "text/html"),
        ({}, "application/octet-stream"),  # no content type: HTTP's default
    ],
    ids=["json", "html", "none"],
)
async def test_an_answer_that_is_not_an_event_stream_is_a_protocol_error(
    headers: dict[str, str], named: str
) -> None:
    fault = Script(headers={**headers, "content-location": "/runs/r-1"}, chunks=[b'{"values": {"n": 1}}'])
    async with gateway_for(faulty(fault)) as (_, runs):
        streamed, stream_error = await collect(runs.StreamRun(stream()))
        joined, join_error = await collect(
            runs.JoinStream(runs_pb2.JoinStreamRequest(thread_id="t", run_id="r"))
        )
        await assert_serves_the_next_call(runs)
    assert streamed == [] and joined == []
    for error in (stream_error, join_error):
        assert error is not None and error.code() == grpc.StatusCode.INTERNAL
        assert error.details() == f"upstream answered {named} where an event stream was expected"
        assert error_info(error).reason == "UPSTREAM_PROTOCOL_ERROR"


# --- malformed event streams

FIRST, LAST = sse("metadata", {"run_id": "r-1"}), sse("custom", {"n": 2})
MALFORMED_DELIVERED = {
    # an event with a name and no data line: delivered, its data unset
    "no-data-line": (b"event: updates\r\n\r\n", [("updates", None)]),
    # a data line with no event line: delivered under the empty name
    "no-event-line": (b'data: {"a":1}\r\n\r\n', [("", {"a": 1})]),
    # comments and unknown fields alone make no event
    "only-comments": (b": ping\r\nfoo: bar\r\n\r\n", []),
    # nor do blocks with neither a name nor data (WHATWG: an empty data buffer dispatches nothing)
    "no-name-no-data": (b"retry: 5\r\n\r\nid: 7\r\n\r\n", []),
    # bare LF and bare CR line ends are line ends too
    "lf-and-cr": (
        b'event: custom\ndata: {"n":1}\n\nevent: custom\rdata: {"n":3}\r\r',
        [("custom", {"n": 1}), ("custom", {"n": 3})],
    ),
    # data split over two lines is joined with a newline (valid JSON again here)
    "multi-line-data": (b'event: custom\r\ndata: {"n":\r\ndata: 1}\r\n\r\n', [("custom", {"n": 1})]),
    # a name that is not UTF-8 is read with replacement characters, never dropped
    "name-not-utf8": (b'event: cust\xffom\r\ndata: {"n":1}\r\n\r\n', [("cust\ufffdom", {"n": 1})]),
    # data that is not UTF-8 is read as langgraph-sdk reads it: the bad bytes become U+FFFD
    "data-not-utf8": (
        b'event: updates\r\ndata: {"text":"\xff\xfe"}\r\n\r\n',
        [("updates", {"text": "\ufffd\ufffd"})],
    ),
}


def _value(message: runs_pb2.StreamRunResponse) -> Any:
    return value_to_json(message.data) if message.HasField("data") else None


@pytest.mark.parametrize("case", list(MALFORMED_DELIVERED))
async def test_malformed_events_that_still_decode_are_delivered_in_order(case: str) -> None:
    middle, expected = MALFORMED_DELIVERED[case]
    async with gateway_for(faulty(Script(headers=STREAM_HEADERS, chunks=[FIRST, middle, LAST]))) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream()))
        await assert_serves_the_next_call(runs)
    assert error is None
    got = [(m.event, _value(m)) for m in messages]
    assert got == [("metadata", {"run_id": "r-1"}), *expected, ("custom", {"n": 2})]


@pytest.mark.parametrize(
    "middle",
    [b"event: updates\r\ndata: {not json\r\n\r\n", b'event: updates\r\ndata: {"n": NaN}\r\n\r\n'],
    ids=["data-not-json", "data-nan"],
)
async def test_event_data_that_cannot_be_decoded_ends_the_call_after_what_was_sent(middle: bytes) -> None:
    async with gateway_for(faulty(Script(headers=STREAM_HEADERS, chunks=[FIRST, middle, LAST]))) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream()))
        # The raw form never parses data: the bytes go on exactly as the upstream sent them.
        raw, raw_error = await collect(runs.StreamRun(stream(data_format=runs_pb2.DATA_FORMAT_JSON)))
        await assert_serves_the_next_call(runs)
    assert [m.event for m in messages] == ["metadata"]
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL
    assert error.details().startswith("upstream sent event 'updates' whose data is not JSON")
    assert error_info(error).reason == "UPSTREAM_PROTOCOL_ERROR"
    assert raw_error is None
    assert [m.data_json for m in raw] == [b'{"run_id":"r-1"}', middle.split(b"data: ")[1][:-4], b'{"n":2}']


async def test_an_unfinished_last_event_is_dropped_not_half_delivered() -> None:
    chunks = [FIRST, LAST, b'event: custom\r\ndata: {"n":3}']  # the body ends before the blank line
    async with gateway_for(faulty(Script(headers=STREAM_HEADERS, chunks=chunks))) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream()))
    assert error is None
    assert [(m.event, _value(m)) for m in messages] == [("metadata", {"run_id": "r-1"}), ("custom", {"n": 2})]


# --- sizes and lengths


async def test_an_event_over_the_send_limit_ends_the_call_after_the_events_before_it() -> None:
    big = sse("updates", {"text": "y" * 200_000})
    script = Script(headers=STREAM_HEADERS, chunks=[FIRST, LAST, big, LAST], ending="stall")
    upstream = faulty(script)
    async with gateway_for(upstream, max_send_message_bytes=64 * 1024) as (_, runs):
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(stream())), timeout=10)
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=10)
        await assert_serves_the_next_call(runs)
    assert [m.event for m in messages] == ["metadata", "custom"]
    assert error is not None and error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "larger than max" in error.details()


async def test_an_event_over_the_clients_receive_limit_is_a_clear_status_not_a_hang() -> None:
    big = sse("updates", {"text": "y" * (5 * 1024 * 1024)})  # the gateway sends it; grpc clients take 4 MiB
    script = Script(headers=STREAM_HEADERS, chunks=[FIRST, big, LAST], ending="stall")
    upstream = faulty(script)
    async with gateway_for(upstream) as (_, runs):
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(stream())), timeout=20)
        await asyncio.wait_for(upstream.hung_up.wait(), timeout=10)
        await assert_serves_the_next_call(runs)
    assert [m.event for m in messages] == ["metadata"]
    assert error is not None and error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "larger than max" in error.details()


async def test_coalesced_messages_respect_the_send_limit_when_each_event_fits() -> None:
    """Many small events that arrive together must not be packed into one message over the limit."""
    events = [sse("custom", {"seq": n, "pad": "p" * 250}) for n in range(2000)]  # ~600 KB
    script = Script(headers=STREAM_HEADERS, chunks=[FIRST, b"".join(events)])
    async with gateway_for(faulty(script), max_send_message_bytes=64 * 1024) as (_, runs):
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(stream(coalesce_events=True))), 20)
    assert error is None, error
    seqs = [int(e.data.struct_value.fields["seq"].number_value) for m in messages for e in m.events[:]]
    assert seqs[1:] == list(range(2000))
    assert all(m.ByteSize() <= 64 * 1024 for m in messages)


def _tiny_events(count: int) -> list[bytes]:
    """`count` small events in 64 KiB chunks (the scripted upstream writes one chunk at a time)."""
    body = b"".join(b'event: custom\r\ndata: {"seq":%d}\r\n\r\n' % n for n in range(count))
    return [FIRST] + [body[i : i + 65536] for i in range(0, len(body), 65536)]


async def test_a_very_long_coalesced_stream_arrives_complete_in_order_once() -> None:
    script = Script(headers=STREAM_HEADERS, chunks=_tiny_events(200_000))
    async with gateway_for(faulty(script)) as (_, runs):
        request = stream(coalesce_events=True, data_format=runs_pb2.DATA_FORMAT_JSON)
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(request)), timeout=90)
        await assert_serves_the_next_call(runs)
    assert error is None
    events = [e for m in messages for e in m.events]
    assert events[0].event == "metadata"
    assert [json.loads(e.data_json)["seq"] for e in events[1:]] == list(range(200_000))


async def test_a_very_long_stream_of_single_messages_arrives_complete_in_order_once() -> None:
    script = Script(headers=STREAM_HEADERS, chunks=_tiny_events(20_000))
    async with gateway_for(faulty(script)) as (_, runs):
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(stream())), timeout=90)
    assert error is None
    assert messages[0].event == "metadata"
    assert [int(m.data.struct_value.fields["seq"].number_value) for m in messages[1:]] == list(range(20_000))


# --- slow drip


async def test_a_slow_drip_of_single_bytes_decodes_like_one_write() -> None:
    events = [
        FIRST,
        sse("updates", {"text": "héllo\nworld"}),
        b'event: custom\ndata: {"n":\ndata: 1}\r\n\r\n',
    ]
    response = chunked_response("200 OK", STREAM_HEADERS, events)
    wait_body = chunked_response("200 OK", {**JSON_HEADERS, "content-location": "/runs/r-1"}, [b'{"n": 7}'])

    def script(request: Request) -> Raw:
        return Raw(drip(wait_body if request.path.endswith("/wait") else response, pause=0.001))

    async with gateway_for(FaultUpstream(script)) as (_, runs):
        messages, error = await asyncio.wait_for(collect(runs.StreamRun(stream())), timeout=30)
        waited = await asyncio.wait_for(runs.WaitRun(WAIT), timeout=30)
    assert error is None
    assert [(m.event, _value(m)) for m in messages] == [
        ("metadata", {"run_id": "r-1"}),
        ("updates", {"text": "héllo\nworld"}),
        ("custom", {"n": 1}),
    ]
    assert waited.values.struct_value.fields["n"].number_value == 7
    assert waited.run_id == "r-1"


# --- data nested deeper than protobuf goes


def _nested_json(depth: int) -> bytes:
    """`depth` levels of objects and arrays, written out (json.dumps itself recurses)."""
    text = b'"leaf"'
    for level in range(depth):
        text = b"[" + text + b"]" if level % 2 else b'{"k":' + text + b"}"
    return text


@pytest.mark.parametrize("depth", [1025, 5000])
async def test_event_data_nested_deeper_than_json_parsing_goes_is_a_protocol_error(depth: int) -> None:
    """Past 1,024 levels orjson gives up, in the gateway as in langgraph-sdk, which reads events
    with it too: the client gets the gateway's clear status after the events before it, not a
    gateway bug. (The gateway writes a Value of any depth orjson reads, in compiled code that
    Python's recursion limit does not bound; but past 100 protobuf levels, about 40 JSON levels,
    most clients' protobuf parsers refuse the message: Go's reads 10,000.)"""
    deep = b"event: values\r\ndata: " + _nested_json(depth) + b"\r\n\r\n"
    script = Script(headers=STREAM_HEADERS, chunks=[FIRST, deep, LAST])
    wait = Script(headers={**JSON_HEADERS, "content-location": "/runs/r-1"}, chunks=[_nested_json(depth)])

    def answer(request: Request) -> Script:
        return wait if request.path.endswith("/wait") else script

    upstream = FaultUpstream(lambda request: HEALTHY if b'"healthy"' in request.body else answer(request))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream()))
        raw, raw_error = await collect(runs.StreamRun(stream(data_format=runs_pb2.DATA_FORMAT_JSON)))
        waited = await wait_error(runs)
        await assert_serves_the_next_call(runs)
    assert [m.event for m in messages] == ["metadata"]
    assert raw_error is None and [m.event for m in raw] == ["metadata", "values", "custom"]
    for exc in (error, waited):
        assert exc is not None and exc.code() == grpc.StatusCode.INTERNAL, exc
        assert error_info(exc).reason == "UPSTREAM_PROTOCOL_ERROR", exc.details()


# --- answers that are not HTTP, and what status messages reveal


def _writes(data: bytes) -> Raw:
    async def respond(
        upstream: FaultUpstream, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        writer.write(data)
        await writer.drain()
        return False

    return Raw(respond)


MALFORMED_HTTP = {
    "not-http": b"hello there\r\n\r\n",
    "bad-status-code": b"HTTP/1.1 abc OK\r\n\r\n",
    "headers-over-8k": b"HTTP/1.1 200 OK\r\nx-big: " + b"a" * 20_000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("case", list(MALFORMED_HTTP))
async def test_an_answer_that_is_not_http_is_a_protocol_error_not_unreachable(case: str) -> None:
    """The upstream was reached and answered, wrongly: like the other malformed answers (data that
    is not JSON, the wrong content type) that is UPSTREAM_PROTOCOL_ERROR, not "upstream unreachable"
    (UPSTREAM_UNAVAILABLE, which tells clients a retry may help)."""
    upstream = faulty(_writes(MALFORMED_HTTP[case]))
    async with gateway_for(upstream) as (_, runs):
        messages, error = await collect(runs.StreamRun(stream()))
        await assert_serves_the_next_call(runs)
    assert messages == []
    assert error is not None and error.code() == grpc.StatusCode.INTERNAL, error.details()
    assert error_info(error).reason == "UPSTREAM_PROTOCOL_ERROR"
    assert len(faulted_posts(upstream)) == 1


@pytest.mark.parametrize("case", ["refused", "not-http"])
async def test_status_messages_never_reveal_the_upstreams_address(case: str) -> None:
    """Clients of the gateway are not told where the upstream lives (its host and port, URLs)."""
    if case == "refused":
        port = free_port()
        address = f"127.0.0.1:{port}"
        gateway = Gateway(Settings(upstream=f"http://{address}", listen="127.0.0.1:0"))
        await gateway.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{gateway.port}") as channel:
                _, error = await collect(runs_pb2_grpc.RunsServiceStub(channel).StreamRun(stream()))
        finally:
            await gateway.stop(0)
    else:
        upstream = faulty(_writes(MALFORMED_HTTP["not-http"]))
        async with gateway_for(upstream) as (_, runs):
            address = upstream.host
            _, error = await collect(runs.StreamRun(stream()))
    assert error is not None
    assert address not in error.details() and str(address.rsplit(":", 1)[1]) not in error.details()
