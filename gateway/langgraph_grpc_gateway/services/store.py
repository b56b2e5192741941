"""StoreService: put, read, search and delete the store's items, and list its namespaces."""

from __future__ import annotations

from langgraph_gateway.v1 import store_pb2, store_pb2_grpc

from .. import boundary, resources, store_translate, translate
from .base import Context, Servicer

ITEMS = "/store/items"


class StoreService(Servicer, store_pb2_grpc.StoreServiceServicer):
    @boundary.unary
    async def PutItem(self, request: store_pb2.PutItemRequest, context: Context) -> store_pb2.PutItemResponse:
        await self.call(context, "PUT", ITEMS, body=store_translate.put_body(request))
        return store_pb2.PutItemResponse()

    @boundary.unary
    async def GetItem(self, request: store_pb2.GetItemRequest, context: Context) -> store_pb2.GetItemResponse:
        found, _ = await self.call(context, "GET", ITEMS, params=store_translate.get_params(request))
        if found is None:  # the upstream answers null for an item it does not have
            return store_pb2.GetItemResponse()
        return store_pb2.GetItemResponse(item=resources.to_message(store_pb2.Item, found, "an item"))

    @boundary.unary
    async def DeleteItem(
        self, request: store_pb2.DeleteItemRequest, context: Context
    ) -> store_pb2.DeleteItemResponse:
        await self.call(context, "DELETE", ITEMS, body=store_translate.item_body(request))
        return store_pb2.DeleteItemResponse()

    @boundary.unary
    async def SearchItems(
        self, request: store_pb2.SearchItemsRequest, context: Context
    ) -> store_pb2.SearchItemsResponse:
        body = store_translate.search_body(request)
        found, _ = await self.call(context, "POST", f"{ITEMS}/search", body=body)
        return resources.to_message(store_pb2.SearchItemsResponse, found, "store items")

    @boundary.unary
    async def ListNamespaces(
        self, request: store_pb2.ListNamespacesRequest, context: Context
    ) -> store_pb2.ListNamespacesResponse:
        body = translate.request_body(request)
        found, _ = await self.call(context, "POST", "/store/namespaces", body=body)
        return store_translate.namespaces_response(found)
