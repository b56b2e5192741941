"""langgraph-sdk's `client.runs` calls besides stream and wait (which are in _async / _sync):
background runs, their listing, joining, cancelling and deletion, async and blocking."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from langgraph_grpc_client import _common
from langgraph_grpc_client._build import fill
from langgraph_grpc_client._gen.langgraph_gateway.v1 import runs_pb2 as R
from langgraph_grpc_client._resources import as_dict
from langgraph_grpc_client._services._base import AsyncService, SyncService, arguments
from langgraph_grpc_client._streams import AsyncRunStream, SyncRunStream
from langgraph_grpc_client.schema import (
    All,
    Checkpoint,
    Command,
    Config,
    Context,
    Durability,
    IfNotExists,
    Input,
    MultitaskStrategy,
    OnCompletionBehavior,
    Run,
    RunCreateMetadata,
    StreamMode,
)


def _create(thread_id: str | None, assistant_id: str, body: dict[str, Any]) -> R.CreateRunRequest:
    body.pop("on_run_created")
    return _common.build_run_request(
        R.CreateRunRequest, thread_id=thread_id, assistant_id=assistant_id, **body
    )


def _created(answer: R.CreateRunResponse, on_run_created: Callable[[RunCreateMetadata], None] | None) -> Run:
    run = cast(Run, as_dict(answer.run))
    if on_run_created is not None:
        on_run_created(RunCreateMetadata(run_id=run["run_id"], thread_id=run["thread_id"] or None))
    return run


def _batch(payloads: Sequence[Mapping[str, Any]]) -> R.CreateRunsRequest:
    runs = [
        _common.build_run_request(
            R.CreateRunRequest,
            thread_id=payload.get("thread_id"),
            assistant_id=payload["assistant_id"],
            **{k: v for k, v in payload.items() if k not in ("thread_id", "assistant_id")},
        )
        for payload in payloads
    ]
    return R.CreateRunsRequest(runs=runs)


def _runs(answer: Any) -> builtins.list[Run]:
    return [cast(Run, as_dict(r)) for r in answer.runs]


def _join_stream(
    thread_id: str,
    run_id: str,
    cancel_on_disconnect: bool,
    stream_mode: Any,
    last_event_id: str | None,
    data_format: str,
) -> R.JoinStreamRequest:
    request = R.JoinStreamRequest(
        thread_id=thread_id, run_id=run_id, cancel_on_disconnect=cancel_on_disconnect
    )
    fill(request, stream_mode=stream_mode, last_event_id=last_event_id)
    if data_format == "json":
        fill(request, data_format="json")
    return request


def _joined(answer: R.JoinRunResponse) -> dict[str, Any]:
    values: dict[str, Any] = _common.final_values(answer)
    return values


class AsyncRunsExtras(AsyncService):
    """Background runs and run management, with langgraph-sdk's `client.runs` signatures."""

    SERVICE = "RunsService"

    async def create(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        on_completion: OnCompletionBehavior | None = None,
        after_seconds: float | None = None,
        langsmith_tracing: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        timeout: float | None = None,
    ) -> Run:
        """A background run (CreateRun): the Run, at once; `join` waits for its values."""
        _common.unsupported(params=params)
        request = _create(thread_id, assistant_id, arguments(locals(), "thread_id", "assistant_id"))
        return _created(await self._call("CreateRun", request, headers, timeout), on_run_created)

    async def create_batch(
        self,
        payloads: builtins.list[Mapping[str, Any]],
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> builtins.list[Run]:
        """Several stateless background runs at once (CreateRuns); each payload is create's
        keyword arguments with `assistant_id`."""
        _common.unsupported(params=params)
        return _runs(await self._call("CreateRuns", _batch(payloads), headers, timeout))

    async def list(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        offset: int = 0,
        status: str | None = None,
        select: builtins.list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> builtins.list[Run]:
        """The thread's runs, newest first (ListRuns)."""
        _common.unsupported(params=params)
        request = fill(
            R.ListRunsRequest(thread_id=thread_id, limit=limit, offset=offset), status=status, select=select
        )
        return _runs(await self._call("ListRuns", request, headers, timeout))

    async def get(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Run:
        """The run (GetRun)."""
        _common.unsupported(params=params)
        answer = await self._call(
            "GetRun", R.GetRunRequest(thread_id=thread_id, run_id=run_id), headers, timeout
        )
        return cast(Run, as_dict(answer.run))

    async def cancel(
        self,
        thread_id: str,
        run_id: str,
        *,
        wait: bool = False,
        action: str = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Cancel the run (CancelRun); `wait` until it has stopped; action "rollback" also
        deletes it."""
        _common.unsupported(params=params)
        request = R.CancelRunRequest(thread_id=thread_id, run_id=run_id, wait=wait, action=action)
        await self._call("CancelRun", request, headers, timeout)

    async def cancel_many(
        self,
        *,
        thread_id: str | None = None,
        run_ids: Sequence[str] | None = None,
        status: str | None = None,
        action: str = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Cancel the runs named, or every run with a status (CancelRuns)."""
        _common.unsupported(params=params)
        request = fill(
            R.CancelRunsRequest(action=action), thread_id=thread_id, run_ids=run_ids, status=status
        )
        await self._call("CancelRuns", request, headers, timeout)

    async def join(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Wait for the run to finish; its final values (JoinRun)."""
        _common.unsupported(params=params)
        request = fill(R.JoinRunRequest(thread_id=thread_id, run_id=run_id))
        if self._client.data_format == "json":
            fill(request, data_format="json")
        return _joined(await self._call("JoinRun", request, headers, timeout))

    def join_stream(
        self,
        thread_id: str,
        run_id: str,
        *,
        cancel_on_disconnect: bool = False,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        last_event_id: str | None = None,
        timeout: float | None = None,
    ) -> AsyncRunStream:
        """The run's events, running or finished (JoinStream): after `last_event_id`, when given
        (the run must be stream_resumable)."""
        _common.unsupported(params=params)
        request = _join_stream(
            thread_id, run_id, cancel_on_disconnect, stream_mode, last_event_id, self._client.data_format
        )
        return self._stream("JoinStream", request, headers, timeout)

    async def delete(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the run (DeleteRun)."""
        _common.unsupported(params=params)
        await self._call(
            "DeleteRun", R.DeleteRunRequest(thread_id=thread_id, run_id=run_id), headers, timeout
        )


class SyncRunsExtras(SyncService):
    """The blocking twin of AsyncRunsExtras: the same methods and arguments."""

    SERVICE = "RunsService"

    def create(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        on_completion: OnCompletionBehavior | None = None,
        after_seconds: float | None = None,
        langsmith_tracing: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        timeout: float | None = None,
    ) -> Run:
        """A background run (CreateRun)."""
        _common.unsupported(params=params)
        request = _create(thread_id, assistant_id, arguments(locals(), "thread_id", "assistant_id"))
        return _created(self._call("CreateRun", request, headers, timeout), on_run_created)

    def create_batch(
        self,
        payloads: builtins.list[Mapping[str, Any]],
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> builtins.list[Run]:
        """Several stateless background runs at once (CreateRuns)."""
        _common.unsupported(params=params)
        return _runs(self._call("CreateRuns", _batch(payloads), headers, timeout))

    def list(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        offset: int = 0,
        status: str | None = None,
        select: builtins.list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> builtins.list[Run]:
        """The thread's runs, newest first (ListRuns)."""
        _common.unsupported(params=params)
        request = fill(
            R.ListRunsRequest(thread_id=thread_id, limit=limit, offset=offset), status=status, select=select
        )
        return _runs(self._call("ListRuns", request, headers, timeout))

    def get(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Run:
        """The run (GetRun)."""
        _common.unsupported(params=params)
        answer = self._call("GetRun", R.GetRunRequest(thread_id=thread_id, run_id=run_id), headers, timeout)
        return cast(Run, as_dict(answer.run))

    def cancel(
        self,
        thread_id: str,
        run_id: str,
        *,
        wait: bool = False,
        action: str = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Cancel the run (CancelRun)."""
        _common.unsupported(params=params)
        request = R.CancelRunRequest(thread_id=thread_id, run_id=run_id, wait=wait, action=action)
        self._call("CancelRun", request, headers, timeout)

    def cancel_many(
        self,
        *,
        thread_id: str | None = None,
        run_ids: Sequence[str] | None = None,
        status: str | None = None,
        action: str = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Cancel the runs named, or every run with a status (CancelRuns)."""
        _common.unsupported(params=params)
        request = fill(
            R.CancelRunsRequest(action=action), thread_id=thread_id, run_ids=run_ids, status=status
        )
        self._call("CancelRuns", request, headers, timeout)

    def join(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Wait for the run to finish; its final values (JoinRun)."""
        _common.unsupported(params=params)
        request = R.JoinRunRequest(thread_id=thread_id, run_id=run_id)
        if self._client.data_format == "json":
            fill(request, data_format="json")
        return _joined(self._call("JoinRun", request, headers, timeout))

    def join_stream(
        self,
        thread_id: str,
        run_id: str,
        *,
        cancel_on_disconnect: bool = False,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        last_event_id: str | None = None,
        timeout: float | None = None,
    ) -> SyncRunStream:
        """The run's events, running or finished (JoinStream)."""
        _common.unsupported(params=params)
        request = _join_stream(
            thread_id, run_id, cancel_on_disconnect, stream_mode, last_event_id, self._client.data_format
        )
        return self._stream("JoinStream", request, headers, timeout)

    def delete(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete the run (DeleteRun)."""
        _common.unsupported(params=params)
        self._call("DeleteRun", R.DeleteRunRequest(thread_id=thread_id, run_id=run_id), headers, timeout)
