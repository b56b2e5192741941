"""The store's requests and answers, as langgraph-sdk sends and reads them. Pure: no I/O.

The HTTP API names an item's namespace two ways: a JSON list of labels in bodies, and the labels
joined with dots in GET /store/items (`?namespace=users.u1`). A label holding a dot would be
split there, reaching another item silently, so the sdk refuses such labels on put and get, and
so does the gateway (INVALID_ARGUMENT naming `namespace`). Elsewhere the upstream refuses them.

The sdk always sends a namespace and a key, and search always sends namespace_prefix: the
upstream answers differently without them (a missing namespace_prefix is a 500). proto3 cannot
tell those fields unset from empty, so they are always sent here too.
"""

from __future__ import annotations

from collections.abc import Sequence

from langgraph_gateway.v1 import store_pb2

from . import errors, resources, translate
from .jsonvalue import JSON

ItemRequest = store_pb2.PutItemRequest | store_pb2.DeleteItemRequest


def check_labels(namespace: Sequence[str]) -> list[str]:
    """The namespace's labels, or INVALID_ARGUMENT for one that holds a dot (as the sdk refuses)."""
    for label in namespace:
        if "." in label:
            raise errors.invalid_argument(
                f"namespace label {label!r} contains '.': namespace labels cannot contain periods",
                "namespace",
            )
    return list(namespace)


def item_body(request: ItemRequest) -> dict[str, JSON]:
    """The body of PUT or DELETE /store/items: namespace and key always, the rest when set."""
    return {"namespace": list(request.namespace), "key": request.key, **translate.request_body(request)}


def put_body(request: store_pb2.PutItemRequest) -> dict[str, JSON]:
    check_labels(request.namespace)
    return item_body(request)


def get_params(request: store_pb2.GetItemRequest) -> dict[str, str]:
    """The query of GET /store/items: the namespace as dotted labels."""
    params = {"namespace": ".".join(check_labels(request.namespace)), "key": request.key}
    if request.HasField("refresh_ttl"):
        params["refresh_ttl"] = "true" if request.refresh_ttl else "false"
    return params


def search_body(request: store_pb2.SearchItemsRequest) -> dict[str, JSON]:
    return {"namespace_prefix": list(request.namespace_prefix), **translate.request_body(request)}


def namespaces_response(found: JSON) -> store_pb2.ListNamespacesResponse:
    """{"namespaces": [["a", "b"], ...]} as messages, each list of labels one Namespace."""
    listed = found.get("namespaces") if isinstance(found, dict) else None
    if not isinstance(listed, list) or not all(isinstance(labels, list) for labels in listed):
        raise errors.protocol_error("upstream sent namespaces that are not lists of labels")
    shaped = {"namespaces": [{"labels": labels} for labels in listed]}
    return resources.to_message(store_pb2.ListNamespacesResponse, shaped, "namespaces")
