"""`client.store` (StoreService): langgraph-sdk's StoreClient over gRPC, async and blocking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from langgraph_grpc_client import _common
from langgraph_grpc_client._build import fill
from langgraph_grpc_client._gen.langgraph_gateway.v1 import store_pb2
from langgraph_grpc_client._resources import as_dict
from langgraph_grpc_client._services._base import AsyncService, SyncService
from langgraph_grpc_client.schema import Item, ListNamespaceResponse, SearchItem, SearchItemsResponse

Index = Literal[False] | list[str] | None


def _check_labels(namespace: Sequence[str]) -> None:
    """As langgraph-sdk: the HTTP API joins labels with dots, so a label cannot hold one."""
    for label in namespace:
        if "." in label:
            raise ValueError(
                f"Invalid namespace label '{label}'. Namespace labels cannot contain periods ('.')."
            )


def _put(
    namespace: Sequence[str], key: str, value: Mapping[str, Any], index: Index, ttl: float | None
) -> Any:
    _check_labels(namespace)
    return fill(store_pb2.PutItemRequest(), namespace=namespace, key=key, value=value, index=index, ttl=ttl)


def _get(namespace: Sequence[str], key: str, refresh_ttl: bool | None) -> Any:
    _check_labels(namespace)
    return fill(store_pb2.GetItemRequest(), namespace=namespace, key=key, refresh_ttl=refresh_ttl)


def _item(answer: store_pb2.GetItemResponse) -> Item | None:
    if not answer.HasField("item"):
        return None  # as the server's (and the sdk's) null
    item = as_dict(answer.item)
    item.pop("score")  # only search answers score
    return cast(Item, item)


def _search(
    prefix: Sequence[str],
    filter: Mapping[str, Any] | None,
    limit: int,
    offset: int,
    query: str | None,
    refresh_ttl: bool | None,
) -> Any:
    return fill(
        store_pb2.SearchItemsRequest(),
        namespace_prefix=list(prefix),
        filter=filter,
        limit=limit,
        offset=offset,
        query=query,
        refresh_ttl=refresh_ttl,
    )


def _found(answer: store_pb2.SearchItemsResponse) -> SearchItemsResponse:
    return {"items": [cast(SearchItem, as_dict(item)) for item in answer.items]}


def _namespaces(
    prefix: Sequence[str] | None, suffix: Sequence[str] | None, max_depth: int | None, limit: int, offset: int
) -> Any:
    return fill(
        store_pb2.ListNamespacesRequest(),
        prefix=prefix,
        suffix=suffix,
        max_depth=max_depth,
        limit=limit,
        offset=offset,
    )


def _listed(answer: store_pb2.ListNamespacesResponse) -> ListNamespaceResponse:
    return {"namespaces": [list(n.labels) for n in answer.namespaces]}


class StoreClient(AsyncService):
    """The store (long-term memory shared across threads), as langgraph-sdk's `client.store`.

        await client.store.put_item(["users", "u1"], "profile", {"name": "Ada"})
        item = await client.store.get_item(["users", "u1"], "profile")

    Every method also takes `timeout` (this call's deadline, seconds); `params` (extra HTTP query
    parameters) has no gRPC equivalent and is refused.
    """

    SERVICE = "StoreService"

    async def put_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        value: Mapping[str, Any],
        index: Index = None,
        ttl: float | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        """Store or replace an item (PutItem). `index`: False, or the field paths to index;
        `ttl`: minutes until it expires."""
        _common.unsupported(params=params)
        await self._call("PutItem", _put(namespace, key, value, index, ttl), headers, timeout)

    async def get_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        *,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Item | None:
        """The item, or None when there is none (GetItem)."""
        _common.unsupported(params=params)
        return _item(await self._call("GetItem", _get(namespace, key, refresh_ttl), headers, timeout))

    async def delete_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        """Delete an item; one that does not exist is no error (DeleteItem)."""
        _common.unsupported(params=params)
        request = store_pb2.DeleteItemRequest(namespace=namespace, key=key)
        await self._call("DeleteItem", request, headers, timeout)

    async def search_items(
        self,
        namespace_prefix: Sequence[str],
        /,
        filter: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        query: str | None = None,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> SearchItemsResponse:
        """Items under a namespace prefix, {"items": [...]} (SearchItems)."""
        _common.unsupported(params=params)
        request = _search(namespace_prefix, filter, limit, offset, query, refresh_ttl)
        return _found(await self._call("SearchItems", request, headers, timeout))

    async def list_namespaces(
        self,
        prefix: list[str] | None = None,
        suffix: list[str] | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> ListNamespaceResponse:
        """The namespaces, {"namespaces": [[label, ...], ...]} (ListNamespaces)."""
        _common.unsupported(params=params)
        request = _namespaces(prefix, suffix, max_depth, limit, offset)
        return _listed(await self._call("ListNamespaces", request, headers, timeout))


class SyncStoreClient(SyncService):
    """The blocking twin of StoreClient: the same methods and arguments."""

    SERVICE = "StoreService"

    def put_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        value: Mapping[str, Any],
        index: Index = None,
        ttl: float | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        """Store or replace an item (PutItem)."""
        _common.unsupported(params=params)
        self._call("PutItem", _put(namespace, key, value, index, ttl), headers, timeout)

    def get_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        *,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Item | None:
        """The item, or None when there is none (GetItem)."""
        _common.unsupported(params=params)
        return _item(self._call("GetItem", _get(namespace, key, refresh_ttl), headers, timeout))

    def delete_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        """Delete an item (DeleteItem)."""
        _common.unsupported(params=params)
        self._call("DeleteItem", store_pb2.DeleteItemRequest(namespace=namespace, key=key), headers, timeout)

    def search_items(
        self,
        namespace_prefix: Sequence[str],
        /,
        filter: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        query: str | None = None,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> SearchItemsResponse:
        """Items under a namespace prefix (SearchItems)."""
        _common.unsupported(params=params)
        request = _search(namespace_prefix, filter, limit, offset, query, refresh_ttl)
        return _found(self._call("SearchItems", request, headers, timeout))

    def list_namespaces(
        self,
        prefix: list[str] | None = None,
        suffix: list[str] | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> ListNamespaceResponse:
        """The namespaces (ListNamespaces)."""
        _common.unsupported(params=params)
        request = _namespaces(prefix, suffix, max_depth, limit, offset)
        return _listed(self._call("ListNamespaces", request, headers, timeout))
