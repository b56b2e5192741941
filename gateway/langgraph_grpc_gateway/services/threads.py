"""ThreadsService: create, find, read and delete threads."""

from __future__ import annotations

from langgraph_gateway.v1 import resources_pb2, threads_pb2, threads_pb2_grpc

from .. import boundary, resources, routes, translate
from .base import Context, Servicer, next_offset


class ThreadsService(Servicer, threads_pb2_grpc.ThreadsServiceServicer):
    @boundary.unary
    async def CreateThread(
        self, request: threads_pb2.CreateThreadRequest, context: Context
    ) -> threads_pb2.CreateThreadResponse:
        if request.HasField("thread_id"):
            routes.segment(request.thread_id, "thread_id")
        found, _ = await self.call(context, "POST", "/threads", body=translate.request_body(request))
        return threads_pb2.CreateThreadResponse(
            thread=resources.to_message(resources_pb2.Thread, found, "a thread")
        )

    @boundary.unary
    async def GetThread(
        self, request: threads_pb2.GetThreadRequest, context: Context
    ) -> threads_pb2.GetThreadResponse:
        found, _ = await self.call(context, "GET", routes.thread(request.thread_id))
        return threads_pb2.GetThreadResponse(
            thread=resources.to_message(resources_pb2.Thread, found, "a thread")
        )

    @boundary.unary
    async def SearchThreads(
        self, request: threads_pb2.SearchThreadsRequest, context: Context
    ) -> threads_pb2.SearchThreadsResponse:
        found, answer_headers = await self.call(
            context, "POST", "/threads/search", body=translate.request_body(request)
        )
        return threads_pb2.SearchThreadsResponse(
            threads=resources.to_messages(resources_pb2.Thread, found, "a thread"),
            next_offset=next_offset(answer_headers),
        )

    @boundary.unary
    async def DeleteThread(
        self, request: threads_pb2.DeleteThreadRequest, context: Context
    ) -> threads_pb2.DeleteThreadResponse:
        await self.call(context, "DELETE", routes.thread(request.thread_id))
        return threads_pb2.DeleteThreadResponse()

    @boundary.unary
    async def GetThreadState(
        self, request: threads_pb2.GetThreadStateRequest, context: Context
    ) -> threads_pb2.GetThreadStateResponse:
        params = {"subgraphs": "true"} if request.subgraphs else None
        found, _ = await self.call(context, "GET", routes.thread(request.thread_id, "/state"), params=params)
        state = resources.to_message(resources_pb2.ThreadState, found, "a thread state")
        return threads_pb2.GetThreadStateResponse(state=state)

    @boundary.unary
    async def GetThreadHistory(
        self, request: threads_pb2.GetThreadHistoryRequest, context: Context
    ) -> threads_pb2.GetThreadHistoryResponse:
        path = routes.thread(request.thread_id, "/history")
        found, _ = await self.call(
            context, "POST", path, body=translate.request_body(request, exclude={"thread_id"})
        )
        states = resources.to_messages(resources_pb2.ThreadState, found, "a thread state")
        return threads_pb2.GetThreadHistoryResponse(states=states)
