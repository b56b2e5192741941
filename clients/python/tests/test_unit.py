"""The pure parts: Value conversion, request building, error mapping, addresses. No server."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import math
import pathlib
import re
import uuid
from typing import Any

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

from langgraph_grpc_client import StreamPart, _build, _common, _resources, _values, errors, get_sync_client
from langgraph_grpc_client._gen.langgraph_gateway.v1 import (
    crons_pb2,
    resources_pb2,
    runs_pb2,
    store_pb2,
    threads_pb2,
)

# --- Value <-> Python ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        None,
        True,
        0,
        -7,
        2**53,
        1.5,
        "text",
        [],
        {},
        {"a": [1, {"b": None, "c": [True, 2.25, "x"]}], "": {}},
    ],
)
def test_value_round_trip(data: Any) -> None:
    back = _values.from_value(_values.to_value(data))
    assert back == data
    assert type(back) is type(data)


def test_integral_numbers_come_back_as_int_others_as_float() -> None:
    assert type(_values.from_value(_values.to_value(3.0))) is int
    assert _values.from_value(_values.to_value(1e300)) == 1e300  # beyond 2**53: stays a float
    assert math.isnan(_values.from_value(_values.to_value(float("nan"))))


def test_non_json_python_objects_are_encoded_as_the_sdk_does() -> None:
    class Color(enum.Enum):
        RED = "red"

    @dataclasses.dataclass
    class Point:
        x: int
        tags: tuple[str, ...]

    class Model:  # pydantic-like
        def model_dump(self) -> dict[str, Any]:
            return {"kind": "model"}

    data = {1: Color.RED, "id": uuid.UUID(int=1), "p": Point(1, ("a",)), "m": Model(), "s": {3}}
    assert _values.from_value(_values.to_value(data)) == {
        "1": "red",
        "id": "00000000-0000-0000-0000-000000000001",
        "p": {"x": 1, "tags": ["a"]},
        "m": {"kind": "model"},
        "s": [3],
    }
    with pytest.raises(ValueError, match="too large"):
        _values.to_value(2**60)
    with pytest.raises(TypeError):
        _values.to_value(object())
    with pytest.raises(TypeError):
        _values.to_struct([1, 2])


# --- requests ------------------------------------------------------------------------------------


def test_stateless_request_sets_only_what_was_given() -> None:
    request = _common.build_run_request(
        runs_pb2.StreamRunRequest,
        thread_id=None,
        assistant_id="agent",
        input={"messages": []},
        stream_mode="updates",
        stream_subgraphs=False,
        config=None,
        on_disconnect="cancel",
        interrupt_before="*",
        after_seconds=2,
    )
    assert not request.HasField("thread_id")
    assert not request.HasField("config") and not request.HasField("command")
    assert list(request.stream_mode) == ["updates"]
    assert request.HasField("stream_subgraphs") and request.stream_subgraphs is False
    assert request.on_disconnect == runs_pb2.ON_DISCONNECT_CANCEL
    assert list(request.interrupt_before) == ["*"]
    assert request.after_seconds == 2.0
    assert _values.from_value(request.input) == {"messages": []}


def test_thread_request_enums_command_and_checkpoint() -> None:
    request = _common.build_run_request(
        runs_pb2.WaitRunRequest,
        thread_id="t-1",
        assistant_id="agent",
        command={"resume": "yes", "goto": None},
        checkpoint={"checkpoint_ns": "", "checkpoint_map": {"a": 1}},
        checkpoint_id="c-1",
        multitask_strategy="enqueue",
        if_not_exists="create",
        durability="exit",
        on_completion="keep",
        metadata={"k": "v"},
        strict_resume=True,
        langsmith_tracing={"project_name": "p"},
    )
    assert request.thread_id == "t-1"
    assert request.HasField("strict_resume") and request.strict_resume is True
    assert request.langsmith_tracer.project_name == "p" and not request.langsmith_tracer.HasField(
        "example_id"
    )
    assert _values.from_value(request.command.resume) == "yes"
    assert not request.command.HasField("goto")
    assert request.checkpoint_id == "c-1"  # its own field, as the sdk sends it
    assert not request.checkpoint.HasField("checkpoint_id")
    assert request.checkpoint.HasField("checkpoint_ns")
    assert _values.from_struct(request.checkpoint.checkpoint_map) == {"a": 1}
    assert request.multitask_strategy == runs_pb2.MULTITASK_STRATEGY_ENQUEUE
    assert request.if_not_exists == runs_pb2.IF_NOT_EXISTS_CREATE
    assert request.durability == runs_pb2.DURABILITY_EXIT
    assert request.on_completion == runs_pb2.ON_COMPLETION_KEEP
    assert _values.from_struct(request.metadata) == {"k": "v"}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="on_disconnect must be one of 'cancel', 'continue'"):
        _common.build_run_request(
            runs_pb2.StreamRunRequest, thread_id=None, assistant_id="a", on_disconnect="later"
        )
    with pytest.raises(ValueError, match="unknown command key"):
        _common.build_run_request(runs_pb2.WaitRunRequest, thread_id=None, assistant_id="a", command={"x": 1})
    with pytest.raises(ValueError, match="not supported"):
        _common.unsupported(langsmith_tracing={"project_name": "p"})
    with pytest.raises(ValueError, match="reserved header"):
        _common.call_metadata({"X-Api-Key": "k"})
    with get_sync_client("127.0.0.1:1", api_key=None) as client, pytest.warns(DeprecationWarning) as warned:
        client.runs.stream(None, "a", checkpoint_during=True)  # built now, called on first next()
    assert warned[0].filename == __file__  # points at the caller, as the sdk's warning does


def test_stream_part_decoding() -> None:
    message = runs_pb2.StreamRunResponse(event="updates|inner:abc", mode="updates", namespace=["inner:abc"])
    message.data.CopyFrom(_values.to_value({"post": {"count": 1}}))
    part = _common.stream_part(message)
    assert (part.mode, part.namespace) == ("updates", ["inner:abc"])
    assert part == StreamPart("updates|inner:abc", {"post": {"count": 1}}, None)
    assert part == ("updates|inner:abc", {"post": {"count": 1}}, None)  # compares like the sdk's
    empty = _common.stream_part(runs_pb2.StreamRunResponse(event="end", id="1-0"))
    assert empty == StreamPart("end", None, "1-0")


def test_run_created_from_initial_metadata() -> None:
    assert _common.run_created((("x-langgraph-run-id", "r"), ("x-langgraph-thread-id", "t"))) == {
        "run_id": "r",
        "thread_id": "t",
    }
    assert _common.run_created((("x-langgraph-run-id", "r"),)) == {"run_id": "r", "thread_id": None}
    assert _common.run_created(()) is None


@pytest.mark.parametrize(
    ("given", "target", "secure"),
    [
        ("127.0.0.1:50051", "127.0.0.1:50051", False),
        ("grpc://gw:443", "gw:443", False),
        ("http://gw:80/", "gw:80", False),
        ("grpcs://gw:443", "gw:443", True),
        ("https://gw", "gw", True),
        ("dns:///gw:50051", None, None),
    ],
)
def test_parse_address(given: str, target: str | None, secure: bool | None) -> None:
    if target is None:
        with pytest.raises(ValueError):
            _common.parse_address(given, None)
    else:
        assert _common.parse_address(given, None) == (target, secure)
        assert _common.parse_address(None, given) == (target, secure)


# --- errors --------------------------------------------------------------------------------------


class FakeRpcError(grpc.RpcError, grpc.Call):
    def __init__(self, code: grpc.StatusCode, message: str, info: error_details_pb2.ErrorInfo | None) -> None:
        self._code, self._message = code, message
        self._trailers: tuple[tuple[str, str | bytes], ...] = ()
        if info is not None:
            detail = any_pb2.Any()
            detail.Pack(info)
            status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
            self._trailers = (("grpc-status-details-bin", status.SerializeToString()),)

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._message

    def trailing_metadata(self) -> Any:
        return self._trailers

    def initial_metadata(self) -> Any:
        return ()

    def is_active(self) -> bool:
        return False

    def time_remaining(self) -> float:
        return 0.0

    def cancel(self) -> bool:
        return False

    def add_callback(self, callback: Any) -> bool:
        return False


def info(reason: str, **metadata: str) -> error_details_pb2.ErrorInfo:
    return error_details_pb2.ErrorInfo(reason=reason, domain="langgraph-grpc-gateway", metadata=metadata)


C = grpc.StatusCode


@pytest.mark.parametrize(
    ("code", "detail", "expected", "status_code"),
    [
        (C.INVALID_ARGUMENT, info("UPSTREAM_HTTP_ERROR", http_status="400"), errors.BadRequestError, 400),
        (
            C.INVALID_ARGUMENT,
            info("UPSTREAM_HTTP_ERROR", http_status="422"),
            errors.UnprocessableEntityError,
            422,
        ),
        (C.INVALID_ARGUMENT, info("INVALID_REQUEST", field="input"), errors.BadRequestError, 400),
        (C.UNAUTHENTICATED, None, errors.AuthenticationError, 401),
        (C.PERMISSION_DENIED, None, errors.PermissionDeniedError, 403),
        (C.NOT_FOUND, info("UPSTREAM_HTTP_ERROR", http_status="404"), errors.NotFoundError, 404),
        (C.ABORTED, info("UPSTREAM_HTTP_ERROR", http_status="409"), errors.ConflictError, 409),
        (C.RESOURCE_EXHAUSTED, None, errors.RateLimitError, 429),
        (C.FAILED_PRECONDITION, info("UPSTREAM_HTTP_ERROR", http_status="418"), errors.APIStatusError, 418),
        (C.INTERNAL, info("RUN_FAILED", error="ValueError", message="m"), errors.RunFailedError, 500),
        (C.INTERNAL, info("UPSTREAM_PROTOCOL_ERROR"), errors.InternalServerError, 500),
        (C.UNIMPLEMENTED, None, errors.InternalServerError, 501),
        (C.UNAVAILABLE, info("UPSTREAM_HTTP_ERROR", http_status="503"), errors.InternalServerError, 503),
        (C.UNAVAILABLE, info("UPSTREAM_UNAVAILABLE"), errors.APIConnectionError, 503),
        (C.UNAVAILABLE, None, errors.APIConnectionError, 503),
        (C.DEADLINE_EXCEEDED, None, errors.APITimeoutError, 504),
        (
            C.DEADLINE_EXCEEDED,
            info("UPSTREAM_HTTP_ERROR", http_status="504"),
            errors.InternalServerError,
            504,
        ),
    ],
)
def test_error_classes(
    code: grpc.StatusCode,
    detail: error_details_pb2.ErrorInfo | None,
    expected: type[errors.APIError],
    status_code: int,
) -> None:
    error = errors.from_rpc_error(FakeRpcError(code, "why", detail))
    assert type(error) is expected
    assert isinstance(error, errors.LangGraphError)
    assert (error.code, error.message, str(error), error.status_code) == (code, "why", "why", status_code)
    if detail is None:
        assert (error.status, error.error_info, error.reason, error.metadata) == (None, None, None, {})
    else:
        assert error.status is not None and error.status.message == "why"
        assert error.error_info == detail and error.details == [detail]
        assert (error.reason, error.metadata) == (detail.reason, dict(detail.metadata))


def test_run_failed_error_fields() -> None:
    error = errors.from_rpc_error(
        FakeRpcError(C.INTERNAL, "run failed", info("RUN_FAILED", error="E", message="m"))
    )
    assert isinstance(error, errors.RunFailedError)
    assert (error.error_type, error.error_message) == ("E", "m")
    assert repr(error) == "RunFailedError(INTERNAL, 'run failed', reason='RUN_FAILED')"


# --- requests and resources of the other services (_build, _resources) --------------------------


def test_fill_sets_each_field_by_its_type() -> None:
    request = _build.fill(
        crons_pb2.CreateCronRequest(),
        assistant_id="agent",
        input={"messages": []},
        metadata={"n": 1},
        interrupt_before="*",
        stream_mode=["updates", "values"],
        on_run_completed="keep",
        multitask_strategy="enqueue",
        durability="exit",
        enabled=False,
        webhook=None,
    )
    assert _values.from_value(request.input) == {"messages": []}
    assert _values.from_struct(request.metadata) == {"n": 1}
    assert (list(request.interrupt_before), list(request.stream_mode)) == (["*"], ["updates", "values"])
    assert request.on_run_completed == runs_pb2.ON_COMPLETION_KEEP
    assert request.multitask_strategy == runs_pb2.MULTITASK_STRATEGY_ENQUEUE
    assert request.durability == runs_pb2.DURABILITY_EXIT
    assert request.HasField("enabled") and request.enabled is False
    assert not request.HasField("webhook")  # None: not set, the server's default applies


def test_fill_nested_messages_maps_and_lists() -> None:
    thread = _build.fill(
        threads_pb2.CreateThreadRequest(),
        ttl={"ttl": 5, "strategy": "delete"},
        supersteps=[{"updates": [{"values": {"a": 1}, "command": {"resume": "x"}, "as_node": "echo"}]}],
    )
    assert (thread.ttl.ttl, thread.ttl.strategy) == (5.0, "delete")
    update = thread.supersteps[0].updates[0]
    assert (_values.from_value(update.values), update.as_node) == ({"a": 1}, "echo")
    assert _values.from_value(update.command.resume) == "x"
    search = _build.fill(threads_pb2.SearchThreadsRequest(), extract={"last": "values.messages[-1]"})
    assert dict(search.extract) == {"last": "values.messages[-1]"}
    put = _build.fill(store_pb2.PutItemRequest(), index=False, ttl=3)
    assert _values.from_value(put.index) is False and put.ttl == 3.0


def test_fill_refuses_what_the_message_cannot_carry() -> None:
    with pytest.raises(ValueError, match="nope is not supported by this gateway's PutItemRequest"):
        _build.fill(store_pb2.PutItemRequest(), nope=1)
    with pytest.raises(ValueError, match="durability must be one of 'sync', 'async', 'exit'"):
        _build.fill(crons_pb2.CreateCronRequest(), durability="later")
    with pytest.raises(TypeError, match="mapping of ThreadTTL"):
        _build.fill(threads_pb2.UpdateThreadRequest(), ttl=5)


def test_resources_as_the_sdks_dicts() -> None:
    cron = crons_pb2.Cron(cron_id="c", schedule="* * * * *", created_at="t0", enabled=False)
    cron.payload.update({"input": {"n": 1}})
    got = _resources.as_dict(cron)
    assert got == {
        "cron_id": "c",
        "assistant_id": None,  # unset optional: None, as the server's null
        "thread_id": None,
        "on_run_completed": None,
        "end_time": None,
        "schedule": "* * * * *",
        "timezone": None,
        "created_at": "t0",
        "updated_at": None,  # an empty timestamp: None
        "payload": {"input": {"n": 1}},
        "user_id": None,
        "next_run_date": None,
        "metadata": None,
        "enabled": False,
    }
    state = resources_pb2.ThreadState(next=["echo"])
    state.values.CopyFrom(_values.to_value({"count": 41}))
    state.interrupts.append(_values.to_struct({"id": "i", "value": {"question": "approve?"}}))
    state.checkpoint.checkpoint_id = "c1"
    as_dict = _resources.as_dict(state)
    assert as_dict["values"] == {"count": 41} and as_dict["next"] == ["echo"]
    assert as_dict["interrupts"] == [{"id": "i", "value": {"question": "approve?"}}]
    assert as_dict["tasks"] is None and as_dict["parent_checkpoint"] is None  # unset: None
    assert as_dict["checkpoint"] == {
        "thread_id": None,
        "checkpoint_ns": None,
        "checkpoint_id": "c1",
        "checkpoint_map": None,
    }


# --- generated code ------------------------------------------------------------------------------

PROTOS = pathlib.Path(__file__).resolve().parents[3] / "protos"


def test_every_service_in_protos_is_generated() -> None:
    services = 0
    for proto in PROTOS.rglob("*.proto"):
        module = ".".join(proto.relative_to(PROTOS).with_suffix("").parts)
        grpc_module = importlib.import_module(f"langgraph_grpc_client._gen.{module}_pb2_grpc")
        for name in re.findall(r"^service (\w+)", proto.read_text(), flags=re.M):
            assert hasattr(grpc_module, f"{name}Stub"), (proto, name)
            services += 1
    assert services >= 1


def test_the_private_copy_shares_classes_with_the_gateways_own_modules() -> None:
    """Both copies registered in one process: same protos, same descriptors, same classes."""
    gateway_runs = pytest.importorskip("langgraph_gateway.v1.runs_pb2")
    assert gateway_runs.StreamRunRequest is runs_pb2.StreamRunRequest


@pytest.mark.parametrize("single_threaded", [True, False], ids=["single-threaded", "grpcio-default"])
def test_sync_stream_to_nowhere_is_a_connection_error(single_threaded: bool) -> None:
    with get_sync_client(
        "127.0.0.1:1", api_key=None, timeout=5, single_threaded_streams=single_threaded
    ) as nowhere:
        stream = nowhere.runs.stream(None, "agent")
        with pytest.raises(errors.APIConnectionError) as caught:
            next(stream)
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE
    with pytest.raises(StopIteration):
        next(stream)  # the stream has ended
