"""google.protobuf.Value/Struct <-> plain JSON values, by hand and without I/O.

json_format.MessageToDict/ParseDict walk descriptors generically; these walk the three JSON
container shapes directly, which is several times faster on the per-event path, and they refuse
what JSON cannot hold (NaN, Infinity) with the path of the offending value.
"""

from __future__ import annotations

import math
from typing import Any

from google.protobuf import struct_pb2

JSON = Any  # None | bool | int | float | str | list[JSON] | dict[str, JSON]


class NotJSONError(ValueError):
    """A Value holds something JSON cannot carry; `path` says where (e.g. "input.items[2]")."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__(f"{path} is {what}, which JSON cannot carry")
        self.path = path


def value_to_json(value: struct_pb2.Value, path: str = "value") -> JSON:
    """A Value as a plain JSON value. An unset Value (no kind) reads as null, as in JSON mapping."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_json(value.struct_value, path)
    if kind == "list_value":
        return [value_to_json(item, f"{path}[{i}]") for i, item in enumerate(value.list_value.values)]
    if kind == "number_value":
        return _number(value.number_value, path)
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    return None


def struct_to_json(struct: struct_pb2.Struct, path: str = "value") -> dict[str, JSON]:
    return {key: value_to_json(item, f"{path}.{key}") for key, item in struct.fields.items()}


def _number(number: float, path: str) -> int | float:
    if not math.isfinite(number):
        raise NotJSONError(path, "NaN" if math.isnan(number) else "Infinity")
    # Integral doubles go upstream as integers: JSON from JavaScript or Go clients means 3, not 3.0,
    # and the upstream's validation (e.g. recursion_limit: integer) expects that.
    return int(number) if number.is_integer() and abs(number) < 2**63 else number


def json_to_value(obj: JSON, value: struct_pb2.Value | None = None) -> struct_pb2.Value:
    """A plain JSON value (as json.loads gives it) written into a Value (a new one by default)."""
    target = struct_pb2.Value() if value is None else value
    _fill(target, obj)
    return target


def _fill(value: struct_pb2.Value, obj: JSON) -> None:
    # Ordered by how often each shape occurs in LangGraph events.
    if isinstance(obj, str):
        value.string_value = obj
    elif isinstance(obj, dict):
        fields = value.struct_value.fields
        if not obj:
            value.struct_value.SetInParent()
        for key, item in obj.items():
            _fill(fields[key], item)
    elif isinstance(obj, list):
        values = value.list_value.values
        if not obj:
            value.list_value.SetInParent()
        for item in obj:
            _fill(values.add(), item)
    elif obj is None:
        value.null_value = struct_pb2.NULL_VALUE
    elif isinstance(obj, bool):
        value.bool_value = obj
    else:
        value.number_value = obj
