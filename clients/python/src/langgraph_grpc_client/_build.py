"""Request messages from langgraph-sdk style keyword arguments, for any request in protos/.
Pure functions, no I/O.

    fill(threads_pb2.UpdateThreadStateRequest(), thread_id=t, values={"count": 1}, as_node="echo")

Each argument goes to the field of the same name, by the field's type: google.protobuf.Value
and Struct take plain Python (`to_value` / `to_struct`), typed messages (Checkpoint, Command,
ThreadTTL, ...) take a mapping of their fields, repeated fields take a list (a lone string is a
one-item list, so `stream_mode="updates"` and `interrupt_before="*"` work), enums take the sdk's
strings ("cancel", "keep", ...). An argument that is None is not set, so the server's default
applies, as langgraph-sdk leaves it out of the JSON body; an argument the message has no field
for raises ValueError rather than being dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from google.protobuf import message as _message
from google.protobuf.descriptor import FieldDescriptor

from langgraph_grpc_client import _values

M = TypeVar("M", bound=_message.Message)

_JSON_FILLERS = {
    "google.protobuf.Value": _values.to_value,
    "google.protobuf.Struct": _values.to_struct,
}


def fill(message: M, **fields: Any) -> M:
    """Set `message`'s fields from keyword arguments (None: left unset); returns `message`."""
    return fill_from(message, fields)


def fill_from(message: M, fields: Mapping[str, Any]) -> M:
    """`fill` with the fields in a mapping (e.g. a TypedDict such as Checkpoint)."""
    by_name = message.DESCRIPTOR.fields_by_name
    for name, value in fields.items():
        if value is None:
            continue
        field = by_name.get(name)
        if field is None:
            raise ValueError(f"{name} is not supported by this gateway's {message.DESCRIPTOR.name}")
        _set(message, field, value)
    return message


def enum_number(field: Any, value: str) -> int:
    """The number of an enum field's value for an sdk string ("cancel" -> ON_DISCONNECT_CANCEL)."""
    enum = field.enum_type
    assert enum is not None, field.name
    names = [v.name for v in enum.values if not v.name.endswith("_UNSPECIFIED")]
    prefix = next((v.name[: -len("UNSPECIFIED")] for v in enum.values if v.number == 0), "")
    name = prefix + str(value).upper().replace("-", "_")
    if name not in names:
        allowed = ", ".join(repr(n[len(prefix) :].lower()) for n in names)
        raise ValueError(f"{field.name} must be one of {allowed}, not {value!r}")
    number: int = enum.values_by_name[name].number
    return number


def _set(message: Any, field: Any, value: Any) -> None:
    kind = field.message_type
    target = getattr(message, field.name)
    if kind is not None and kind.GetOptions().map_entry:
        _set_map(target, kind.fields_by_name["value"], value)
    elif kind is not None and field.is_repeated:
        for item in value:
            _add_message(target, item)
    elif kind is not None and kind.full_name in _JSON_FILLERS:
        target.CopyFrom(_JSON_FILLERS[kind.full_name](value))
    elif kind is not None:
        if not isinstance(value, Mapping):
            raise TypeError(
                f"{field.name} must be a mapping of {kind.name}'s fields, not {type(value).__name__}"
            )
        fill_from(target, value)
        target.SetInParent()
    elif field.enum_type is not None:
        setattr(message, field.name, enum_number(field, value))
    elif field.is_repeated:
        target.extend([value] if isinstance(value, str) else list(value))
    elif field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        setattr(message, field.name, float(value))
    else:
        setattr(message, field.name, value)


def _add_message(target: Any, item: Any) -> None:
    added = target.add()
    if isinstance(item, _message.Message):
        added.CopyFrom(item)
    else:
        fill_from(added, item)


def _set_map(target: Any, value_field: Any, value: Mapping[str, Any]) -> None:
    for key, item in value.items():
        if value_field.message_type is not None:
            fill_from(target[key], item)
        else:
            target[key] = item
