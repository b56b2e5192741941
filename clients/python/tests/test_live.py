"""The client against the live gateway (in front of the real LangGraph server running
tests/upstream/graph.py), compared with langgraph-sdk's answers over HTTP where it helps.

The server starts each run 0.5-1 s late, so the gRPC call and the sdk call of a comparison run
concurrently."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import grpc
import pytest
from langgraph_sdk.client import LangGraphClient as SdkClient
from langgraph_sdk.errors import NotFoundError as SdkNotFoundError

from langgraph_grpc_client import (
    LangGraphClient,
    RunCreateMetadata,
    StreamPart,
    SyncLangGraphClient,
    errors,
    from_struct,
    get_sync_client,
)
from langgraph_grpc_client import get_client as grpc_get_client

from . import normalize


async def open_gate(sdk: SdkClient, gate: str) -> None:
    """Lets a run waiting at the gate go on (tests/upstream/graph.py reads the store item)."""
    await sdk.store.put_item(["gates"], gate, {"open": True})


def said(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


HI = said("hi")


async def collect(stream: Any) -> list[Any]:
    return [part async for part in stream]


# --- the contract's checks --------------------------------------------------------------------


async def test_stream_updates(client: LangGraphClient) -> None:
    created: list[RunCreateMetadata] = []
    stream = client.runs.stream(
        None, "agent", input=HI, stream_mode=["updates"], on_run_created=created.append
    )
    parts = await collect(stream)

    assert [p.event for p in parts] == ["metadata", "updates", "updates"]
    assert all(isinstance(p, StreamPart) for p in parts)
    assert parts[1].data["echo"]["messages"][0]["content"] == "echo: hi"
    assert parts[2].data == {"post": {"count": 1}}
    assert type(parts[2].data["post"]["count"]) is int  # Value's double comes back as int
    run_id = parts[0].data["run_id"]
    assert stream.run_id == run_id  # from the x-langgraph-run-id initial metadata
    assert created == [{"run_id": run_id, "thread_id": None}]


async def test_wait_values(client: LangGraphClient) -> None:
    created: list[RunCreateMetadata] = []
    values = await client.runs.wait(None, "agent", input=HI, on_run_created=created.append)
    assert isinstance(values, dict)
    assert values["count"] == 1
    assert values["messages"][-1]["content"] == "echo: hi"
    assert len(created) == 1 and created[0]["run_id"]


async def test_failing_run_raises_internal_after_the_error_event(client: LangGraphClient) -> None:
    parts: list[StreamPart] = []
    with pytest.raises(errors.RunFailedError) as caught:
        async for part in client.runs.stream(None, "agent", input=said("FAIL x"), stream_mode="updates"):
            parts.append(part)
    error = caught.value
    assert error.code == grpc.StatusCode.INTERNAL
    assert isinstance(error, errors.InternalServerError)
    assert error.reason == "RUN_FAILED" and error.domain == "langgraph-grpc-gateway"
    assert (error.error_type, error.error_message) == ("ValueError", "boom: FAIL x")
    assert error.status is not None and error.status.code == grpc.StatusCode.INTERNAL.value[0]
    assert [p.event for p in parts] == ["metadata", "error"]
    assert parts[-1].data == {"error": "ValueError", "message": "boom: FAIL x"}

    with pytest.raises(errors.RunFailedError) as caught:
        await client.runs.wait(None, "agent", input=said("FAIL x"))
    assert caught.value.code == grpc.StatusCode.INTERNAL


async def test_unknown_assistant_is_invalid_argument(client: LangGraphClient) -> None:
    with pytest.raises(errors.BadRequestError) as caught:
        await collect(client.runs.stream(None, "nope", input=HI, stream_mode="updates"))
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert isinstance(caught.value, errors.UnprocessableEntityError)  # the server said 422
    assert caught.value.status_code == 422 and caught.value.metadata["http_status"] == "422"
    assert "nope" in caught.value.message

    with pytest.raises(errors.BadRequestError) as caught:
        await client.runs.wait(None, "nope", input=HI)
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT


def test_sync_client(sync_client: SyncLangGraphClient) -> None:
    stream = sync_client.runs.stream(None, "agent", input=HI, stream_mode="updates")
    parts = list(stream)
    assert [p.event for p in parts] == ["metadata", "updates", "updates"]
    assert stream.run_id == parts[0].data["run_id"]
    assert parts[1].data["echo"]["messages"][0]["content"] == "echo: hi"

    values = sync_client.runs.wait(None, "agent", input=HI)
    assert isinstance(values, dict) and values["count"] == 1

    with pytest.raises(errors.RunFailedError) as failed:
        list(sync_client.runs.stream(None, "agent", input=said("FAIL x"), stream_mode="updates"))
    assert failed.value.code == grpc.StatusCode.INTERNAL
    with pytest.raises(errors.BadRequestError) as bad:
        sync_client.runs.wait(None, "nope", input=HI)
    assert bad.value.code == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("single_threaded", [True, False], ids=["single-threaded", "grpcio-default"])
def test_sync_streams_in_both_channel_modes(address: str, single_threaded: bool) -> None:
    """The sync client reads streams on the caller's thread by default; both modes behave alike:
    the parts, a deadline, and leaving a stream early."""
    with get_sync_client(address, api_key=None, single_threaded_streams=single_threaded) as ours:
        stream = ours.runs.stream(None, "agent", input=HI, stream_mode="updates")
        assert [p.event for p in stream] == ["metadata", "updates", "updates"]
        assert stream.run_id is not None

        with pytest.raises(errors.APITimeoutError) as caught:
            list(ours.runs.stream(None, "agent", input=said("SLEEP 3"), on_disconnect="cancel", timeout=1.0))
        assert caught.value.code == grpc.StatusCode.DEADLINE_EXCEEDED

        with ours.runs.stream(None, "agent", input=said("SLEEP 3"), stream_mode="custom") as leaving:
            first = next(leaving)
        assert first.event == "metadata"
        with pytest.raises(StopIteration):
            next(leaving)  # closed: nothing more, and the call is cancelled


# --- the same answers as langgraph-sdk ---------------------------------------------------------


async def test_stream_equals_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    kwargs: dict[str, Any] = {"input": HI, "stream_mode": ["updates", "values", "custom"]}
    ours, theirs = await asyncio.gather(
        collect(client.runs.stream(None, "agent", **kwargs)),
        collect(sdk.runs.stream(None, "agent", **kwargs)),
    )
    assert normalize.parts(ours) == normalize.parts(theirs)
    assert len(ours) > 4


async def test_subgraph_stream_equals_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    kwargs: dict[str, Any] = {"input": HI, "stream_mode": "updates", "stream_subgraphs": True}
    ours, theirs = await asyncio.gather(
        collect(client.runs.stream(None, "nested", **kwargs)),
        collect(sdk.runs.stream(None, "nested", **kwargs)),
    )
    assert normalize.parts(ours) == normalize.parts(theirs)
    assert any(p.namespace for p in ours)  # events like "updates|inner:<task id>"


async def test_wait_equals_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    ours, theirs = await asyncio.gather(
        client.runs.wait(None, "agent", input=HI, metadata={"n": 1}, config={"tags": ["t"]}),
        sdk.runs.wait(None, "agent", input=HI, metadata={"n": 1}, config={"tags": ["t"]}),
    )
    assert normalize.value(ours) == normalize.value(theirs)


async def test_failed_run_without_raise_error_equals_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    fail = said("FAIL x")
    ours, theirs, our_wait, their_wait = await asyncio.gather(
        collect(client.runs.stream(None, "agent", input=fail, stream_mode="updates", raise_error=False)),
        collect(sdk.runs.stream(None, "agent", input=fail, stream_mode="updates")),
        client.runs.wait(None, "agent", input=fail, raise_error=False),
        sdk.runs.wait(None, "agent", input=fail, raise_error=False),
    )
    assert normalize.parts(ours) == normalize.parts(theirs)
    assert our_wait == their_wait == {"__error__": {"error": "ValueError", "message": "boom: FAIL x"}}


async def test_json_data_format_equals_sdk(address: str, sdk: SdkClient) -> None:
    async with grpc_get_client(address, api_key=None, data_format="json") as json_client:
        ours, theirs = await asyncio.gather(
            collect(json_client.runs.stream(None, "agent", input=HI, stream_mode="updates")),
            collect(sdk.runs.stream(None, "agent", input=HI, stream_mode="updates")),
        )
    assert normalize.parts(ours) == normalize.parts(theirs)
    # The server's JSON bytes, not a Struct: keys keep the server's order, as with the sdk.
    assert list(ours[1].data["echo"]["messages"][0]) == list(theirs[1].data["echo"]["messages"][0])


async def test_thread_runs_interrupt_and_resume_equal_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    """Thread runs (created by if_not_exists="create"), an interrupt, then a resume Command."""
    ours_id, theirs_id = str(uuid.uuid4()), str(uuid.uuid4())
    created: list[RunCreateMetadata] = []
    first = await asyncio.gather(
        client.runs.wait(
            ours_id,
            "agent",
            input=said("INTERRUPT please"),
            if_not_exists="create",
            on_run_created=created.append,
        ),
        sdk.runs.wait(theirs_id, "agent", input=said("INTERRUPT please"), if_not_exists="create"),
    )
    assert normalize.value(first[0]) == normalize.value(first[1])
    assert isinstance(first[0], dict) and "__interrupt__" in first[0]
    assert created[0]["thread_id"] == ours_id

    resumed = await asyncio.gather(
        collect(client.runs.stream(ours_id, "agent", command={"resume": "yes"}, stream_mode="updates")),
        collect(sdk.runs.stream(theirs_id, "agent", command={"resume": "yes"}, stream_mode="updates")),
    )
    assert normalize.parts(resumed[0]) == normalize.parts(resumed[1])
    assert resumed[0][1].data["echo"]["messages"][0]["content"] == "resumed with: yes"


async def test_unknown_thread_is_not_found_as_in_sdk(client: LangGraphClient, sdk: SdkClient) -> None:
    thread_id = str(uuid.uuid4())
    with pytest.raises(errors.NotFoundError) as ours:
        await collect(client.runs.stream(thread_id, "agent", input=HI))
    with pytest.raises(SdkNotFoundError) as theirs:
        await collect(sdk.runs.stream(thread_id, "agent", input=HI))
    assert ours.value.code == grpc.StatusCode.NOT_FOUND
    assert ours.value.status_code == theirs.value.status_code == 404
    assert ours.value.message == theirs.value.message


def test_sync_stream_equals_sdk_sync(sync_client: SyncLangGraphClient, upstream_url: str) -> None:
    from langgraph_sdk import get_sync_client as sdk_get_sync_client

    sdk_sync = sdk_get_sync_client(url=upstream_url, api_key=None)
    ours = list(sync_client.runs.stream(None, "agent", input=HI, stream_mode="updates"))
    theirs = list(sdk_sync.runs.stream(None, "agent", input=HI, stream_mode="updates"))
    assert normalize.parts(ours) == normalize.parts(theirs)


# --- errors and cancellation -------------------------------------------------------------------


async def test_deadline_is_api_timeout_error(client: LangGraphClient) -> None:
    with pytest.raises(errors.APITimeoutError) as caught:
        await collect(
            client.runs.stream(None, "agent", input=said("SLEEP 3"), on_disconnect="cancel", timeout=1.0)
        )
    assert caught.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert isinstance(caught.value, errors.APIConnectionError)


async def test_busy_thread_with_reject_is_conflict(client: LangGraphClient, sdk: SdkClient) -> None:
    thread_id, gate = str(uuid.uuid4()), uuid.uuid4().hex
    # The run waits at a gate (tests/upstream/graph.py) that opens only when the test says.
    long_run = client.runs.stream(
        thread_id, "agent", input=said(f"WAIT {gate}"), stream_mode="custom", if_not_exists="create"
    )
    first = await anext(long_run)  # metadata: the run is on the thread now
    assert first.event == "metadata"
    try:
        with pytest.raises(errors.ConflictError) as caught:
            await client.runs.wait(thread_id, "agent", input=HI, multitask_strategy="reject")
        assert caught.value.code == grpc.StatusCode.ABORTED
        assert caught.value.status_code == 409
    finally:
        await open_gate(sdk, gate)
        rest = await collect(long_run)
    assert [p.data["stage"] for p in rest] == ["echo-start", "waiting"]


async def test_leaving_a_stream_cancels_the_run(client: LangGraphClient, sdk: SdkClient) -> None:
    thread_id, gate = str(uuid.uuid4()), uuid.uuid4().hex
    stream = client.runs.stream(
        thread_id,
        "agent",
        input=said(f"WAIT {gate}"),  # runs until the gate opens: only the cancel can end it early
        stream_mode="custom",
        if_not_exists="create",
        on_disconnect="cancel",
    )
    try:
        async with stream:
            async for _ in stream:
                break
        assert stream.run_id is not None
        deadline = time.monotonic() + 30
        status = ""
        while time.monotonic() < deadline:
            status = (await sdk.runs.get(thread_id, stream.run_id))["status"]
            if status not in ("pending", "running"):
                break
            await asyncio.sleep(0.2)
        assert status == "interrupted"
    finally:
        await open_gate(sdk, gate)  # never leave a run waiting: the upstream would be held up


async def test_unreachable_gateway_is_connection_error() -> None:
    async with grpc_get_client("127.0.0.1:1", api_key=None, timeout=5) as nowhere:
        with pytest.raises(errors.APIConnectionError) as caught:
            await nowhere.runs.wait(None, "agent", input=HI)
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE
    assert caught.value.error_info is None  # not the gateway's answer: grpc's own


async def test_raw_stub_on_the_clients_channel(client: LangGraphClient) -> None:
    """Services added to protos/ are usable at once, before any wrapper: the generated stub on
    client.channel."""
    try:
        from langgraph_grpc_client._gen.langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc
    except ImportError:
        pytest.skip("no AssistantsService in protos/")
    stub: Any = assistants_pb2_grpc.AssistantsServiceStub(client.channel)  # type: ignore[no-untyped-call]
    found = await stub.SearchAssistants(assistants_pb2.SearchAssistantsRequest(graph_id="agent"))
    assert [a.graph_id for a in found.assistants] == ["agent"]
    assert isinstance(from_struct(found.assistants[0].config), dict)

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetAssistant(assistants_pb2.GetAssistantRequest(assistant_id=str(uuid.uuid4())))
    error = errors.from_rpc_error(caught.value)
    assert isinstance(error, errors.NotFoundError) and error.status_code == 404
