"""JSON-like Python objects <-> google.protobuf.Value / Struct. Pure functions, no I/O.

To the wire (`to_value`, `to_struct`): what langgraph-sdk's JSON encoder accepts, so the same
arguments work with both clients: dicts (non-string keys become strings), lists, tuples, sets,
str, bool, int, float, None, pydantic models (`model_dump()`), dataclasses, enums, UUIDs, dates
(ISO 8601 strings) and numpy values (`tolist()`). An int beyond 2**53 is refused: Value carries
numbers as doubles and would silently change it.

From the wire (`from_value`, `from_struct`): plain dicts, lists, str, bool, None and numbers,
where a number with no fractional part comes back as int (Value has only doubles), so results
compare equal to what langgraph-sdk decodes from the same JSON.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
import uuid
from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2

MAX_EXACT_INT = 2**53


def _plain(obj: Any) -> Any:
    """One step of the sdk's `_orjson_default`: a non-JSON object as a JSON-able one."""
    if isinstance(obj, type):
        raise TypeError(f"Cannot JSON-serialize type object: {obj!r}. Pass an instance instead.")
    if hasattr(obj, "model_dump") and callable(obj.model_dump):
        return obj.model_dump()
    if dataclasses.is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if hasattr(obj, "dict") and callable(obj.dict):
        return obj.dict()
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, datetime.datetime | datetime.date | datetime.time):
        return obj.isoformat()
    if isinstance(obj, set | frozenset):
        return list(obj)
    if hasattr(obj, "tolist") and callable(obj.tolist):  # numpy arrays and scalars
        return obj.tolist()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, int | float):
        return str(key)
    plain = _plain(key)
    return plain if isinstance(plain, str) else str(plain)


def _fill(target: struct_pb2.Value, obj: Any) -> None:
    if obj is None:
        target.null_value = struct_pb2.NULL_VALUE
    elif isinstance(obj, bool):
        target.bool_value = obj
    elif isinstance(obj, int):
        if abs(obj) > MAX_EXACT_INT:
            raise ValueError(
                f"integer {obj} is too large for google.protobuf.Value (numbers are doubles; max 2**53)"
            )
        target.number_value = obj
    elif isinstance(obj, float):
        target.number_value = obj
    elif isinstance(obj, str):
        target.string_value = obj
    elif isinstance(obj, Mapping):
        target.struct_value.SetInParent()
        _fill_struct(target.struct_value, obj)
    elif isinstance(obj, list | tuple):
        values = target.list_value.values
        target.list_value.SetInParent()
        for item in obj:
            _fill(values.add(), item)
    else:
        _fill(target, _plain(obj))


def _fill_struct(target: struct_pb2.Struct, obj: Mapping[Any, Any]) -> None:
    for key, item in obj.items():
        _fill(target.fields[_key(key)], item)


def to_value(obj: Any) -> struct_pb2.Value:
    """A JSON-like Python object as a google.protobuf.Value."""
    value = struct_pb2.Value()
    _fill(value, obj)
    return value


def to_struct(obj: Any) -> struct_pb2.Struct:
    """A mapping (or a model/dataclass that dumps to one) as a google.protobuf.Struct."""
    if not isinstance(obj, Mapping):
        obj = _plain(obj)
    if not isinstance(obj, Mapping):
        raise TypeError(f"expected a JSON object (a mapping), got {type(obj).__name__}")
    struct = struct_pb2.Struct()
    _fill_struct(struct, obj)
    return struct


def _number(number: float) -> int | float:
    if math.isfinite(number) and number.is_integer() and abs(number) <= MAX_EXACT_INT:
        return int(number)
    return number


def from_value(value: struct_pb2.Value) -> Any:
    """A google.protobuf.Value as plain Python (integral numbers as int)."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return from_struct(value.struct_value)
    if kind == "list_value":
        return [from_value(item) for item in value.list_value.values]
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return _number(value.number_value)
    if kind == "bool_value":
        return value.bool_value
    return None  # null_value, or no kind set


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A google.protobuf.Struct as a plain dict."""
    return {key: from_value(item) for key, item in struct.fields.items()}
