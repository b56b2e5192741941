"""AssistantsService: search and describe assistants."""

from __future__ import annotations

from langgraph_gateway.v1 import assistants_pb2, assistants_pb2_grpc, resources_pb2

from .. import boundary, resources, routes, translate
from .base import Context, Servicer, next_offset


class AssistantsService(Servicer, assistants_pb2_grpc.AssistantsServiceServicer):
    @boundary.unary
    async def SearchAssistants(
        self, request: assistants_pb2.SearchAssistantsRequest, context: Context
    ) -> assistants_pb2.SearchAssistantsResponse:
        found, answer_headers = await self.call(
            context, "POST", "/assistants/search", body=translate.request_body(request)
        )
        return assistants_pb2.SearchAssistantsResponse(
            assistants=resources.to_messages(resources_pb2.Assistant, found, "an assistant"),
            next_offset=next_offset(answer_headers),
        )

    @boundary.unary
    async def GetAssistant(
        self, request: assistants_pb2.GetAssistantRequest, context: Context
    ) -> assistants_pb2.GetAssistantResponse:
        found, _ = await self.call(context, "GET", routes.assistant(request.assistant_id))
        return assistants_pb2.GetAssistantResponse(
            assistant=resources.to_message(resources_pb2.Assistant, found, "an assistant")
        )

    @boundary.unary
    async def GetAssistantGraph(
        self, request: assistants_pb2.GetAssistantGraphRequest, context: Context
    ) -> assistants_pb2.GetAssistantGraphResponse:
        params = {}
        if request.xray_depth > 0:
            params["xray"] = str(request.xray_depth)
        elif request.xray:
            params["xray"] = "true"
        found, _ = await self.call(
            context, "GET", routes.assistant(request.assistant_id, "/graph"), params=params
        )
        response = assistants_pb2.GetAssistantGraphResponse()
        resources.fill(response, {"graph": found}, "a graph")
        return response

    @boundary.unary
    async def GetAssistantSchemas(
        self, request: assistants_pb2.GetAssistantSchemasRequest, context: Context
    ) -> assistants_pb2.GetAssistantSchemasResponse:
        found, _ = await self.call(context, "GET", routes.assistant(request.assistant_id, "/schemas"))
        return resources.to_message(assistants_pb2.GetAssistantSchemasResponse, found, "graph schemas")
