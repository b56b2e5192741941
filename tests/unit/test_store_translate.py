"""Store requests to HTTP bodies and queries, and store answers to messages, as the sdk does them."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from langgraph_gateway.v1 import store_pb2
from langgraph_grpc_gateway import resources, store_translate
from langgraph_grpc_gateway.errors import GatewayError

from . import recordings

S = store_pb2


def message(cls: type[Any], fields: dict[str, Any]) -> Any:
    return json_format.ParseDict(fields, cls())


# --- namespace labels ------------------------------------------------------------------------------

DOTTED = {
    "one dotted label": ["a.b"],
    "second label": ["ok", "x.y"],
    "a dot alone": ["."],
    "trailing": ["a."],
}


@pytest.mark.parametrize("namespace", DOTTED.values(), ids=DOTTED.keys())
def test_dotted_label_refused(namespace: list[str]) -> None:
    with pytest.raises(GatewayError) as caught:
        store_translate.check_labels(namespace)
    error = caught.value
    assert (error.code, error.reason, error.metadata) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_REQUEST",
        {"field": "namespace"},
    )
    assert "cannot contain periods" in error.message


@pytest.mark.parametrize(
    "namespace",
    [[], ["a"], ["users", "u-1", "memories"], ["", "x"], ["sp ace", "ünï", "a|b", "a/b"]],
    ids=str,
)
def test_other_labels_pass(namespace: list[str]) -> None:
    """Only the dot is the sdk's rule; the upstream judges the rest (empty labels, ...)."""
    assert store_translate.check_labels(namespace) == namespace


# --- bodies and queries ----------------------------------------------------------------------------

PUTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "value only": (
        {"namespace": ["a", "b"], "key": "k", "value": {"x": 1}},
        {"namespace": ["a", "b"], "key": "k", "value": {"x": 1}},
    ),
    "empty namespace and key still sent": ({"value": {}}, {"namespace": [], "key": "", "value": {}}),
    "no value: not sent": ({"namespace": ["a"], "key": "k"}, {"namespace": ["a"], "key": "k"}),
    "index false": (
        {"namespace": ["a"], "key": "k", "value": {}, "index": False},
        {"namespace": ["a"], "key": "k", "value": {}, "index": False},
    ),
    "index fields": (
        {"namespace": ["a"], "key": "k", "value": {}, "index": ["title", "a.b[*]"]},
        {"namespace": ["a"], "key": "k", "value": {}, "index": ["title", "a.b[*]"]},
    ),
    "ttl": (
        {"namespace": ["a"], "key": "k", "value": {}, "ttl": 2.5},
        {"namespace": ["a"], "key": "k", "value": {}, "ttl": 2.5},
    ),
    "ttl 0 is sent": (
        {"namespace": ["a"], "key": "k", "value": {}, "ttl": 0},
        {"namespace": ["a"], "key": "k", "value": {}, "ttl": 0},
    ),
}


@pytest.mark.parametrize(("fields", "body"), PUTS.values(), ids=PUTS.keys())
def test_put_body(fields: dict[str, Any], body: dict[str, Any]) -> None:
    assert store_translate.put_body(message(S.PutItemRequest, fields)) == body


def test_put_body_refuses_dotted_labels() -> None:
    with pytest.raises(GatewayError):
        store_translate.put_body(S.PutItemRequest(namespace=["a.b"], key="k"))


@pytest.mark.parametrize(
    ("fields", "body"),
    [
        ({"namespace": ["a"], "key": "k"}, {"namespace": ["a"], "key": "k"}),
        ({}, {"namespace": [], "key": ""}),
        ({"namespace": ["a.b"], "key": "k"}, {"namespace": ["a.b"], "key": "k"}),  # the upstream refuses it
    ],
    ids=["namespace and key", "empty: still sent", "dots: left to the upstream"],
)
def test_delete_body(fields: dict[str, Any], body: dict[str, Any]) -> None:
    assert store_translate.item_body(message(S.DeleteItemRequest, fields)) == body


GETS: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "dotted namespace": ({"namespace": ["a", "b", "c"], "key": "k"}, {"namespace": "a.b.c", "key": "k"}),
    "no namespace": ({"key": "k"}, {"namespace": "", "key": "k"}),
    "empty key still sent": ({"namespace": ["a"]}, {"namespace": "a", "key": ""}),
    "refresh_ttl true": (
        {"namespace": ["a"], "key": "k", "refresh_ttl": True},
        {"namespace": "a", "key": "k", "refresh_ttl": "true"},
    ),
    "refresh_ttl false is sent": (
        {"namespace": ["a"], "key": "k", "refresh_ttl": False},
        {"namespace": "a", "key": "k", "refresh_ttl": "false"},
    ),
    "awkward key as is (the query encodes it)": (
        {"namespace": ["a"], "key": "a b&c=d?#%"},
        {"namespace": "a", "key": "a b&c=d?#%"},
    ),
}


@pytest.mark.parametrize(("fields", "params"), GETS.values(), ids=GETS.keys())
def test_get_params(fields: dict[str, Any], params: dict[str, str]) -> None:
    assert store_translate.get_params(message(S.GetItemRequest, fields)) == params


def test_get_params_refuses_dotted_labels() -> None:
    with pytest.raises(GatewayError):
        store_translate.get_params(S.GetItemRequest(namespace=["a", "b.c"], key="k"))


SEARCHES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "nothing set: the prefix still sent": ({}, {"namespace_prefix": []}),
    "every field": (
        {
            "namespace_prefix": ["a"],
            "filter": {"kind": "x", "n": 2},
            "limit": 5,
            "offset": 10,
            "query": "tea",
            "refresh_ttl": False,
        },
        {
            "namespace_prefix": ["a"],
            "filter": {"kind": "x", "n": 2},
            "limit": 5,
            "offset": 10,
            "query": "tea",
            "refresh_ttl": False,
        },
    ),
}


@pytest.mark.parametrize(("fields", "body"), SEARCHES.values(), ids=SEARCHES.keys())
def test_search_body(fields: dict[str, Any], body: dict[str, Any]) -> None:
    assert store_translate.search_body(message(S.SearchItemsRequest, fields)) == body


# --- answers ---------------------------------------------------------------------------------------

ITEM = {
    "namespace": ["a", "b"],
    "key": "k",
    "value": {"x": 1, "nested": {"y": [True, None]}},
    "created_at": "2026-01-01T00:00:00+00:00",
    "updated_at": "2026-01-01T00:00:01+00:00",
}


def test_item_message() -> None:
    item = resources.to_message(S.Item, ITEM, "an item")
    assert json_format.MessageToDict(item, preserving_proto_field_name=True) == {
        **ITEM,
        "value": {"x": 1.0, "nested": {"y": [True, None]}},
    }
    assert not item.HasField("score")


@pytest.mark.parametrize(("score", "has"), [(None, False), (0.0, True), (0.75, True)])
def test_search_answer(score: float | None, has: bool) -> None:
    answer = resources.to_message(S.SearchItemsResponse, {"items": [{**ITEM, "score": score}]}, "items")
    [item] = answer.items
    assert item.HasField("score") is has
    assert item.score == (score or 0.0)


@pytest.mark.parametrize(
    ("found", "labels"),
    [
        ({"namespaces": []}, []),
        ({"namespaces": [["a"], ["a", "b"], []]}, [["a"], ["a", "b"], []]),
    ],
)
def test_namespaces_response(found: Any, labels: list[list[str]]) -> None:
    answer = store_translate.namespaces_response(found)
    assert [list(n.labels) for n in answer.namespaces] == labels


@pytest.mark.parametrize(
    "found",
    [None, [], [["a"]], {}, {"namespaces": None}, {"namespaces": ["ab"]}, {"namespaces": [[1]]}],
    ids=str,
)
def test_namespaces_response_not_lists_of_labels(found: Any) -> None:
    with pytest.raises(GatewayError) as caught:
        store_translate.namespaces_response(found)
    assert (caught.value.code, caught.value.reason) == (grpc.StatusCode.INTERNAL, "UPSTREAM_PROTOCOL_ERROR")


# --- the messages against the upstream's OpenAPI document ------------------------------------------

REQUEST_SCHEMAS = {
    "StorePutRequest": S.PutItemRequest,
    "StoreDeleteRequest": S.DeleteItemRequest,
    "StoreSearchRequest": S.SearchItemsRequest,
    "StoreListNamespacesRequest": S.ListNamespacesRequest,
}


def _schemas() -> dict[str, Any]:
    assert recordings.OPENAPI.exists(), f"{recordings.OPENAPI} not found"
    return json.loads(recordings.OPENAPI.read_text())["components"]["schemas"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("schema", "cls"), REQUEST_SCHEMAS.items(), ids=REQUEST_SCHEMAS.keys())
def test_request_fields_are_the_http_fields(schema: str, cls: type[Any]) -> None:
    assert set(_schemas()[schema]["properties"]) == set(cls.DESCRIPTOR.fields_by_name)


def test_get_item_fields_are_the_query_parameters() -> None:
    """GET /store/items takes them as its query (namespace dotted)."""
    get = json.loads(recordings.OPENAPI.read_text())["paths"]["/store/items"]["get"]
    assert {p["name"] for p in get["parameters"]} == set(S.GetItemRequest.DESCRIPTOR.fields_by_name)


def test_item_fields() -> None:
    """Item is the upstream's Item, and the score a search adds (the sdk's SearchItem)."""
    assert set(_schemas()["Item"]["properties"]) | {"score"} == set(S.Item.DESCRIPTOR.fields_by_name)
