"""gRPC-Web through the real Envoy (its grpc_web and CORS filters): the browser page of
clients/web in headless Chromium (Debian's), and a plain HTTP client posting gRPC-Web frames,
get the same events and status as a gRPC client straight to the gateway.

The page is served from an origin of its own (a static file server on another port), so every
call it makes is cross-origin, as from a real web app: Envoy allows that origin and no other."""

from __future__ import annotations

import asyncio
import base64
import functools
import http.server
import json
import struct
import threading
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from google.rpc import status_pb2
from langgraph_gateway.v1 import runs_pb2
from langgraph_grpc_gateway import Gateway
from langgraph_sdk.client import LangGraphClient

from . import normalize
from .conftest import ROOT
from .envoy_support import EnvoyProcess, Outcome, data_of, envoy_in_front_of, status_details, stream
from .gates import gate, open_gate
from .production_support import user

WEB = ROOT / "clients" / "web"
STREAM_RUN = "/langgraph_gateway.v1.RunsService/StreamRun"
TRAILER_FRAME = 0x80
# The page's runs: assistant `agent`, these stream modes (and as a StreamRun straight to the gateway).
PAGE_MODES = "updates,custom"
PAGE_RUN: dict[str, Any] = {"assistant_id": "agent", "stream_mode": ["updates", "custom"]}


@pytest.fixture(scope="module")
def page_origin() -> Iterator[str]:
    """clients/web/dist (built by clients/web/setup.sh) served on a port of its own."""
    dist = WEB / "dist"
    assert (dist / "app.js").exists(), "clients/web is not built: run `bash clients/web/setup.sh`"
    handler = functools.partial(QuietHandler, directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def envoy(
    gateway: Gateway, page_origin: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[EnvoyProcess]:
    log = tmp_path_factory.mktemp("envoy-web") / "envoy.log"
    async with envoy_in_front_of(gateway, log, cors_origins=(page_origin,)) as process:
        yield process


@pytest.fixture
def direct(gateway: Gateway) -> str:
    return f"127.0.0.1:{gateway.port}"


# --- gRPC-Web framing (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md), pure


def frame(message: bytes, flags: int = 0) -> bytes:
    return struct.pack(">BI", flags, len(message)) + message


def frames(body: bytes) -> list[tuple[int, bytes]]:
    """A gRPC-Web body as (flags, payload) frames; the whole body, or an AssertionError."""
    out, at = [], 0
    while at < len(body):
        assert len(body) - at >= 5, f"a cut frame header at byte {at}"
        flags, length = struct.unpack_from(">BI", body, at)
        payload = body[at + 5 : at + 5 + length]
        assert len(payload) == length, f"a cut frame at byte {at}"
        out.append((flags, payload))
        at += 5 + length
    return out


def trailers(payload: bytes) -> dict[str, str]:
    """A trailer frame's HTTP/1-style header block: `name: value` lines, CRLF-ended."""
    lines = payload.decode("ascii").split("\r\n")
    return {name.strip().lower(): value.strip() for name, _, value in (x.partition(":") for x in lines if x)}


async def grpc_web_stream(envoy: EnvoyProcess, request: runs_pb2.StreamRunRequest) -> httpx.Response:
    async with httpx.AsyncClient(timeout=60) as client:  # HTTP/1.1, as a browser's fetch may be
        return await client.post(
            envoy.url + STREAM_RUN,
            content=frame(request.SerializeToString()),
            headers={"content-type": "application/grpc-web+proto", "x-grpc-web": "1"},
        )


REQUESTS = {
    "ok": runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user("hi"), stream_mode=["updates", "custom"]
    ),
    "run fails": runs_pb2.StreamRunRequest(
        assistant_id="agent", input=user("FAIL over grpc-web"), stream_mode=["updates", "custom"]
    ),
}


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=REQUESTS.keys())
async def test_a_plain_http_client_gets_the_same_events_and_the_trailer_frame(
    envoy: EnvoyProcess, direct: str, request_: runs_pb2.StreamRunRequest
) -> None:
    straight = await stream(direct, request_)
    answer = await grpc_web_stream(envoy, request_)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/grpc-web")
    *data, (last_flags, last) = frames(answer.content)
    assert last_flags == TRAILER_FRAME and all(flags == 0 for flags, _ in data)
    messages = [runs_pb2.StreamRunResponse.FromString(payload) for _, payload in data]
    assert normalize.events([(m.event, data_of(m)) for m in messages]) == straight.events()
    assert web_status(trailers(last)) == grpc_status(straight)


def web_status(trailer: dict[str, str]) -> Any:
    """The status a gRPC-Web trailer frame carries: code, message, google.rpc.Status."""
    code = int(trailer["grpc-status"])
    if code == 0:
        return 0
    details = trailer["grpc-status-details-bin"]
    status = status_pb2.Status.FromString(base64.b64decode(details + "=" * (-len(details) % 4)))
    return code, urllib.parse.unquote(trailer["grpc-message"]), json_format.MessageToDict(status)


def grpc_status(outcome: Outcome) -> Any:
    if outcome.error is None:
        return 0
    code, message, status = status_details(outcome.error)
    return code.value[0], message, status


async def test_cors_lets_the_page_origin_call_and_no_other(envoy: EnvoyProcess, page_origin: str) -> None:
    async with httpx.AsyncClient(timeout=30) as client:

        async def preflight(origin: str) -> httpx.Response:
            headers = {
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type,x-grpc-web,x-user-agent",
            }
            return await client.options(envoy.url + STREAM_RUN, headers=headers)

        allowed = await preflight(page_origin)
        assert allowed.headers["access-control-allow-origin"] == page_origin
        assert "x-grpc-web" in allowed.headers["access-control-allow-headers"]
        other = await preflight("http://127.0.0.1:1")
        assert "access-control-allow-origin" not in other.headers
        answer = await client.post(
            envoy.url + STREAM_RUN,
            content=frame(REQUESTS["ok"].SerializeToString()),
            headers={"content-type": "application/grpc-web+proto", "x-grpc-web": "1", "origin": page_origin},
        )
        exposed = answer.headers["access-control-expose-headers"]
        assert {"grpc-status", "grpc-message", "grpc-status-details-bin", "x-langgraph-run-id"} <= {
            name.strip() for name in exposed.split(",")
        }


# --- the page, in headless Chromium


async def drive_page(
    envoy: EnvoyProcess,
    page_origin: str,
    message: str,
    while_waiting: Callable[[dict[str, Any]], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """What the page shows after a person picked `agent`, typed `message` (stream modes updates
    and custom) and clicked Run (clients/web/test/drive.mjs: playwright-core, /usr/bin/chromium).
    With `while_waiting`, a gated run: it is given what the page shows once the run's "waiting"
    event is on it (the run still streaming), and must open the gate."""
    query = urllib.parse.urlencode({"endpoint": envoy.url})
    job = {"url": f"{page_origin}/?{query}", "graph": "agent", "message": message, "streamMode": PAGE_MODES}
    if while_waiting is not None:
        job["whileRunning"] = '"stage":"waiting"'
    process = await asyncio.create_subprocess_exec(
        "node",
        str(WEB / "test" / "drive.mjs"),
        json.dumps(job),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        if while_waiting is not None and (line := await asyncio.wait_for(process.stdout.readline(), 120)):
            await while_waiting(json.loads(line))
        out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, f"drive.mjs exited with {process.returncode}:\n{err.decode()[-3000:]}"
    return dict(json.loads(out))


async def test_the_page_streams_a_run_through_envoy_and_shows_every_event_as_it_comes(
    envoy: EnvoyProcess, direct: str, page_origin: str, sdk: LangGraphClient
) -> None:
    async with gate(sdk) as name:

        async def while_waiting(shown: dict[str, Any]) -> None:
            # The run waits at the gate: the page shows its events so far, not at the end.
            assert shown["state"] == "running", shown
            assert [event for event, _ in shown["events"]] == ["metadata", "custom", "custom"]
            await open_gate(sdk, name)

        shown = await drive_page(envoy, page_origin, f"WAIT {name}", while_waiting)
    async with gate(sdk) as other:  # the same run straight to the gateway, its gate open already
        await open_gate(sdk, other)
        straight = await stream(direct, runs_pb2.StreamRunRequest(**PAGE_RUN, input=user(f"WAIT {other}")))
    assert "agent" in shown["assistants"]
    assert shown["state"] == "done", shown
    assert normalize.events([tuple(event) for event in shown["events"]]) == straight.events()
    assert shown["status"] == f"done: {len(straight.messages)} events"
    metadata = shown["events"][0]
    assert metadata[0] == "metadata" and shown["runId"] == metadata[1]["run_id"]


async def test_the_page_shows_an_error_as_a_readable_message(
    envoy: EnvoyProcess, direct: str, page_origin: str
) -> None:
    shown = await drive_page(envoy, page_origin, "FAIL in the browser")
    straight = await stream(direct, runs_pb2.StreamRunRequest(**PAGE_RUN, input=user("FAIL in the browser")))
    assert straight.error is not None
    assert shown["state"] == "error", shown
    # The code's name, the gateway's message and its reason (the status details' ErrorInfo).
    assert shown["status"] == f"INTERNAL: {straight.error.details()} (RUN_FAILED)"
    assert normalize.events([tuple(event) for event in shown["events"]]) == straight.events()
