"""Run requests to HTTP bodies and upstream answers to messages, checked field by field."""

from __future__ import annotations

import json
from typing import Any

import grpc
import orjson
import pytest
from google.protobuf import json_format, struct_pb2
from langgraph_gateway.v1 import runs_pb2
from langgraph_grpc_gateway import translate
from langgraph_grpc_gateway.errors import GatewayError
from langgraph_grpc_gateway.jsonvalue import json_to_value, value_to_json
from langgraph_grpc_gateway.sse import ServerSentEvent, SSEDecoder
from langgraph_sdk.sse import SSEDecoder as SDKDecoder

from . import recordings

REQUESTS = [runs_pb2.StreamRunRequest, runs_pb2.WaitRunRequest]
# The nested message types, wherever the .proto files define them.
Command = type(runs_pb2.StreamRunRequest().command)
Checkpoint = type(runs_pb2.StreamRunRequest().checkpoint)
# Fields that steer the gateway or go into the URL, never into the body.
GATEWAY_FIELDS = getattr(translate, "GATEWAY_FIELDS", frozenset({"thread_id"}))
NAN = float("nan")
INF = float("inf")


def struct(obj: dict[str, Any]) -> struct_pb2.Struct:
    result = struct_pb2.Struct()
    result.update(obj)
    return result


def body(request_type: type, **fields: Any) -> dict[str, Any]:
    return translate.run_body(request_type(assistant_id="agent", **fields))


@pytest.fixture(params=REQUESTS, ids=lambda t: t.__name__)
def request_type(request: pytest.FixtureRequest) -> type:
    return request.param  # type: ignore[no-any-return]


# --- run_body: one field at a time ------------------------------------------------------------


def test_empty_request_gives_assistant_id_only(request_type: type) -> None:
    assert translate.run_body(request_type(assistant_id="agent")) == {"assistant_id": "agent"}


def test_thread_id_is_not_in_the_body(request_type: type) -> None:
    assert body(request_type, thread_id="01a21395-a3f9-7753-aa10-396f54005f8a") == {"assistant_id": "agent"}


def test_missing_assistant_id(request_type: type) -> None:
    with pytest.raises(GatewayError) as caught:
        translate.run_body(request_type(input=json_to_value({"a": 1})))
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_REQUEST"
    assert error.metadata == {"field": "assistant_id"}
    assert error.message == "assistant_id is required"


OPTIONAL_SCALARS = {
    "stream_subgraphs true": ("stream_subgraphs", True),
    "stream_subgraphs false is still sent": ("stream_subgraphs", False),
    "stream_resumable true": ("stream_resumable", True),
    "stream_resumable false is still sent": ("stream_resumable", False),
    "webhook": ("webhook", "https://example.com/hook?x=1"),
    "webhook empty string is still sent": ("webhook", ""),
    "after_seconds": ("after_seconds", 1.5),
    "after_seconds zero is still sent": ("after_seconds", 0.0),
    "checkpoint_during true": ("checkpoint_during", True),
    "checkpoint_during false is still sent": ("checkpoint_during", False),
}


@pytest.mark.parametrize(("field", "value"), OPTIONAL_SCALARS.values(), ids=OPTIONAL_SCALARS.keys())
def test_optional_scalars(request_type: type, field: str, value: object) -> None:
    result = body(request_type, **{field: value})
    assert result == {"assistant_id": "agent", field: value}
    assert type(result[field]) is type(value)


ENUMS = {
    "ON_DISCONNECT_CANCEL": ("on_disconnect", runs_pb2.ON_DISCONNECT_CANCEL, "cancel"),
    "ON_DISCONNECT_CONTINUE": ("on_disconnect", runs_pb2.ON_DISCONNECT_CONTINUE, "continue"),
    "ON_COMPLETION_DELETE": ("on_completion", runs_pb2.ON_COMPLETION_DELETE, "delete"),
    "ON_COMPLETION_KEEP": ("on_completion", runs_pb2.ON_COMPLETION_KEEP, "keep"),
    "DURABILITY_SYNC": ("durability", runs_pb2.DURABILITY_SYNC, "sync"),
    "DURABILITY_ASYNC": ("durability", runs_pb2.DURABILITY_ASYNC, "async"),
    "DURABILITY_EXIT": ("durability", runs_pb2.DURABILITY_EXIT, "exit"),
    "MULTITASK_STRATEGY_REJECT": ("multitask_strategy", runs_pb2.MULTITASK_STRATEGY_REJECT, "reject"),
    "MULTITASK_STRATEGY_ROLLBACK": ("multitask_strategy", runs_pb2.MULTITASK_STRATEGY_ROLLBACK, "rollback"),
    "MULTITASK_STRATEGY_INTERRUPT": (
        "multitask_strategy",
        runs_pb2.MULTITASK_STRATEGY_INTERRUPT,
        "interrupt",
    ),
    "MULTITASK_STRATEGY_ENQUEUE": ("multitask_strategy", runs_pb2.MULTITASK_STRATEGY_ENQUEUE, "enqueue"),
    "IF_NOT_EXISTS_CREATE": ("if_not_exists", runs_pb2.IF_NOT_EXISTS_CREATE, "create"),
    "IF_NOT_EXISTS_REJECT": ("if_not_exists", runs_pb2.IF_NOT_EXISTS_REJECT, "reject"),
}


@pytest.mark.parametrize(("field", "number", "spelling"), ENUMS.values(), ids=ENUMS.keys())
def test_enums(request_type: type, field: str, number: int, spelling: str) -> None:
    assert body(request_type, **{field: number}) == {"assistant_id": "agent", field: spelling}


@pytest.mark.parametrize(
    "field", ["on_disconnect", "on_completion", "durability", "multitask_strategy", "if_not_exists"]
)
def test_unspecified_enum_is_left_out(request_type: type, field: str) -> None:
    assert body(request_type, **{field: 0}) == {"assistant_id": "agent"}


@pytest.mark.parametrize(
    "field", ["on_disconnect", "on_completion", "durability", "multitask_strategy", "if_not_exists"]
)
def test_unknown_enum_number_is_invalid_argument(request_type: type, field: str) -> None:
    # A client built from a newer .proto can send a value this gateway does not know (proto3 enums
    # are open): that is the caller's request to fix, not a gateway crash.
    request = request_type(assistant_id="agent")
    setattr(request, field, 99)
    with pytest.raises(GatewayError) as caught:
        translate.run_body(request)
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.metadata == {"field": field}


LISTS = {
    "stream_mode one": ("stream_mode", ["updates"], ["updates"]),
    "stream_mode many": (
        "stream_mode",
        ["values", "messages-tuple", "custom", "debug"],
        ["values", "messages-tuple", "custom", "debug"],
    ),
    "feedback_keys": ("feedback_keys", ["a", "b"], ["a", "b"]),
    "interrupt_before star": ("interrupt_before", ["*"], "*"),
    "interrupt_before nodes": ("interrupt_before", ["echo", "post"], ["echo", "post"]),
    "interrupt_before star among nodes stays a list": ("interrupt_before", ["*", "echo"], ["*", "echo"]),
    "interrupt_after star": ("interrupt_after", ["*"], "*"),
    "interrupt_after nodes": ("interrupt_after", ["post"], ["post"]),
}


@pytest.mark.parametrize(("field", "values", "expected"), LISTS.values(), ids=LISTS.keys())
def test_lists(request_type: type, field: str, values: list[str], expected: object) -> None:
    assert body(request_type, **{field: values}) == {"assistant_id": "agent", field: expected}


JSON_FIELDS = {
    "input object": (
        "input",
        json_to_value({"messages": [{"role": "user", "content": "hi"}]}),
        {"messages": [{"role": "user", "content": "hi"}]},
    ),
    "input string": ("input", json_to_value("hello"), "hello"),
    "input list": ("input", json_to_value([1, "a"]), [1, "a"]),
    "input integral number": ("input", json_to_value(3.0), 3),
    "input null": ("input", json_to_value(None), None),
    "input empty object": ("input", json_to_value({}), {}),
    "config": (
        "config",
        struct({"configurable": {"user": "u"}, "recursion_limit": 5, "tags": ["t"]}),
        {"configurable": {"user": "u"}, "recursion_limit": 5, "tags": ["t"]},
    ),
    "config empty": ("config", struct_pb2.Struct(), {}),
    "context": ("context", struct({"model": "fake", "n": 2}), {"model": "fake", "n": 2}),
    "metadata": (
        "metadata",
        struct({"source": "test", "nested": {"a": [True, None]}}),
        {"source": "test", "nested": {"a": [True, None]}},
    ),
}


@pytest.mark.parametrize(("field", "message", "expected"), JSON_FIELDS.values(), ids=JSON_FIELDS.keys())
def test_json_fields(request_type: type, field: str, message: Any, expected: Any) -> None:
    result = body(request_type, **{field: message})
    assert json.dumps(result, sort_keys=True) == json.dumps(
        {"assistant_id": "agent", field: expected}, sort_keys=True
    )


def test_input_and_config_exact(request_type: type) -> None:
    result = body(
        request_type,
        input=json_to_value({"n": 3.0, "x": 0.5}),
        config=struct({"recursion_limit": 25, "configurable": {"k": [1, 2]}}),
    )
    assert json.dumps(result, sort_keys=True) == json.dumps(
        {
            "assistant_id": "agent",
            "config": {"configurable": {"k": [1, 2]}, "recursion_limit": 25},
            "input": {"n": 3, "x": 0.5},
        },
        sort_keys=True,
    )


COMMANDS = {
    "resume": (Command(resume=json_to_value("yes")), {"resume": "yes"}),
    "resume null": (Command(resume=json_to_value(None)), {"resume": None}),
    "update": (Command(update=json_to_value({"count": 2})), {"update": {"count": 2}}),
    "update list": (
        Command(update=json_to_value([["count", 2]])),
        {"update": [["count", 2]]},
    ),
    "goto name": (Command(goto=json_to_value("post")), {"goto": "post"}),
    "goto send": (
        Command(goto=json_to_value({"node": "echo", "input": {"a": 1}})),
        {"goto": {"node": "echo", "input": {"a": 1}}},
    ),
    "all three": (
        Command(
            update=json_to_value({"a": 1}), resume=json_to_value({"ok": True}), goto=json_to_value(["x", "y"])
        ),
        {"update": {"a": 1}, "resume": {"ok": True}, "goto": ["x", "y"]},
    ),
    "empty command": (Command(), {}),
}


@pytest.mark.parametrize(("command", "expected"), COMMANDS.values(), ids=COMMANDS.keys())
def test_command(request_type: type, command: Command, expected: dict[str, Any]) -> None:
    assert body(request_type, command=command) == {"assistant_id": "agent", "command": expected}


CHECKPOINTS = {
    "id only": (Checkpoint(checkpoint_id="1ef"), {"checkpoint_id": "1ef"}),
    "all": (
        Checkpoint(
            thread_id="t", checkpoint_ns="inner", checkpoint_id="c", checkpoint_map=struct({"": "c0"})
        ),
        {"thread_id": "t", "checkpoint_ns": "inner", "checkpoint_id": "c", "checkpoint_map": {"": "c0"}},
    ),
    "empty namespace is still sent": (
        Checkpoint(checkpoint_ns="", checkpoint_id="c"),
        {"checkpoint_ns": "", "checkpoint_id": "c"},
    ),
    "empty checkpoint": (Checkpoint(), {}),
}


@pytest.mark.parametrize(("checkpoint", "expected"), CHECKPOINTS.values(), ids=CHECKPOINTS.keys())
def test_checkpoint(request_type: type, checkpoint: Checkpoint, expected: dict[str, Any]) -> None:
    assert body(request_type, checkpoint=checkpoint) == {"assistant_id": "agent", "checkpoint": expected}


def test_every_field_at_once(request_type: type) -> None:
    request = request_type(
        thread_id="t-1",
        assistant_id="fe096781-5601-53d2-b2f6-0d3403f7e9ca",
        input=json_to_value({"messages": ["hi"]}),
        command=Command(resume=json_to_value(1)),
        config=struct({"recursion_limit": 10}),
        context=struct({"c": 1}),
        metadata=struct({"m": "x"}),
        stream_mode=["updates", "custom"],
        stream_subgraphs=True,
        stream_resumable=True,
        feedback_keys=["score"],
        interrupt_before=["*"],
        interrupt_after=["post"],
        webhook="https://hook.example/x",
        on_disconnect=runs_pb2.ON_DISCONNECT_CANCEL,
        on_completion=runs_pb2.ON_COMPLETION_KEEP,
        after_seconds=2.5,
        durability=runs_pb2.DURABILITY_ASYNC,
        checkpoint_during=False,
        checkpoint=Checkpoint(checkpoint_id="c"),
        multitask_strategy=runs_pb2.MULTITASK_STRATEGY_ENQUEUE,
        if_not_exists=runs_pb2.IF_NOT_EXISTS_CREATE,
        checkpoint_id="c-0",
        strict_resume=True,
        langsmith_tracer=runs_pb2.LangSmithTracer(project_name="p", example_id="e"),
    )
    assert translate.run_body(request) == {
        "assistant_id": "fe096781-5601-53d2-b2f6-0d3403f7e9ca",
        "input": {"messages": ["hi"]},
        "command": {"resume": 1},
        "config": {"recursion_limit": 10},
        "context": {"c": 1},
        "metadata": {"m": "x"},
        "stream_mode": ["updates", "custom"],
        "stream_subgraphs": True,
        "stream_resumable": True,
        "feedback_keys": ["score"],
        "interrupt_before": "*",
        "interrupt_after": ["post"],
        "webhook": "https://hook.example/x",
        "on_disconnect": "cancel",
        "on_completion": "keep",
        "after_seconds": 2.5,
        "durability": "async",
        "checkpoint_during": False,
        "checkpoint": {"checkpoint_id": "c"},
        "multitask_strategy": "enqueue",
        "if_not_exists": "create",
        "checkpoint_id": "c-0",
        "strict_resume": True,
        "langsmith_tracer": {"project_name": "p", "example_id": "e"},
    }
    # every field of the message is covered above, thread_id going into the path instead
    assert {f.name for f in request.DESCRIPTOR.fields} - GATEWAY_FIELDS == set(translate.run_body(request))


GATEWAY_OPTIONS = {
    "StreamRunRequest.data_format": (runs_pb2.StreamRunRequest, "data_format", 2),
    "StreamRunRequest.heartbeat_seconds": (runs_pb2.StreamRunRequest, "heartbeat_seconds", 5),
    "WaitRunRequest.data_format": (runs_pb2.WaitRunRequest, "data_format", 2),
}


@pytest.mark.parametrize(
    ("request_type", "field", "value"), GATEWAY_OPTIONS.values(), ids=GATEWAY_OPTIONS.keys()
)
def test_gateway_options_are_not_sent(request_type: type, field: str, value: int) -> None:
    assert field in GATEWAY_FIELDS
    assert body(request_type, **{field: value}) == {"assistant_id": "agent"}


# --- run_body: values JSON cannot carry -------------------------------------------------------


def _value_with(obj: Any, number: float, *path: str | int) -> struct_pb2.Value:
    value = json_to_value(obj)
    target = value
    for step in path:
        fields = target.list_value.values if isinstance(step, int) else target.struct_value.fields
        target = fields[step]
    target.number_value = number
    return value


def _struct_with(obj: dict[str, Any], number: float, *path: str | int) -> struct_pb2.Struct:
    return _value_with(obj, number, *path).struct_value


NOT_JSON = {
    "input NaN": ({"input": _value_with(0, NAN)}, "input"),
    "input Infinity": ({"input": _value_with(0, INF)}, "input"),
    "input -Infinity": ({"input": _value_with(0, -INF)}, "input"),
    "input nested list": ({"input": _value_with({"items": [1, 2, 0]}, NAN, "items", 2)}, "input.items[2]"),
    "config nested": (
        {"config": _struct_with({"configurable": {"t": 0}}, INF, "configurable", "t")},
        "config.configurable.t",
    ),
    "context": ({"context": _struct_with({"a": 0}, NAN, "a")}, "context.a"),
    "metadata": ({"metadata": _struct_with({"m": [0]}, NAN, "m", 0)}, "metadata.m[0]"),
    "command.resume": ({"command": Command(resume=_value_with(0, NAN))}, "command.resume"),
    "command.update nested": (
        {"command": Command(update=_value_with({"x": 0}, INF, "x"))},
        "command.update.x",
    ),
    "command.goto": (
        {"command": Command(goto=_value_with({"input": 0}, NAN, "input"))},
        "command.goto.input",
    ),
    "checkpoint.checkpoint_map": (
        {"checkpoint": Checkpoint(checkpoint_map=_struct_with({"k": 0}, NAN, "k"))},
        "checkpoint.checkpoint_map.k",
    ),
    "after_seconds NaN": ({"after_seconds": NAN}, "after_seconds"),
    "after_seconds Infinity": ({"after_seconds": INF}, "after_seconds"),
}


@pytest.mark.parametrize(("fields", "path"), NOT_JSON.values(), ids=NOT_JSON.keys())
def test_not_json_is_invalid_argument(request_type: type, fields: dict[str, Any], path: str) -> None:
    with pytest.raises(GatewayError) as caught:
        translate.run_body(request_type(assistant_id="agent", **fields))
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_REQUEST"
    assert error.metadata == {"field": path}
    assert path in error.message


def test_encode_body_is_compact_utf8() -> None:
    assert translate.encode_body({"assistant_id": "a", "input": {"t": "é", "n": [1, None]}}) == (
        '{"assistant_id":"a","input":{"t":"é","n":[1,null]}}'.encode()
    )


# --- the OpenAPI document ---------------------------------------------------------------------


def _openapi() -> dict[str, Any]:
    assert recordings.OPENAPI.exists(), f"{recordings.OPENAPI} not found"
    return json.loads(recordings.OPENAPI.read_text())  # type: ignore[no-any-return]


def _properties(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    props = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        props.update(_properties(part, schemas))
    return props


RUN_SCHEMAS = [
    "RunCreateStateful",
    "RunCreateStateless",
    "RunCreateStreamingStateful",
    "RunCreateStreamingStateless",
]


@pytest.mark.parametrize("schema", RUN_SCHEMAS)
@pytest.mark.parametrize("message", REQUESTS, ids=lambda t: t.__name__)
def test_every_openapi_field_exists_in_request(schema: str, message: type) -> None:
    schemas = _openapi()["components"]["schemas"]
    fields = _properties(schemas[schema], schemas)
    assert "assistant_id" in fields  # guard: the schema was found and resolved
    missing = sorted(set(fields) - set(message.DESCRIPTOR.fields_by_name))
    assert missing == [], f"{schema} has field(s) {message.__name__} lacks: {missing}"


# Fields langgraph-sdk sends in run creation bodies that the OpenAPI document does not list (the
# server reads checkpoint_id and langsmith_tracer; strict_resume only newer servers do).
SDK_ONLY_FIELDS = frozenset({"checkpoint_id", "strict_resume", "langsmith_tracer"})


@pytest.mark.parametrize("message", REQUESTS, ids=lambda t: t.__name__)
def test_every_request_field_exists_upstream(message: type) -> None:
    schemas = _openapi()["components"]["schemas"]
    upstream: set[str] = set()
    for schema in RUN_SCHEMAS:
        upstream |= set(_properties(schemas[schema], schemas))
    extra = sorted(set(message.DESCRIPTOR.fields_by_name) - upstream - GATEWAY_FIELDS - SDK_ONLY_FIELDS)
    assert extra == [], f"{message.__name__} has field(s) no run creation schema has: {extra}"


@pytest.mark.parametrize(
    ("schema", "message"),
    [("Command", Command), ("CheckpointConfig", Checkpoint)],
    ids=["Command", "Checkpoint"],
)
def test_nested_objects_match_openapi(schema: str, message: type) -> None:
    schemas = _openapi()["components"]["schemas"]
    assert set(_properties(schemas[schema], schemas)) == set(message.DESCRIPTOR.fields_by_name)


@pytest.mark.parametrize(
    "field", ["on_disconnect", "on_completion", "durability", "multitask_strategy", "if_not_exists"]
)
def test_enum_spellings_match_openapi(field: str) -> None:
    schemas = _openapi()["components"]["schemas"]
    upstream: dict[str, Any] = {}
    for schema in RUN_SCHEMAS:
        upstream.update(_properties(schemas[schema], schemas))
    enum = runs_pb2.StreamRunRequest.DESCRIPTOR.fields_by_name[field].enum_type
    spellings = set()
    for value in enum.values:
        if value.number:
            spellings.add(body(runs_pb2.StreamRunRequest, **{field: value.number})[field])
    assert spellings == set(upstream[field]["enum"])


def test_stream_modes_in_proto_comment_match_openapi() -> None:
    schemas = _openapi()["components"]["schemas"]
    modes = schemas["RunCreateStateless"]["properties"]["stream_mode"]["anyOf"][0]["items"]["enum"]
    assert set(modes) == {
        "values",
        "updates",
        "messages-tuple",
        "messages",
        "custom",
        "tasks",
        "checkpoints",
        "events",
        "debug",
    }


# --- stream_message ---------------------------------------------------------------------------

STREAM_MESSAGES = {
    "metadata": (
        ServerSentEvent("metadata", b'{"run_id":"r-1","attempt":1}'),
        "metadata",
        [],
        {"run_id": "r-1", "attempt": 1},
    ),
    "subgraph namespace": (
        ServerSentEvent("updates|inner:e63f3028", b'{"echo":{}}'),
        "updates",
        ["inner:e63f3028"],
        {"echo": {}},
    ),
    "nested namespace": (
        ServerSentEvent("values|a:1|b:2", b"[]"),
        "values",
        ["a:1", "b:2"],
        [],
    ),
    "messages/partial keeps its slash": (
        ServerSentEvent("messages/partial", b'[{"content":"h"}]'),
        "messages/partial",
        [],
        [{"content": "h"}],
    ),
    "null data": (ServerSentEvent("values", b"null"), "values", [], None),
    "string data": (ServerSentEvent("custom", b'"x"'), "custom", [], "x"),
    "number data": (ServerSentEvent("custom", b"3"), "custom", [], 3),
    "unicode data": (ServerSentEvent("custom", '{"t":"é🌍"}'.encode()), "custom", [], {"t": "é🌍"}),
    "empty name": (ServerSentEvent("", b"1"), "", [], 1),
}


@pytest.mark.parametrize(
    ("event", "mode", "namespace", "data"), STREAM_MESSAGES.values(), ids=STREAM_MESSAGES.keys()
)
def test_stream_message(event: ServerSentEvent, mode: str, namespace: list[str], data: Any) -> None:
    message = translate.stream_message(event)
    assert message.event == event.event
    assert message.mode == mode
    assert list(message.namespace) == namespace
    assert message.id == ""
    assert message.HasField("data")
    assert value_to_json(message.data) == data


def test_stream_message_id() -> None:
    message = translate.stream_message(ServerSentEvent("custom", b"1", "1795624906629-0"))
    assert message.id == "1795624906629-0"


@pytest.mark.parametrize("data", [b"", b" ", b"\n", b" \r\n\t"], ids=repr)
def test_stream_message_without_data(data: bytes) -> None:
    message = translate.stream_message(ServerSentEvent("end", data, "7"))
    assert not message.HasField("data")
    assert (message.event, message.mode, list(message.namespace), message.id) == ("end", "end", [], "7")


NOT_JSON_DATA = {
    "text": b"hello",
    "truncated": b'{"a":',
    "two values": b"1 2",
    "a lone surrogate": b'"\\ud800"',
    "a number beyond a double": b"1e400",
    "single quotes": b"{'a': 1}",
    "NaN literal": b"NaN",
    "Infinity in object": b'{"x": -Infinity}',
}


@pytest.mark.parametrize("data", NOT_JSON_DATA.values(), ids=NOT_JSON_DATA.keys())
def test_stream_message_not_json(data: bytes) -> None:
    with pytest.raises(GatewayError) as caught:
        translate.stream_message(ServerSentEvent("updates", data))
    assert caught.value.code == grpc.StatusCode.INTERNAL
    assert caught.value.reason == "UPSTREAM_PROTOCOL_ERROR"
    assert "'updates'" in caught.value.message


@pytest.mark.parametrize("data", NOT_JSON_DATA.values(), ids=NOT_JSON_DATA.keys())
def test_stream_wire_not_json(data: bytes) -> None:
    with pytest.raises(GatewayError) as caught:
        translate.event_wire(ServerSentEvent("updates", data))
    assert caught.value.reason == "UPSTREAM_PROTOCOL_ERROR" and "'updates'" in caught.value.message


@pytest.mark.parametrize("data", NOT_JSON_DATA.values(), ids=NOT_JSON_DATA.keys())
def test_what_the_gateway_refuses_langgraph_sdk_refuses(data: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        sdk_event(data)


def sdk_event(data: bytes) -> Any:
    """The event's data as langgraph-sdk's own SSE decoder reads it."""
    decoder = SDKDecoder()
    for line in (b"event: updates", b"data: " + data):
        decoder.decode(line)
    part = decoder.decode(b"")
    assert part is not None
    return part.data


def test_data_that_is_not_utf8_is_read_as_langgraph_sdk_reads_it() -> None:
    """Bad bytes become U+FFFD, in both forms of the message, as the SDK's decoder does."""
    data = b'{"text": "caf\xe9 \xff"}'
    message = translate.stream_message(ServerSentEvent("updates", data))
    wired = runs_pb2.StreamRunResponse.FromString(translate.event_wire(ServerSentEvent("updates", data)))
    assert message == wired
    assert json_format.MessageToDict(message.data) == sdk_event(data) == {"text": "caf\ufffd \ufffd"}


@pytest.mark.parametrize("name", recordings.event_stream_names())
def test_stream_message_for_every_recorded_event(name: str) -> None:
    decoder = SSEDecoder()
    events = decoder.feed(recordings.load(name).body)
    assert events
    for event in events:
        message = translate.stream_message(event)
        mode, *namespace = event.event.split("|")
        assert (message.event, message.mode, list(message.namespace), message.id) == (
            event.event,
            mode,
            namespace,
            event.id,
        )
        assert value_to_json(message.data) == json.loads(event.data)


def test_stream_message_recorded_subgraph_event() -> None:
    events = SSEDecoder().feed(recordings.load("runs_stream_subgraphs.txt").body)
    namespaced = [translate.stream_message(e) for e in events if "|" in e.event]
    assert {(m.mode, tuple(m.namespace)) for m in namespaced} == {
        ("custom", ("inner:e63f3028-f39d-554f-2b70-75e9d4a43594",)),
        ("updates", ("inner:e63f3028-f39d-554f-2b70-75e9d4a43594",)),
        ("values", ("inner:e63f3028-f39d-554f-2b70-75e9d4a43594",)),
    }


# --- run_error, wait_response, parse_json -----------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        ServerSentEvent("metadata", b"{}"),
        ServerSentEvent("errors", b"{}"),
        ServerSentEvent("error|ns", b"{}"),
    ],
    ids=["metadata", "errors", "namespaced"],
)
def test_run_error_only_for_error_events(event: ServerSentEvent) -> None:
    assert translate.run_error(event) is None


def test_run_error_from_recording() -> None:
    events = SSEDecoder().feed(recordings.load("runs_stream_nodeerror.txt").body)
    failures = [f for f in map(translate.run_error, events) if f is not None]
    assert len(failures) == 1
    failure = failures[0]
    assert failure.code == grpc.StatusCode.INTERNAL
    assert failure.reason == "RUN_FAILED"
    assert failure.message == "run failed: ValueError: boom: FAIL now"
    assert failure.metadata == {"error": "ValueError", "message": "boom: FAIL now"}


def test_run_error_without_data() -> None:
    failure = translate.run_error(ServerSentEvent("error", b""))
    assert failure is not None
    assert (failure.code, failure.message, failure.metadata) == (
        grpc.StatusCode.INTERNAL,
        "run failed: Error: ",
        {"error": "Error", "message": ""},
    )


def test_run_error_with_bad_data() -> None:
    with pytest.raises(GatewayError) as caught:
        translate.run_error(ServerSentEvent("error", b"boom"))
    assert caught.value.reason == "UPSTREAM_PROTOCOL_ERROR"


@pytest.mark.parametrize("name", ["runs_wait.txt", "thread_runs_wait.txt", "wait_heartbeat.txt"])
def test_wait_response_from_recording(name: str) -> None:
    recording = recordings.load(name)
    values = translate.parse_json(recording.body, "a /runs/wait answer")
    response = runs_pb2.WaitRunResponse.FromString(translate.wait_response(values, "r-1", "t-1"))
    assert (response.run_id, response.thread_id) == ("r-1", "t-1")
    assert value_to_json(response.values) == json.loads(recording.body)
    assert value_to_json(response.values)["messages"][0]["type"] == "human"


@pytest.mark.parametrize(
    ("name", "kind", "text"),
    [
        ("runs_wait_nodeerror.txt", "ValueError", "boom: FAIL now"),
        (
            "err_wrong_input_type.txt",
            "InvalidUpdateError",
            "Expected dict, got hello\nFor troubleshooting, visit: "
            "https://docs.langchain.com/oss/python/langgraph/errors/INVALID_GRAPH_NODE_RETURN_VALUE",
        ),
    ],
)
def test_wait_response_failed_run(name: str, kind: str, text: str) -> None:
    values = translate.parse_json(recordings.load(name).body, "a /runs/wait answer")
    with pytest.raises(GatewayError) as caught:
        translate.wait_response(values, "r", "t")
    assert caught.value.code == grpc.StatusCode.INTERNAL
    assert caught.value.reason == "RUN_FAILED"
    assert caught.value.message == f"run failed: {kind}: {text}"
    assert caught.value.metadata == {"error": kind, "message": text}


@pytest.mark.parametrize(
    "values",
    [{"__error__": "not a dict"}, [{"__error__": {}}], "text", None, 3, {}],
    ids=["error string", "list", "string", "null", "number", "empty"],
)
def test_wait_response_other_values(values: Any) -> None:
    response = runs_pb2.WaitRunResponse.FromString(translate.wait_response(values, "r", ""))
    assert value_to_json(response.values) == values and response.HasField("values")
    assert response.HasField("values")


def test_parse_json_error() -> None:
    with pytest.raises(GatewayError) as caught:
        translate.parse_json(b"<html>", "a /runs/wait answer")
    assert caught.value.code == grpc.StatusCode.INTERNAL
    assert caught.value.reason == "UPSTREAM_PROTOCOL_ERROR"
    assert caught.value.message.startswith("upstream sent a /runs/wait answer whose data is not JSON: ")


def test_parse_json_with_heartbeat_padding() -> None:
    assert translate.parse_json(b'\n\n\n{"a": 1}', "x") == {"a": 1}


@pytest.mark.parametrize(
    "data", [b'{"a": 1.0, "big": 12345678901234567890}', b"", b"not json"], ids=["json", "empty", "not json"]
)
def test_stream_message_raw_passes_bytes_untouched(data: bytes) -> None:
    message = translate.stream_message(ServerSentEvent("updates|ns:1", data, "9"), raw=True)
    assert message.data_json == data
    assert not message.HasField("data")
    assert (message.event, message.mode, list(message.namespace), message.id) == (
        "updates|ns:1",
        "updates",
        ["ns:1"],
        "9",
    )
