"""The gateway's typed answers (Assistant, Thread, ThreadState, Cron, Item, ...) as the plain dicts
langgraph-sdk returns. Pure functions, no I/O.

    as_dict(cron)  # {"cron_id": ..., "thread_id": None, "payload": {...}, ...}

Every field of the message becomes the key of the same name (the HTTP API's name). JSON fields
(Struct, Value, ListValue) come back as plain Python; typed messages as dicts, recursively;
repeated fields as lists, maps as dicts. A field the server left null, or did not send, is None
(an empty timestamp, `..._at` or `..._date`, too: proto3 holds a null one as ""). The gateway
cannot tell null from absent, so where the server leaves a key out of its JSON, the dict here
has it, as None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf import message as _message
from google.protobuf import struct_pb2

from langgraph_grpc_client import _values


def _list_value(value: struct_pb2.ListValue) -> list[Any]:
    return [_values.from_value(item) for item in value.values]


_JSON: dict[str, Callable[[Any], Any]] = {
    "google.protobuf.Value": _values.from_value,
    "google.protobuf.Struct": _values.from_struct,
    "google.protobuf.ListValue": _list_value,
}


def as_dict(message: _message.Message) -> dict[str, Any]:
    """A resource message as the sdk's dict: every field, None where unset."""
    return {field.name: _field(message, field) for field in message.DESCRIPTOR.fields}


def as_dicts(messages: Any) -> list[dict[str, Any]]:
    """A repeated resource field as a list of dicts."""
    return [as_dict(m) for m in messages]


def _field(message: Any, field: Any) -> Any:
    value = getattr(message, field.name)
    kind = field.message_type
    if kind is not None and kind.GetOptions().map_entry:
        entry = kind.fields_by_name["value"]
        return {k: _one(entry, v) for k, v in value.items()}
    if field.is_repeated:
        return [_one(field, item) for item in value]
    if field.has_presence and not message.HasField(field.name):
        return None
    if value == "" and field.name.endswith(("_at", "_date")):
        return None  # a timestamp the server left null (proto3 strings cannot be)
    return _one(field, value)


def _one(field: Any, value: Any) -> Any:
    kind = field.message_type
    if kind is None:
        return value
    if kind.full_name in _JSON:
        return _JSON[kind.full_name](value)
    return as_dict(value)
