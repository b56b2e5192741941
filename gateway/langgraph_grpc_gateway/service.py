"""The RunsService servicer: glue between gRPC calls, translation and the upstream client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc
from langgraph_gateway.v1 import runs_pb2, runs_pb2_grpc

from . import boundary, headers, routes, translate
from .config import Settings
from .upstream import Answer, Upstream

Context = grpc.aio.ServicerContext[Any, Any]


class RunsService(runs_pb2_grpc.RunsServiceServicer):
    def __init__(self, upstream: Upstream, settings: Settings) -> None:
        self._upstream = upstream
        self._settings = settings

    @boundary.server_streaming
    async def StreamRun(
        self, request: runs_pb2.StreamRunRequest, context: Context
    ) -> AsyncIterator[runs_pb2.StreamRunResponse]:
        path, body, upstream_headers = self._prepare(request, context, "stream")
        async with self._upstream.post(path, body, upstream_headers) as answer:
            await _send_ids(context, answer)
            async for event in answer.events():
                yield translate.stream_message(event)
                if failure := translate.run_error(event):
                    raise failure

    @boundary.unary
    async def WaitRun(self, request: runs_pb2.WaitRunRequest, context: Context) -> runs_pb2.WaitRunResponse:
        path, body, upstream_headers = self._prepare(request, context, "wait")
        async with self._upstream.post(path, body, upstream_headers) as answer:
            run_id, thread_id = await _send_ids(context, answer)
            raw = await answer.body()
        values = translate.parse_json(raw, "a /runs/wait answer")
        return translate.wait_response(values, run_id, thread_id)

    def _prepare(
        self, request: translate.RunRequest, context: Context, action: str
    ) -> tuple[str, bytes, dict[str, str]]:
        """Everything checked and built before the upstream is called: bad input never reaches it."""
        path = routes.run_create(request.thread_id if request.HasField("thread_id") else None, action)
        body = translate.encode_body(translate.run_body(request))
        upstream_headers = headers.upstream_headers(
            context.invocation_metadata(),
            forwarded=self._settings.forward_metadata,
            api_key=self._settings.upstream_api_key,
        )
        return path, body, upstream_headers


async def _send_ids(context: Context, answer: Answer) -> tuple[str, str]:
    """Tell the client its run (and thread) as soon as the upstream answered, before any event."""
    run_id, thread_id = routes.ids_from_content_location(answer.headers.get("content-location"))
    await context.send_initial_metadata(headers.run_metadata(run_id, thread_id))
    return run_id, thread_id
