"""Run requests to HTTP bodies, and HTTP answers to gRPC messages. Pure: no I/O.

The request messages mirror the HTTP API's run creation bodies field for field, so a body is
built by copying every field the client set, under the same name; unset fields are left out
so the upstream's own defaults apply.
"""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import struct_pb2
from langgraph_gateway.v1 import runs_pb2

from . import errors
from .jsonvalue import JSON, NotJSONError, json_to_value, struct_to_json, value_to_json
from .sse import ServerSentEvent

RunRequest = runs_pb2.StreamRunRequest | runs_pb2.WaitRunRequest

# Scalar fields with presence (proto3 `optional`), copied as they are when set.
_OPTIONAL_SCALARS = ("stream_subgraphs", "stream_resumable", "webhook", "after_seconds", "checkpoint_during")
_JSON_FIELDS = ("input", "config", "context", "metadata")
_LISTS = ("stream_mode", "feedback_keys")
# Enum fields: the enum's value name less its prefix, lower-cased, is the HTTP spelling.
_ENUMS = ("on_disconnect", "on_completion", "durability", "multitask_strategy", "if_not_exists")


def run_body(request: RunRequest) -> dict[str, JSON]:
    """The JSON body of the run creation that `request` describes."""
    if not request.assistant_id:
        raise errors.invalid_argument("assistant_id is required", "assistant_id")
    body: dict[str, JSON] = {"assistant_id": request.assistant_id}
    _copy_json(request, _JSON_FIELDS, body)
    for name in _OPTIONAL_SCALARS:
        if request.HasField(name):
            body[name] = getattr(request, name)
    for name in _LISTS:
        if values := getattr(request, name):
            body[name] = list(values)
    for name in ("interrupt_before", "interrupt_after"):
        if nodes := getattr(request, name):
            body[name] = "*" if list(nodes) == ["*"] else list(nodes)
    for name in _ENUMS:
        if spelling := _enum_spelling(request, name):
            body[name] = spelling
    if request.HasField("command"):
        body["command"] = _object(request.command, ("update", "resume", "goto"), "command")
    if request.HasField("checkpoint"):
        body["checkpoint"] = checkpoint_body(request.checkpoint)
    return body


def checkpoint_body(checkpoint: runs_pb2.Checkpoint) -> dict[str, JSON]:
    body = _object(checkpoint, ("checkpoint_map",), "checkpoint")
    for name in ("thread_id", "checkpoint_ns", "checkpoint_id"):
        if checkpoint.HasField(name):
            body[name] = getattr(checkpoint, name)
    return body


def _object(message: Any, names: tuple[str, ...], path: str) -> dict[str, JSON]:
    body: dict[str, JSON] = {}
    _copy_json(message, names, body, prefix=f"{path}.")
    return body


def _copy_json(message: Any, names: tuple[str, ...], body: dict[str, JSON], prefix: str = "") -> None:
    for name in names:
        if not message.HasField(name):
            continue
        field = getattr(message, name)
        try:
            if isinstance(field, struct_pb2.Struct):
                body[name] = struct_to_json(field, prefix + name)
            else:
                body[name] = value_to_json(field, prefix + name)
        except NotJSONError as exc:
            raise errors.invalid_argument(str(exc), exc.path) from exc


def _enum_spelling(message: Any, name: str) -> str | None:
    number = getattr(message, name)
    if not number:
        return None  # _UNSPECIFIED: leave the choice to the upstream
    enum = message.DESCRIPTOR.fields_by_name[name].enum_type
    value_name: str = enum.values_by_number[number].name
    return value_name.removeprefix(_enum_prefix(enum.name)).lower()


def _enum_prefix(enum_name: str) -> str:
    """OnDisconnect -> "ON_DISCONNECT_" (buf's ENUM_VALUE_PREFIX rule)."""
    snake = "".join(f"_{c}" if c.isupper() else c for c in enum_name).lstrip("_")
    return snake.upper() + "_"


def encode_body(body: dict[str, JSON]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def stream_message(event: ServerSentEvent) -> runs_pb2.StreamRunResponse:
    """One SSE event as one StreamRunResponse: name as sent, data parsed, name split for convenience."""
    mode, *namespace = event.event.split("|")
    message = runs_pb2.StreamRunResponse(event=event.event, id=event.id, mode=mode, namespace=namespace)
    if event.data.strip():
        json_to_value(parse_json(event.data, f"event {event.event!r}"), message.data)
    return message


def parse_json(raw: bytes, what: str) -> JSON:
    try:
        return json.loads(raw)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise errors.protocol_error(f"upstream sent {what} whose data is not JSON: {exc}") from exc


def run_error(event: ServerSentEvent) -> errors.GatewayError | None:
    """The failure an `error` event reports, or None for any other event."""
    if event.event != "error":
        return None
    data = parse_json(event.data, "an error event") if event.data.strip() else {}
    return errors.run_failed(data)


def wait_response(values: JSON, run_id: str, thread_id: str) -> runs_pb2.WaitRunResponse:
    """The answer of /runs/wait; a failed run (200 with `__error__`) raises its error instead."""
    if isinstance(values, dict) and isinstance(values.get("__error__"), dict):
        raise errors.run_failed(values["__error__"])
    response = runs_pb2.WaitRunResponse(run_id=run_id, thread_id=thread_id)
    json_to_value(values, response.values)
    return response
