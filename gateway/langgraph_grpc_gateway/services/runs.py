"""RunsService: create runs (one or a batch) and deliver their output, streamed or whole; find,
join and cancel them."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

from langgraph_gateway.v1 import resources_pb2, runs_pb2, runs_pb2_grpc

from .. import boundary, errors, headers, resources, routes, streaming, translate, wire
from ..config import Settings
from ..upstream import Answer, Params, Upstream
from .base import Context, Servicer


class RunsService(Servicer, runs_pb2_grpc.RunsServiceServicer):
    def __init__(self, upstream: Upstream, settings: Settings) -> None:
        super().__init__(upstream, settings)
        self.relay = streaming.Relay(
            upstream,
            streaming.ReconnectPolicy(attempts=settings.reconnect_attempts),
            settings.max_send_message_bytes,
        )

    @boundary.server_streaming
    def StreamRun(
        self, request: runs_pb2.StreamRunRequest, context: Context
    ) -> AsyncIterator[runs_pb2.StreamRunResponse | bytes]:
        # The relay's stream itself, as for JoinStream: the run is created as it starts, and the
        # run's ids go out before its first event.
        path = routes.run_create(_thread_id(request), "stream")
        upstream_headers = self.headers(context)
        # The body is made in the call and not kept here: once it is sent, nothing holds it for
        # the rest of the run (upstream._Exchange lets it go).
        exchange = self.upstream.open("POST", path, upstream_headers, body=_run_body(request))
        return self.relay.stream(
            exchange,
            upstream_headers,
            request,
            runs_pb2.StreamRunResponse,
            opened=functools.partial(_send_ids, context),
        )

    @boundary.server_streaming
    def JoinStream(
        self, request: runs_pb2.JoinStreamRequest, context: Context
    ) -> AsyncIterator[runs_pb2.JoinStreamResponse | bytes]:
        # The relay's stream itself, with no generator of ours in between to hold each message.
        if not request.thread_id:
            raise errors.failed_precondition(
                "JoinStream needs a thread_id: stateless runs cannot be joined or resumed upstream",
                "thread_id",
            )
        path = routes.run(request.thread_id, request.run_id, "/stream")
        params: Params = {"stream_mode": list(request.stream_mode)} if request.stream_mode else {}
        if request.cancel_on_disconnect:
            params = {**params, "cancel_on_disconnect": "true"}
        return self.relay.join(
            path,
            params,
            self.headers(context),
            request.last_event_id,
            request,
            runs_pb2.JoinStreamResponse,
        )

    @boundary.unary
    async def WaitRun(self, request: runs_pb2.WaitRunRequest, context: Context) -> bytes:
        """The answer as WaitRunResponse's wire bytes. The run's ids go out with it as trailing
        metadata (and in the response, as always): one write. A client that asked for them early
        (notify_run_created, langgraph-sdk's on_run_created) gets them as initial metadata as soon
        as the upstream answers, while the run goes on: a write of their own, which grpc.aio
        cannot join to the answer's (beside the real server, about 40 k instructions and 7 system
        calls a run more)."""
        path = routes.run_create(_thread_id(request), "wait")
        exchange = self.upstream.open("POST", path, self.headers(context), body=_run_body(request))
        async with exchange as answer:  # the body is not kept here: see StreamRun
            if request.notify_run_created:
                run_id, thread_id = await _send_ids(context, answer)
            else:
                run_id, thread_id = _ids(answer)
                context.set_trailing_metadata(headers.run_metadata(run_id, thread_id))
            raw = await answer.body()
        if translate.raw_json_wanted(request):
            return wire.wait_response(translate.final_values_raw(raw), run_id, thread_id)
        return translate.wait_response(translate.parse_json(raw, "a /runs/wait answer"), run_id, thread_id)

    @boundary.unary
    async def JoinRun(self, request: runs_pb2.JoinRunRequest, context: Context) -> runs_pb2.JoinRunResponse:
        params = {"cancel_on_disconnect": "true"} if request.cancel_on_disconnect else None
        path = routes.run(request.thread_id, request.run_id, "/join")
        raw, _ = await self.upstream.fetch("GET", path, self.headers(context), params=params)
        if translate.raw_json_wanted(request):
            return runs_pb2.JoinRunResponse(values_json=translate.final_values_raw(raw))
        values = translate.parse_json(raw, "a join answer")
        translate.check_final_values(values)
        response = runs_pb2.JoinRunResponse()
        resources.fill(response, {"values": values}, "a join answer")
        return response

    @boundary.unary
    async def CreateRun(
        self, request: runs_pb2.CreateRunRequest, context: Context
    ) -> runs_pb2.CreateRunResponse:
        path = routes.run_create(_thread_id(request))
        found, _ = await self.call(context, "POST", path, body=translate.run_body(request))
        return runs_pb2.CreateRunResponse(run=resources.to_message(resources_pb2.Run, found, "a run"))

    @boundary.unary
    async def GetRun(self, request: runs_pb2.GetRunRequest, context: Context) -> runs_pb2.GetRunResponse:
        found, _ = await self.call(context, "GET", routes.run(request.thread_id, request.run_id))
        return runs_pb2.GetRunResponse(run=resources.to_message(resources_pb2.Run, found, "a run"))

    @boundary.unary
    async def ListRuns(
        self, request: runs_pb2.ListRunsRequest, context: Context
    ) -> runs_pb2.ListRunsResponse:
        params = translate.query_params(request, exclude={"thread_id"})
        found, _ = await self.call(context, "GET", routes.thread(request.thread_id, "/runs"), params=params)
        return runs_pb2.ListRunsResponse(runs=resources.to_messages(resources_pb2.Run, found, "a run"))

    @boundary.unary
    async def CancelRun(
        self, request: runs_pb2.CancelRunRequest, context: Context
    ) -> runs_pb2.CancelRunResponse:
        params = {"wait": "true"} if request.wait else {}
        if request.action:
            params["action"] = request.action
        await self.call(
            context, "POST", routes.run(request.thread_id, request.run_id, "/cancel"), params=params
        )
        return runs_pb2.CancelRunResponse()

    @boundary.unary
    async def DeleteRun(
        self, request: runs_pb2.DeleteRunRequest, context: Context
    ) -> runs_pb2.DeleteRunResponse:
        await self.call(context, "DELETE", routes.run(request.thread_id, request.run_id))
        return runs_pb2.DeleteRunResponse()

    @boundary.unary
    async def CreateRuns(
        self, request: runs_pb2.CreateRunsRequest, context: Context
    ) -> runs_pb2.CreateRunsResponse:
        found, _ = await self.call(context, "POST", "/runs/batch", body=translate.batch_body(request.runs))
        return runs_pb2.CreateRunsResponse(runs=resources.to_messages(resources_pb2.Run, found, "a run"))

    @boundary.unary
    async def CancelRuns(
        self, request: runs_pb2.CancelRunsRequest, context: Context
    ) -> runs_pb2.CancelRunsResponse:
        params = {"action": request.action} if request.action else None
        body = translate.request_body(request, exclude={"action"})
        await self.call(context, "POST", "/runs/cancel", body=body, params=params)
        return runs_pb2.CancelRunsResponse()


def _thread_id(request: translate.RunRequest) -> str | None:
    return request.thread_id if request.HasField("thread_id") else None


def _ids(answer: Answer) -> tuple[str, str]:
    return routes.ids_from_content_location(answer.headers.get("content-location"))


async def _send_ids(context: Context, answer: Answer) -> tuple[str, str]:
    """Tell the client its run (and thread) as soon as the upstream answered, before any event."""
    run_id, thread_id = _ids(answer)
    await context.send_initial_metadata(headers.run_metadata(run_id, thread_id))
    return run_id, thread_id


def _run_body(request: translate.RunRequest) -> bytes:
    return translate.encode_body(translate.run_body(request))
