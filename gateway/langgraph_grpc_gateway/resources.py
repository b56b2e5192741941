"""Upstream JSON resources (assistants, threads, runs, states) as typed messages. Pure: no I/O.

A field of the message takes the upstream key of the same name: JSON stays JSON (Struct, Value,
ListValue), nested messages (alone, in lists, in maps) are filled the same way, and null leaves a
field unset. Keys the message does not know are dropped, so a newer upstream adding fields breaks
nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf.message import Message

from . import errors
from .jsonvalue import JSON, json_to_value

M = TypeVar("M", bound=Message)


def to_message(cls: type[M], obj: JSON, what: str) -> M:
    """`obj` (a JSON object from the upstream) as a `cls` message."""
    message = cls()
    fill(message, obj, what)
    return message


def to_messages(cls: type[M], objs: JSON, what: str) -> list[M]:
    if not isinstance(objs, list):
        raise errors.protocol_error(f"upstream sent {what} that is not a list")
    return [to_message(cls, obj, what) for obj in objs]


def fill(message: Message, obj: JSON, what: str) -> None:
    if not isinstance(obj, dict):
        raise errors.protocol_error(f"upstream sent {what} that is not an object")
    fields = message.DESCRIPTOR.fields_by_name
    for key, value in obj.items():
        field = fields.get(key)
        if field is None or value is None:
            continue
        try:
            _set(message, field, value, what)
        except (TypeError, ValueError) as exc:
            raise errors.protocol_error(f"upstream sent {what} with an unexpected {key!r}: {exc}") from exc


def _set(message: Message, field: Any, value: Any, what: str) -> None:
    target = getattr(message, field.name)
    kind = field.message_type.full_name if field.message_type else None
    if kind == "google.protobuf.Value":
        json_to_value(value, target)
    elif kind == "google.protobuf.Struct":
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        for key, item in value.items():
            json_to_value(item, target.fields[key])
        target.SetInParent()
    elif kind == "google.protobuf.ListValue":
        if not isinstance(value, list):
            raise TypeError("expected a list")
        for item in value:
            json_to_value(item, target.values.add())
        target.SetInParent()
    elif kind is not None and field.message_type.GetOptions().map_entry:
        _fill_map(target, field.message_type, value, what)
    elif kind is not None and field.is_repeated:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        for item in value:
            fill(target.add(), item, what)
    elif kind is not None:
        fill(target, value, what)
        target.SetInParent()
    elif field.is_repeated:
        target.extend(value)
    else:
        setattr(message, field.name, value)


def _fill_map(target: Any, entry: Any, value: Any, what: str) -> None:
    """A JSON object into a map field whose values are typed messages (filled like any message)
    or scalars (set); the only maps the protos have, such as subgraphs by namespace."""
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    to_message = entry.fields_by_name["value"].message_type is not None
    for key, item in value.items():
        if to_message:
            fill(target[key], item, what)
        else:
            target[key] = item
