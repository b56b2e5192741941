"""`client.threads` (ThreadsService): langgraph-sdk's ThreadsClient over gRPC, async and blocking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from google.protobuf import struct_pb2

from langgraph_grpc_client import _common
from langgraph_grpc_client._build import fill
from langgraph_grpc_client._gen.langgraph_gateway.v1 import threads_pb2 as T
from langgraph_grpc_client._resources import as_dict
from langgraph_grpc_client._services._base import AsyncService, SyncService, arguments
from langgraph_grpc_client._streams import AsyncRunStream, SyncRunStream
from langgraph_grpc_client.schema import (
    Checkpoint,
    OnConflictBehavior,
    PruneStrategy,
    SortOrder,
    Thread,
    ThreadState,
    ThreadStatus,
    ThreadStreamMode,
    ThreadUpdateStateResponse,
)

TTL = int | float | Mapping[str, Any] | None
Supersteps = Sequence[Mapping[str, Sequence[Mapping[str, Any]]]] | None


def _ttl(ttl: TTL) -> Mapping[str, Any] | None:
    """As langgraph-sdk: a number of minutes means {"ttl": n, "strategy": "delete"}."""
    if isinstance(ttl, int | float):
        return {"ttl": ttl, "strategy": "delete"}
    return ttl


def _create(body: dict[str, Any]) -> T.CreateThreadRequest:
    graph_id = body.pop("graph_id")
    metadata = body.pop("metadata") or {}
    if metadata or graph_id:
        body["metadata"] = {**metadata, **({"graph_id": graph_id} if graph_id else {})}
    body["ttl"] = _ttl(body["ttl"])
    return fill(T.CreateThreadRequest(), **{k: v or None for k, v in body.items()})


def _update(thread_id: str, metadata: Mapping[str, Any], ttl: TTL) -> T.UpdateThreadRequest:
    return fill(T.UpdateThreadRequest(thread_id=thread_id), metadata=metadata, ttl=_ttl(ttl))


def _search(body: dict[str, Any]) -> T.SearchThreadsRequest:
    limit, offset = body.pop("limit"), body.pop("offset")
    request = T.SearchThreadsRequest(limit=limit, offset=offset)
    return fill(request, **{k: v or None for k, v in body.items()})  # the sdk sends only what is set


def _get_state(
    thread_id: str, checkpoint: Checkpoint | None, checkpoint_id: str | None, subgraphs: bool, select: Any
) -> T.GetThreadStateRequest:
    request = T.GetThreadStateRequest(thread_id=thread_id, subgraphs=subgraphs)
    return fill(request, checkpoint=checkpoint or None, checkpoint_id=checkpoint_id or None, select=select)


def _update_state(
    thread_id: str, values: Any, as_node: str | None, checkpoint: Checkpoint | None, checkpoint_id: str | None
) -> T.UpdateThreadStateRequest:
    request = fill(
        T.UpdateThreadStateRequest(thread_id=thread_id),
        values=values,
        as_node=as_node or None,
        checkpoint=checkpoint or None,
        checkpoint_id=checkpoint_id or None,
    )
    if values is None:  # sent as JSON null, as the sdk sends it
        request.values.null_value = struct_pb2.NULL_VALUE
    return request


def _history(
    thread_id: str, limit: int, before: str | Checkpoint | None, **rest: Any
) -> T.GetThreadHistoryRequest:
    request = T.GetThreadHistoryRequest(thread_id=thread_id, limit=limit)
    if isinstance(before, str):
        rest["before_checkpoint_id"] = before or None
    else:
        rest["before"] = before or None
    return fill(request, **{k: v or None for k, v in rest.items()})


def _join(
    thread_id: str, last_event_id: str | None, stream_mode: Any, data_format: str
) -> T.JoinThreadStreamRequest:
    request = fill(
        T.JoinThreadStreamRequest(thread_id=thread_id), last_event_id=last_event_id, stream_modes=stream_mode
    )
    if data_format == "json":
        fill(request, data_format="json")
    return request


def _thread(answer: Any) -> Thread:
    return cast(Thread, as_dict(answer.thread))


def _state(state: Any) -> ThreadState:
    return cast(ThreadState, as_dict(state))


class ThreadsClient(AsyncService):
    """Threads and their state, as langgraph-sdk's `client.threads`.

        state = await client.threads.get_state(thread_id)
        await client.threads.update_state(thread_id, {"count": 41}, as_node="__start__")

    Every method also takes `timeout` (this call's deadline, seconds); `params` is refused.
    """

    SERVICE = "ThreadsService"

    async def get(
        self,
        thread_id: str,
        *,
        include: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """The thread (GetThread); `include=["ttl"]` adds its TTL."""
        _common.unsupported(params=params)
        request = fill(T.GetThreadRequest(thread_id=thread_id), include=include)
        return _thread(await self._call("GetThread", request, headers, timeout))

    async def create(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        thread_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        supersteps: Supersteps = None,
        graph_id: str | None = None,
        ttl: TTL = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """A new thread (CreateThread); `graph_id` goes into its metadata, as the sdk puts it."""
        _common.unsupported(params=params)
        request = _create(arguments(locals()))
        return _thread(await self._call("CreateThread", request, headers, timeout))

    async def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, Any],
        ttl: TTL = None,
        return_minimal: bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread | None:
        """Merge metadata into the thread, set its TTL (UpdateThread); None with return_minimal."""
        _common.unsupported(params=params)
        answer = await self._call("UpdateThread", _update(thread_id, metadata, ttl), headers, timeout)
        return None if return_minimal else _thread(answer)

    async def delete(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the thread (DeleteThread)."""
        _common.unsupported(params=params)
        await self._call("DeleteThread", T.DeleteThreadRequest(thread_id=thread_id), headers, timeout)

    async def search(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        ids: Sequence[str] | None = None,
        status: ThreadStatus | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        extract: dict[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[Thread]:
        """One page of threads (SearchThreads)."""
        _common.unsupported(params=params)
        answer = await self._call("SearchThreads", _search(arguments(locals())), headers, timeout)
        return [cast(Thread, as_dict(t)) for t in answer.threads]

    async def count(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        status: ThreadStatus | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many threads match (CountThreads)."""
        _common.unsupported(params=params)
        request = fill(
            T.CountThreadsRequest(), metadata=metadata or None, values=values or None, status=status
        )
        answer: T.CountThreadsResponse = await self._call("CountThreads", request, headers, timeout)
        return answer.count

    async def copy(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """A copy of the thread, with its history, under a new id (CopyThread): the new thread,
        which is what the server answers the sdk too (its annotation says None)."""
        _common.unsupported(params=params)
        return _thread(
            await self._call("CopyThread", T.CopyThreadRequest(thread_id=thread_id), headers, timeout)
        )

    async def prune(
        self,
        thread_ids: Sequence[str],
        *,
        strategy: PruneStrategy = "delete",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Delete the threads, or only their older checkpoints ("keep_latest") (PruneThreads):
        {"pruned_count": n}."""
        _common.unsupported(params=params)
        request = T.PruneThreadsRequest(
            thread_ids=thread_ids, strategy="" if strategy == "delete" else strategy
        )
        answer: T.PruneThreadsResponse = await self._call("PruneThreads", request, headers, timeout)
        return {"pruned_count": answer.pruned_count}

    async def get_state(
        self,
        thread_id: str,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        *,
        subgraphs: bool = False,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> ThreadState:
        """The thread's state: the latest, or at a checkpoint (GetThreadState)."""
        _common.unsupported(params=params)
        request = _get_state(thread_id, checkpoint, checkpoint_id, subgraphs, select)
        answer: T.GetThreadStateResponse = await self._call("GetThreadState", request, headers, timeout)
        return _state(answer.state)

    async def update_state(
        self,
        thread_id: str,
        values: dict[str, Any] | Sequence[dict[str, Any]] | None,
        *,
        as_node: str | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> ThreadUpdateStateResponse:
        """Write values as if `as_node` had just run: a new checkpoint (UpdateThreadState)."""
        _common.unsupported(params=params)
        request = _update_state(thread_id, values, as_node, checkpoint, checkpoint_id)
        answer: T.UpdateThreadStateResponse = await self._call("UpdateThreadState", request, headers, timeout)
        return cast(ThreadUpdateStateResponse, as_dict(answer))

    async def get_history(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        before: str | Checkpoint | None = None,
        metadata: Mapping[str, Any] | None = None,
        checkpoint: Checkpoint | None = None,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[ThreadState]:
        """The thread's states, newest first (GetThreadHistory)."""
        _common.unsupported(params=params)
        request = _history(thread_id, limit, before, metadata=metadata, checkpoint=checkpoint, select=select)
        answer: T.GetThreadHistoryResponse = await self._call("GetThreadHistory", request, headers, timeout)
        return [_state(s) for s in answer.states]

    async def join_stream(
        self,
        thread_id: str,
        *,
        last_event_id: str | None = None,
        stream_mode: ThreadStreamMode | Sequence[ThreadStreamMode] = "run_modes",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> AsyncRunStream:
        """Everything that happens on the thread, as StreamParts (JoinThreadStream). It never
        ends by itself: leave it (break, `aclose()`) or give a `timeout`. As the sdk's, await
        the call, then iterate: `async for part in await client.threads.join_stream(t)`."""
        _common.unsupported(params=params)
        request = _join(thread_id, last_event_id, stream_mode, self._client.data_format)
        return self._stream("JoinThreadStream", request, headers, timeout)


class SyncThreadsClient(SyncService):
    """The blocking twin of ThreadsClient: the same methods and arguments."""

    SERVICE = "ThreadsService"

    def get(
        self,
        thread_id: str,
        *,
        include: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """The thread (GetThread)."""
        _common.unsupported(params=params)
        request = fill(T.GetThreadRequest(thread_id=thread_id), include=include)
        return _thread(self._call("GetThread", request, headers, timeout))

    def create(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        thread_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        supersteps: Supersteps = None,
        graph_id: str | None = None,
        ttl: TTL = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """A new thread (CreateThread)."""
        _common.unsupported(params=params)
        return _thread(self._call("CreateThread", _create(arguments(locals())), headers, timeout))

    def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, Any],
        ttl: TTL = None,
        return_minimal: bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread | None:
        """Merge metadata into the thread, set its TTL (UpdateThread)."""
        _common.unsupported(params=params)
        answer = self._call("UpdateThread", _update(thread_id, metadata, ttl), headers, timeout)
        return None if return_minimal else _thread(answer)

    def delete(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the thread (DeleteThread)."""
        _common.unsupported(params=params)
        self._call("DeleteThread", T.DeleteThreadRequest(thread_id=thread_id), headers, timeout)

    def search(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        ids: Sequence[str] | None = None,
        status: ThreadStatus | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        extract: dict[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[Thread]:
        """One page of threads (SearchThreads)."""
        _common.unsupported(params=params)
        answer = self._call("SearchThreads", _search(arguments(locals())), headers, timeout)
        return [cast(Thread, as_dict(t)) for t in answer.threads]

    def count(
        self,
        *,
        metadata: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        status: ThreadStatus | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many threads match (CountThreads)."""
        _common.unsupported(params=params)
        request = fill(
            T.CountThreadsRequest(), metadata=metadata or None, values=values or None, status=status
        )
        answer: T.CountThreadsResponse = self._call("CountThreads", request, headers, timeout)
        return answer.count

    def copy(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Thread:
        """A copy of the thread under a new id (CopyThread): the new thread."""
        _common.unsupported(params=params)
        return _thread(self._call("CopyThread", T.CopyThreadRequest(thread_id=thread_id), headers, timeout))

    def prune(
        self,
        thread_ids: Sequence[str],
        *,
        strategy: PruneStrategy = "delete",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Delete the threads, or only their older checkpoints (PruneThreads)."""
        _common.unsupported(params=params)
        request = T.PruneThreadsRequest(
            thread_ids=thread_ids, strategy="" if strategy == "delete" else strategy
        )
        answer: T.PruneThreadsResponse = self._call("PruneThreads", request, headers, timeout)
        return {"pruned_count": answer.pruned_count}

    def get_state(
        self,
        thread_id: str,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        *,
        subgraphs: bool = False,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> ThreadState:
        """The thread's state: the latest, or at a checkpoint (GetThreadState)."""
        _common.unsupported(params=params)
        request = _get_state(thread_id, checkpoint, checkpoint_id, subgraphs, select)
        answer: T.GetThreadStateResponse = self._call("GetThreadState", request, headers, timeout)
        return _state(answer.state)

    def update_state(
        self,
        thread_id: str,
        values: dict[str, Any] | Sequence[dict[str, Any]] | None,
        *,
        as_node: str | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> ThreadUpdateStateResponse:
        """Write values as if `as_node` had just run (UpdateThreadState)."""
        _common.unsupported(params=params)
        request = _update_state(thread_id, values, as_node, checkpoint, checkpoint_id)
        answer: T.UpdateThreadStateResponse = self._call("UpdateThreadState", request, headers, timeout)
        return cast(ThreadUpdateStateResponse, as_dict(answer))

    def get_history(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        before: str | Checkpoint | None = None,
        metadata: Mapping[str, Any] | None = None,
        checkpoint: Checkpoint | None = None,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[ThreadState]:
        """The thread's states, newest first (GetThreadHistory)."""
        _common.unsupported(params=params)
        request = _history(thread_id, limit, before, metadata=metadata, checkpoint=checkpoint, select=select)
        answer: T.GetThreadHistoryResponse = self._call("GetThreadHistory", request, headers, timeout)
        return [_state(s) for s in answer.states]

    def join_stream(
        self,
        thread_id: str,
        *,
        stream_mode: ThreadStreamMode | Sequence[ThreadStreamMode] = "run_modes",
        last_event_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> SyncRunStream:
        """Everything that happens on the thread, as StreamParts (JoinThreadStream); it never
        ends by itself: `close()` it or give a `timeout`."""
        _common.unsupported(params=params)
        request = _join(thread_id, last_event_id, stream_mode, self._client.data_format)
        return self._stream("JoinThreadStream", request, headers, timeout)
