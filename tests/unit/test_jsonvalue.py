"""google.protobuf.Value/Struct <-> JSON by hand, checked against exact values and json_format."""

from __future__ import annotations

import json

import pytest
from google.protobuf import json_format, struct_pb2
from langgraph_grpc_gateway.jsonvalue import NotJSONError, json_to_value, struct_to_json, value_to_json

from . import recordings

ROUND_TRIP = {
    "null": (None, "null_value"),
    "true": (True, "bool_value"),
    "false": (False, "bool_value"),
    "zero": (0, "number_value"),
    "int": (42, "number_value"),
    "negative int": (-7, "number_value"),
    "float": (3.5, "number_value"),
    "tiny float": (1e-300, "number_value"),
    "huge float": (1e300, "number_value"),
    "2**53": (2**53, "number_value"),
    "string": ("hello", "string_value"),
    "empty string": ("", "string_value"),
    "unicode string": ("héllo 🌍 \u2028 \0", "string_value"),
    "empty list": ([], "list_value"),
    "empty object": ({}, "struct_value"),
    "list": ([1, "a", None, True, 2.5, [], {}], "list_value"),
    "object": ({"a": 1, "b": [{"c": None}], "d": {"e": {}}}, "struct_value"),
    "keys with dots and brackets": ({"a.b": {"[0]": 1}, "": 2}, "struct_value"),
}


@pytest.mark.parametrize(("obj", "kind"), ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_round_trip(obj: object, kind: str) -> None:
    value = json_to_value(obj)
    assert value.WhichOneof("kind") == kind
    back = value_to_json(value)
    assert back == obj
    # also tells 1 from 1.0 and True from 1 (a Struct is a map: key order is not kept)
    assert json.dumps(back, sort_keys=True) == json.dumps(obj, sort_keys=True)


@pytest.mark.parametrize(("obj", "kind"), ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_same_as_json_format(obj: object, kind: str) -> None:
    assert json_to_value(obj) == json_format.ParseDict(obj, struct_pb2.Value())
    assert value_to_json(json_format.ParseDict(obj, struct_pb2.Value())) == obj


NUMBERS = {
    "integral double becomes int": (3.0, 3),
    "negative integral": (-12.0, -12),
    "negative zero": (-0.0, 0),
    "fraction stays float": (0.25, 0.25),
    "2**62 as int": (float(2**62), 2**62),
    "2**63 stays float": (float(2**63), float(2**63)),
    "-2**63 stays float": (-float(2**63), -float(2**63)),
    "1e20 stays float": (1e20, 1e20),
}


@pytest.mark.parametrize(("number", "expected"), NUMBERS.values(), ids=NUMBERS.keys())
def test_numbers(number: float, expected: int | float) -> None:
    result = value_to_json(struct_pb2.Value(number_value=number))
    assert result == expected
    assert type(result) is type(expected)


def test_recursion_limit_is_sent_as_integer() -> None:
    struct = struct_pb2.Struct()
    struct.update({"recursion_limit": 25})
    assert json.dumps(struct_to_json(struct)) == '{"recursion_limit": 25}'


def test_unset_value_is_null() -> None:
    assert value_to_json(struct_pb2.Value()) is None


def test_json_to_value_fills_given_value() -> None:
    target = struct_pb2.Value(string_value="old")
    result = json_to_value({"a": [1]}, target)
    assert result is target
    assert value_to_json(target) == {"a": [1]}


def test_struct_to_json() -> None:
    struct = struct_pb2.Struct()
    struct.update({"a": {"b": [1, "x"]}, "c": None})
    assert struct_to_json(struct) == {"a": {"b": [1, "x"]}, "c": None}
    assert struct_to_json(struct_pb2.Struct()) == {}


NAN = float("nan")
INF = float("inf")


def _nested(number: float) -> struct_pb2.Value:
    value = json_to_value({"items": [1, 2, "n"], "deep": {"x": [[0, "n"]]}})
    value.struct_value.fields["items"].list_value.values[2].number_value = number
    return value


NOT_JSON = {
    "nan": (struct_pb2.Value(number_value=NAN), "value", "NaN"),
    "infinity": (struct_pb2.Value(number_value=INF), "value", "Infinity"),
    "-infinity": (struct_pb2.Value(number_value=-INF), "value", "Infinity"),
    "nan in list in object": (_nested(NAN), "value.items[2]", "NaN"),
    "infinity in list in object": (_nested(INF), "value.items[2]", "Infinity"),
}


@pytest.mark.parametrize(("value", "path", "what"), NOT_JSON.values(), ids=NOT_JSON.keys())
def test_not_json(value: struct_pb2.Value, path: str, what: str) -> None:
    with pytest.raises(NotJSONError) as caught:
        value_to_json(value)
    assert caught.value.path == path
    assert str(caught.value) == f"{path} is {what}, which JSON cannot carry"
    assert isinstance(caught.value, ValueError)


def test_not_json_path_prefix_and_nesting() -> None:
    value = json_to_value({"deep": {"x": [[0, "n"]]}})
    value.struct_value.fields["deep"].struct_value.fields["x"].list_value.values[0].list_value.values[
        1
    ].number_value = NAN
    with pytest.raises(NotJSONError) as caught:
        value_to_json(value, "input")
    assert caught.value.path == "input.deep.x[0][1]"


def test_not_json_in_struct() -> None:
    struct = struct_pb2.Struct()
    struct.update({"configurable": {"t": 1}})
    struct.fields["configurable"].struct_value.fields["t"].number_value = INF
    with pytest.raises(NotJSONError) as caught:
        struct_to_json(struct, "config")
    assert caught.value.path == "config.configurable.t"


@pytest.mark.parametrize("name", ["runs_wait.txt", "thread_runs_wait.txt", "assistants_search.txt"])
def test_recorded_bodies_round_trip(name: str) -> None:
    body = json.loads(recordings.load(name).body)
    assert value_to_json(json_to_value(body)) == body
