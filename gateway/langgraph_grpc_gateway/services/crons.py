"""CronsService: create, read, change, find, count and delete crons (runs on a schedule)."""

from __future__ import annotations

from langgraph_gateway.v1 import crons_pb2, crons_pb2_grpc

from .. import boundary, resources, routes, translate
from .base import Context, Servicer, next_offset


class CronsService(Servicer, crons_pb2_grpc.CronsServiceServicer):
    @boundary.unary
    async def CreateCron(
        self, request: crons_pb2.CreateCronRequest, context: Context
    ) -> crons_pb2.CreateCronResponse:
        thread_id = request.thread_id if request.HasField("thread_id") else None
        path = routes.cron_create(thread_id)
        found, _ = await self.call(context, "POST", path, body=translate.cron_body(request))
        return crons_pb2.CreateCronResponse(cron=resources.to_message(crons_pb2.Cron, found, "a cron"))

    @boundary.unary
    async def GetCron(self, request: crons_pb2.GetCronRequest, context: Context) -> crons_pb2.GetCronResponse:
        found, _ = await self.call(context, "GET", routes.cron(request.cron_id))
        return crons_pb2.GetCronResponse(cron=resources.to_message(crons_pb2.Cron, found, "a cron"))

    @boundary.unary
    async def UpdateCron(
        self, request: crons_pb2.UpdateCronRequest, context: Context
    ) -> crons_pb2.UpdateCronResponse:
        path = routes.cron(request.cron_id)
        body = translate.request_body(request, exclude={"cron_id"})
        found, _ = await self.call(context, "PATCH", path, body=body)
        return crons_pb2.UpdateCronResponse(cron=resources.to_message(crons_pb2.Cron, found, "a cron"))

    @boundary.unary
    async def DeleteCron(
        self, request: crons_pb2.DeleteCronRequest, context: Context
    ) -> crons_pb2.DeleteCronResponse:
        await self.call(context, "DELETE", routes.cron(request.cron_id))
        return crons_pb2.DeleteCronResponse()

    @boundary.unary
    async def SearchCrons(
        self, request: crons_pb2.SearchCronsRequest, context: Context
    ) -> crons_pb2.SearchCronsResponse:
        found, answer_headers = await self.call(
            context, "POST", "/runs/crons/search", body=translate.request_body(request)
        )
        return crons_pb2.SearchCronsResponse(
            crons=resources.to_messages(crons_pb2.Cron, found, "a cron"),
            next_offset=next_offset(answer_headers),
        )

    @boundary.unary
    async def CountCrons(
        self, request: crons_pb2.CountCronsRequest, context: Context
    ) -> crons_pb2.CountCronsResponse:
        found, _ = await self.call(context, "POST", "/runs/crons/count", body=translate.request_body(request))
        response = crons_pb2.CountCronsResponse()
        resources.fill(response, {"count": found}, "a cron count")
        return response
