"""AssistantsService: create, find, change and delete assistants, and describe their graphs."""

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

    @boundary.unary
    async def CreateAssistant(
        self, request: assistants_pb2.CreateAssistantRequest, context: Context
    ) -> assistants_pb2.CreateAssistantResponse:
        if request.HasField("assistant_id"):  # checked now, as it will go into paths later
            routes.segment(request.assistant_id, "assistant_id")
        found, _ = await self.call(context, "POST", "/assistants", body=translate.request_body(request))
        return assistants_pb2.CreateAssistantResponse(assistant=_assistant(found))

    @boundary.unary
    async def UpdateAssistant(
        self, request: assistants_pb2.UpdateAssistantRequest, context: Context
    ) -> assistants_pb2.UpdateAssistantResponse:
        path = routes.assistant(request.assistant_id)
        body = translate.request_body(request, exclude={"assistant_id"})
        found, _ = await self.call(context, "PATCH", path, body=body)
        return assistants_pb2.UpdateAssistantResponse(assistant=_assistant(found))

    @boundary.unary
    async def DeleteAssistant(
        self, request: assistants_pb2.DeleteAssistantRequest, context: Context
    ) -> assistants_pb2.DeleteAssistantResponse:
        params = {"delete_threads": "true"} if request.delete_threads else None
        await self.call(context, "DELETE", routes.assistant(request.assistant_id), params=params)
        return assistants_pb2.DeleteAssistantResponse()

    @boundary.unary
    async def CountAssistants(
        self, request: assistants_pb2.CountAssistantsRequest, context: Context
    ) -> assistants_pb2.CountAssistantsResponse:
        found, _ = await self.call(context, "POST", "/assistants/count", body=translate.request_body(request))
        return resources.to_message(assistants_pb2.CountAssistantsResponse, {"count": found}, "a count")

    @boundary.unary
    async def ListAssistantVersions(
        self, request: assistants_pb2.ListAssistantVersionsRequest, context: Context
    ) -> assistants_pb2.ListAssistantVersionsResponse:
        path = routes.assistant(request.assistant_id, "/versions")
        body = translate.request_body(request, exclude={"assistant_id"})
        found, _ = await self.call(context, "POST", path, body=body)
        versions = resources.to_messages(assistants_pb2.AssistantVersion, found, "an assistant version")
        return assistants_pb2.ListAssistantVersionsResponse(versions=versions)

    @boundary.unary
    async def SetLatestAssistantVersion(
        self, request: assistants_pb2.SetLatestAssistantVersionRequest, context: Context
    ) -> assistants_pb2.SetLatestAssistantVersionResponse:
        path = routes.assistant(request.assistant_id, "/latest")
        found, _ = await self.call(context, "POST", path, body={"version": request.version})
        return assistants_pb2.SetLatestAssistantVersionResponse(assistant=_assistant(found))

    @boundary.unary
    async def GetAssistantSubgraphs(
        self, request: assistants_pb2.GetAssistantSubgraphsRequest, context: Context
    ) -> assistants_pb2.GetAssistantSubgraphsResponse:
        path = routes.subgraphs(request.assistant_id, request.namespace)
        params = {"recurse": "true"} if request.recurse else None
        found, _ = await self.call(context, "GET", path, params=params)
        return resources.to_message(
            assistants_pb2.GetAssistantSubgraphsResponse, {"subgraphs": found}, "subgraphs"
        )


def _assistant(found: object) -> resources_pb2.Assistant:
    return resources.to_message(resources_pb2.Assistant, found, "an assistant")
