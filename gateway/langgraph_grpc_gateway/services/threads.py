"""ThreadsService: create, find, read, change, copy, prune and delete threads; read and write their
state; follow their streams."""

from __future__ import annotations

from collections.abc import AsyncIterator

from langgraph_gateway.v1 import resources_pb2, threads_pb2, threads_pb2_grpc

from .. import boundary, resources, routes, streaming, translate
from ..config import Settings
from ..jsonvalue import JSON
from ..upstream import Upstream
from .base import Context, Servicer, next_offset


class ThreadsService(Servicer, threads_pb2_grpc.ThreadsServiceServicer):
    def __init__(self, upstream: Upstream, settings: Settings) -> None:
        super().__init__(upstream, settings)
        self.relay = streaming.Relay(
            upstream,
            streaming.ReconnectPolicy(attempts=settings.reconnect_attempts),
            settings.max_send_message_bytes,
        )

    @boundary.unary
    async def CreateThread(
        self, request: threads_pb2.CreateThreadRequest, context: Context
    ) -> threads_pb2.CreateThreadResponse:
        if request.HasField("thread_id"):
            routes.segment(request.thread_id, "thread_id")
        found, _ = await self.call(context, "POST", "/threads", body=translate.request_body(request))
        return threads_pb2.CreateThreadResponse(thread=_thread(translate.created_thread(found)))

    @boundary.unary
    async def GetThread(
        self, request: threads_pb2.GetThreadRequest, context: Context
    ) -> threads_pb2.GetThreadResponse:
        # One comma-separated parameter: the upstream reads only the last `include` of several.
        params = {"include": ",".join(request.include)} if request.include else None
        found, _ = await self.call(context, "GET", routes.thread(request.thread_id), params=params)
        return threads_pb2.GetThreadResponse(thread=_thread(found))

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
        # Where langgraph-sdk's get_state goes: a full checkpoint wins over its id.
        if request.HasField("checkpoint"):
            path = routes.thread(request.thread_id, "/state/checkpoint")
            body = translate.request_body(request, exclude={"thread_id", "checkpoint_id"})
            found, _ = await self.call(context, "POST", path, body=body)
        else:
            path = routes.thread_state(request.thread_id, request.checkpoint_id)
            params = translate.query_params(request, exclude={"thread_id", "checkpoint_id"})
            found, _ = await self.call(context, "GET", path, params=params)
        return threads_pb2.GetThreadStateResponse(state=_state(found))

    @boundary.unary
    async def GetThreadHistory(
        self, request: threads_pb2.GetThreadHistoryRequest, context: Context
    ) -> threads_pb2.GetThreadHistoryResponse:
        path = routes.thread(request.thread_id, "/history")
        found, _ = await self.call(context, "POST", path, body=translate.history_body(request))
        states = resources.to_messages(resources_pb2.ThreadState, found, "a thread state")
        return threads_pb2.GetThreadHistoryResponse(states=states)

    @boundary.unary
    async def UpdateThreadState(
        self, request: threads_pb2.UpdateThreadStateRequest, context: Context
    ) -> threads_pb2.UpdateThreadStateResponse:
        path = routes.thread_state(request.thread_id)
        body = translate.request_body(request, exclude={"thread_id"})
        found, _ = await self.call(context, "POST", path, body=body)
        response = threads_pb2.UpdateThreadStateResponse()
        resources.fill(response, found, "a state update")
        return response

    @boundary.unary
    async def UpdateThread(
        self, request: threads_pb2.UpdateThreadRequest, context: Context
    ) -> threads_pb2.UpdateThreadResponse:
        body = translate.request_body(request, exclude={"thread_id", "return_minimal"})
        # The upstream then answers 204 with no body: no thread to send back.
        minimal = {"prefer": "return=minimal"} if request.return_minimal else None
        path = routes.thread(request.thread_id)
        found, _ = await self.call(context, "PATCH", path, body=body, extra_headers=minimal)
        return threads_pb2.UpdateThreadResponse(thread=None if minimal else _thread(found))

    @boundary.unary
    async def CountThreads(
        self, request: threads_pb2.CountThreadsRequest, context: Context
    ) -> threads_pb2.CountThreadsResponse:
        found, _ = await self.call(context, "POST", "/threads/count", body=translate.request_body(request))
        return resources.to_message(threads_pb2.CountThreadsResponse, {"count": found}, "a count")

    @boundary.unary
    async def CopyThread(
        self, request: threads_pb2.CopyThreadRequest, context: Context
    ) -> threads_pb2.CopyThreadResponse:
        found, _ = await self.call(context, "POST", routes.thread(request.thread_id, "/copy"))
        return threads_pb2.CopyThreadResponse(thread=_thread(found))

    @boundary.unary
    async def PruneThreads(
        self, request: threads_pb2.PruneThreadsRequest, context: Context
    ) -> threads_pb2.PruneThreadsResponse:
        # thread_ids is required upstream, and proto3 cannot tell an empty list from none: always
        # sent, as langgraph-sdk does (an empty list prunes nothing).
        body = {"thread_ids": [], **translate.request_body(request)}
        found, _ = await self.call(context, "POST", "/threads/prune", body=body)
        return resources.to_message(threads_pb2.PruneThreadsResponse, found, "a prune answer")

    @boundary.server_streaming
    def JoinThreadStream(
        self, request: threads_pb2.JoinThreadStreamRequest, context: Context
    ) -> AsyncIterator[threads_pb2.JoinThreadStreamResponse | bytes]:
        # The relay's stream itself, with no generator of ours in between to hold each message.
        path = routes.thread(request.thread_id, "/stream")
        # One comma-separated `stream_modes`: the parameter the upstream reads (langgraph-sdk's
        # `stream_mode` does not reach it), and it reads only the last of several.
        params = {"stream_modes": ",".join(request.stream_modes)} if request.stream_modes else None
        return self.relay.join(
            path,
            params,
            self.headers(context),
            request.last_event_id,
            request,
            threads_pb2.JoinThreadStreamResponse,
            end_on_run_error=False,  # the thread's stream outlives any one of its runs
        )


def _thread(found: JSON) -> resources_pb2.Thread:
    return resources.to_message(resources_pb2.Thread, found, "a thread")


def _state(found: JSON) -> resources_pb2.ThreadState:
    return resources.to_message(resources_pb2.ThreadState, found, "a thread state")
