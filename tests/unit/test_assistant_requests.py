"""The assistant calls' pure parts: subgraph paths, request bodies, and answers as messages."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from langgraph_gateway.v1 import assistants_pb2
from langgraph_grpc_gateway import resources, routes, translate
from langgraph_grpc_gateway.errors import GatewayError

from . import recordings

A = assistants_pb2
AID = "01a21395-a3f9-7753-aa10-396f54005f8a"


def message(cls: type[Any], fields: dict[str, Any]) -> Any:
    return json_format.ParseDict(fields, cls())


# --- subgraph paths --------------------------------------------------------------------------------

SUBGRAPH_PATHS = {
    "all": ("", f"/assistants/{AID}/subgraphs"),
    "one": ("inner", f"/assistants/{AID}/subgraphs/inner"),
    "nested, '|' encoded": ("outer|inner", f"/assistants/{AID}/subgraphs/outer%7Cinner"),
    "space": ("my node", f"/assistants/{AID}/subgraphs/my%20node"),
    "percent, encoded once": ("a%2Fb", f"/assistants/{AID}/subgraphs/a%252Fb"),
    "query and fragment characters": ("a?b#c&d", f"/assistants/{AID}/subgraphs/a%3Fb%23c%26d"),
    "unicode": ("nœud", f"/assistants/{AID}/subgraphs/n%C5%93ud"),
    "dots inside": ("a.b..", f"/assistants/{AID}/subgraphs/a.b.."),
}


@pytest.mark.parametrize(("namespace", "path"), SUBGRAPH_PATHS.values(), ids=SUBGRAPH_PATHS.keys())
def test_subgraphs_path(namespace: str, path: str) -> None:
    assert routes.subgraphs(AID, namespace) == path


HOSTILE_NAMESPACES = {
    "slash": "a/b",
    "slash alone": "/",
    "leading slash": "/a",
    "backslash": "a\\b",
    "dot": ".",
    "dot dot": "..",
    "dot dot slash": "../assistants",
    "leading dot": ".x",
    "newline": "a\nb",
    "carriage return": "a\r",
    "tab": "a\tb",
    "nul": "a\0b",
    "zero-width space": "a\u200bb",
}


@pytest.mark.parametrize("namespace", HOSTILE_NAMESPACES.values(), ids=HOSTILE_NAMESPACES.keys())
def test_hostile_namespace_refused(namespace: str) -> None:
    with pytest.raises(GatewayError) as caught:
        routes.subgraphs(AID, namespace)
    error = caught.value
    assert (error.code, error.reason, error.metadata) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_REQUEST",
        {"field": "namespace"},
    )


def test_subgraphs_checks_the_assistant_id_first() -> None:
    with pytest.raises(GatewayError) as caught:
        routes.subgraphs("../x", "inner")
    assert caught.value.metadata == {"field": "assistant_id"}


# --- request bodies: the fields set, under the HTTP names ------------------------------------------

BODIES: dict[str, tuple[type[Any], dict[str, Any], set[str], dict[str, Any]]] = {
    "create, graph only": (A.CreateAssistantRequest, {"graph_id": "agent"}, set(), {"graph_id": "agent"}),
    "create, every field": (
        A.CreateAssistantRequest,
        {
            "graph_id": "agent",
            "config": {"recursion_limit": 5, "tags": ["a"]},
            "context": {"c": 1},
            "metadata": {"m": True},
            "assistant_id": AID,
            "if_exists": "do_nothing",
            "name": "n",
            "description": "d",
        },
        set(),
        {
            "graph_id": "agent",
            "config": {"recursion_limit": 5, "tags": ["a"]},
            "context": {"c": 1},
            "metadata": {"m": True},
            "assistant_id": AID,
            "if_exists": "do_nothing",
            "name": "n",
            "description": "d",
        },
    ),
    "create, an empty description is sent": (
        A.CreateAssistantRequest,
        {"graph_id": "agent", "description": ""},
        set(),
        {"graph_id": "agent", "description": ""},
    ),
    "update: the id goes in the path": (
        A.UpdateAssistantRequest,
        {"assistant_id": AID, "name": "n", "config": {}},
        {"assistant_id"},
        {"name": "n", "config": {}},
    ),
    "update, nothing": (A.UpdateAssistantRequest, {"assistant_id": AID}, {"assistant_id"}, {}),
    "count": (
        A.CountAssistantsRequest,
        {"graph_id": "agent", "name": "x", "metadata": {"k": "v"}},
        set(),
        {"graph_id": "agent", "name": "x", "metadata": {"k": "v"}},
    ),
    "versions, defaults: not sent": (
        A.ListAssistantVersionsRequest,
        {"assistant_id": AID},
        {"assistant_id"},
        {},
    ),
    "versions, page": (
        A.ListAssistantVersionsRequest,
        {"assistant_id": AID, "limit": 2, "offset": 4, "metadata": {"k": 1}},
        {"assistant_id"},
        {"limit": 2, "offset": 4, "metadata": {"k": 1}},
    ),
}


@pytest.mark.parametrize(("cls", "fields", "exclude", "body"), BODIES.values(), ids=BODIES.keys())
def test_request_body(
    cls: type[Any], fields: dict[str, Any], exclude: set[str], body: dict[str, Any]
) -> None:
    assert translate.request_body(message(cls, fields), exclude=exclude) == body


# --- answers ---------------------------------------------------------------------------------------

SCHEMA = {"type": "object", "properties": {"x": {"type": "integer", "default": 1}}}


def test_subgraphs_answer() -> None:
    """A map of namespace -> schemas; a schema the upstream has not (null) stays unset."""
    found = {
        "inner": {
            "input_schema": SCHEMA,
            "output_schema": SCHEMA,
            "state_schema": SCHEMA,
            "config_schema": None,
        },
        "outer|inner": {"state_schema": SCHEMA, "unknown_key": 1},
    }
    answer = resources.to_message(A.GetAssistantSubgraphsResponse, {"subgraphs": found}, "subgraphs")
    assert sorted(answer.subgraphs) == ["inner", "outer|inner"]
    inner = answer.subgraphs["inner"]
    assert not inner.HasField("config_schema") and not inner.HasField("context_schema")
    assert json_format.MessageToDict(inner.state_schema) == json.loads(
        json.dumps(SCHEMA).replace("1}", "1.0}")
    )
    assert answer.subgraphs["outer|inner"].HasField("state_schema")


def test_no_subgraphs() -> None:
    answer = resources.to_message(A.GetAssistantSubgraphsResponse, {"subgraphs": {}}, "subgraphs")
    assert len(answer.subgraphs) == 0


@pytest.mark.parametrize("found", [[], "x", {"inner": 5}, {"inner": []}], ids=str)
def test_subgraphs_answer_of_the_wrong_shape(found: Any) -> None:
    with pytest.raises(GatewayError) as caught:
        resources.to_message(A.GetAssistantSubgraphsResponse, {"subgraphs": found}, "subgraphs")
    assert (caught.value.code, caught.value.reason) == (grpc.StatusCode.INTERNAL, "UPSTREAM_PROTOCOL_ERROR")


def test_versions_answer() -> None:
    version = {
        "assistant_id": AID,
        "version": 2,
        "graph_id": "agent",
        "config": {},
        "context": {},
        "metadata": {"m": 1},
        "created_at": "2026-01-01T00:00:00+00:00",
        "name": "n",
        "description": None,
    }
    [got] = resources.to_messages(A.AssistantVersion, [version], "an assistant version")
    # (numbers come back as doubles: 1.0 == 1)
    assert json_format.MessageToDict(got, preserving_proto_field_name=True) == {
        k: v for k, v in version.items() if v is not None
    }


@pytest.mark.parametrize(("found", "count"), [(0, 0), (7, 7)])
def test_count_answer(found: Any, count: int) -> None:
    answer = resources.to_message(A.CountAssistantsResponse, {"count": found}, "a count")
    assert answer.count == count


@pytest.mark.parametrize("found", ["7", 1.5, [], {"count": 1}, 2**40], ids=str)
def test_count_answer_not_an_int32(found: Any) -> None:
    with pytest.raises(GatewayError) as caught:
        resources.to_message(A.CountAssistantsResponse, {"count": found}, "a count")
    assert caught.value.reason == "UPSTREAM_PROTOCOL_ERROR"


# --- the messages against the upstream's OpenAPI document ------------------------------------------


def _schemas() -> dict[str, Any]:
    assert recordings.OPENAPI.exists(), f"{recordings.OPENAPI} not found"
    return json.loads(recordings.OPENAPI.read_text())["components"]["schemas"]  # type: ignore[no-any-return]


BODY_SCHEMAS = {
    "AssistantCreate": (A.CreateAssistantRequest, set()),
    "AssistantPatch": (A.UpdateAssistantRequest, {"assistant_id"}),
    "AssistantCountRequest": (A.CountAssistantsRequest, set()),
    "AssistantVersionsSearchRequest": (A.ListAssistantVersionsRequest, {"assistant_id"}),
    "AssistantVersionChange": (A.SetLatestAssistantVersionRequest, {"assistant_id"}),
    "GraphSchemaNoId": (A.GraphSchemas, set()),
}


@pytest.mark.parametrize(
    ("schema", "cls", "in_path"), [(k, *v) for k, v in BODY_SCHEMAS.items()], ids=BODY_SCHEMAS
)
def test_fields_are_the_http_fields(schema: str, cls: type[Any], in_path: set[str]) -> None:
    """Each request holds the body's fields under their names, and the ids of the path."""
    assert set(_schemas()[schema]["properties"]) == set(cls.DESCRIPTOR.fields_by_name) - in_path


def test_assistant_version_is_an_assistant_less_updated_at() -> None:
    assistant = set(_schemas()["Assistant"]["properties"])
    assert assistant - {"updated_at"} == set(A.AssistantVersion.DESCRIPTOR.fields_by_name)
