"""`client.crons` (CronsService): langgraph-sdk's CronClient over gRPC, async and blocking."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, cast

from google.protobuf import struct_pb2

from langgraph_grpc_client import _common
from langgraph_grpc_client._build import fill
from langgraph_grpc_client._common import NOT_PROVIDED
from langgraph_grpc_client._gen.langgraph_gateway.v1 import crons_pb2
from langgraph_grpc_client._resources import as_dict
from langgraph_grpc_client._services._base import AsyncService, SyncService, arguments
from langgraph_grpc_client.schema import (
    All,
    Config,
    Context,
    Cron,
    Durability,
    Input,
    OnCompletionBehavior,
    SortOrder,
    StreamMode,
)

Timezone = str | datetime.tzinfo | None


def _timezone(tz: Timezone) -> str | None:
    """An IANA name for a tzinfo, as langgraph-sdk sends it (ZoneInfo's key, else its tzname)."""
    if tz is None or isinstance(tz, str):
        return tz
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    name = tz.tzname(None)
    if name is None:
        raise ValueError(f"cannot resolve timezone {tz!r} to a name")
    return name


def _end_time(end_time: datetime.datetime | None) -> str | None:
    return end_time.isoformat() if end_time else None


def _create(thread_id: str | None, assistant_id: str, schedule: str, body: dict[str, Any]) -> Any:
    if body.get("checkpoint_during") is not None:
        warnings.warn(
            "`checkpoint_during` is deprecated and will be removed in a future version. "
            "Use `durability` instead.",
            DeprecationWarning,
            stacklevel=3,  # the caller of crons.create(...)
        )
    body["end_time"] = _end_time(body.get("end_time"))
    body["timezone"] = _timezone(body.get("timezone"))
    request = crons_pb2.CreateCronRequest(assistant_id=assistant_id, schedule=schedule)
    if thread_id is not None:
        request.thread_id = thread_id
    return fill(request, **body)


def _update(cron_id: str, end_time: Any, body: dict[str, Any]) -> Any:
    body["timezone"] = _timezone(body.get("timezone"))
    request = fill(crons_pb2.UpdateCronRequest(cron_id=cron_id), **body)
    if end_time is not NOT_PROVIDED:  # None clears the end time: a JSON null
        request.end_time.CopyFrom(
            struct_pb2.Value(string_value=end_time.isoformat())
            if end_time is not None
            else struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
        )
    return request


def _cron(answer: Any) -> Cron:
    return cast(Cron, as_dict(answer.cron))


def _crons(answer: crons_pb2.SearchCronsResponse) -> list[Cron]:
    return [cast(Cron, as_dict(c)) for c in answer.crons]


class CronClient(AsyncService):
    """Runs on a schedule, as langgraph-sdk's `client.crons`.

        cron = await client.crons.create("agent", schedule="0 9 * * 1-5", input={...})
        await client.crons.delete(cron["cron_id"])

    Every method also takes `timeout` (this call's deadline, seconds); `params` is refused.
    """

    SERVICE = "CronsService"

    async def create_for_thread(
        self,
        thread_id: str,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime.datetime | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """A cron whose every run goes to this thread (CreateCron with thread_id)."""
        body = arguments(locals(), "thread_id", "assistant_id", "schedule")
        _common.unsupported(params=params)
        request = _create(thread_id, assistant_id, schedule, body)
        return _cron(await self._call("CreateCron", request, headers, timeout))

    async def create(
        self,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime.datetime | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """A stateless cron: each run on a new thread (CreateCron)."""
        body = arguments(locals(), "assistant_id", "schedule")
        _common.unsupported(params=params)
        request = _create(None, assistant_id, schedule, body)
        return _cron(await self._call("CreateCron", request, headers, timeout))

    async def delete(
        self,
        cron_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete a cron (DeleteCron)."""
        _common.unsupported(params=params)
        await self._call("DeleteCron", crons_pb2.DeleteCronRequest(cron_id=cron_id), headers, timeout)

    async def update(
        self,
        cron_id: str,
        *,
        schedule: str | None = None,
        end_time: datetime.datetime | None = NOT_PROVIDED,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        webhook: str | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """Change the fields given; `end_time=None` clears the end (UpdateCron)."""
        body = arguments(locals(), "cron_id", "end_time")
        _common.unsupported(params=params)
        return _cron(await self._call("UpdateCron", _update(cron_id, end_time, body), headers, timeout))

    async def search(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        enabled: bool | None = None,
        metadata: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[Cron]:
        """One page of crons (SearchCrons)."""
        body = arguments(locals())
        _common.unsupported(params=params)
        request = fill(crons_pb2.SearchCronsRequest(), **body)
        return _crons(await self._call("SearchCrons", request, headers, timeout))

    async def count(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many crons match (CountCrons)."""
        _common.unsupported(params=params)
        request = fill(
            crons_pb2.CountCronsRequest(), assistant_id=assistant_id, thread_id=thread_id, metadata=metadata
        )
        answer: crons_pb2.CountCronsResponse = await self._call("CountCrons", request, headers, timeout)
        return answer.count


class SyncCronClient(SyncService):
    """The blocking twin of CronClient: the same methods and arguments."""

    SERVICE = "CronsService"

    def create_for_thread(
        self,
        thread_id: str,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime.datetime | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """A cron whose every run goes to this thread (CreateCron with thread_id)."""
        body = arguments(locals(), "thread_id", "assistant_id", "schedule")
        _common.unsupported(params=params)
        return _cron(
            self._call("CreateCron", _create(thread_id, assistant_id, schedule, body), headers, timeout)
        )

    def create(
        self,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime.datetime | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """A stateless cron: each run on a new thread (CreateCron)."""
        body = arguments(locals(), "assistant_id", "schedule")
        _common.unsupported(params=params)
        return _cron(self._call("CreateCron", _create(None, assistant_id, schedule, body), headers, timeout))

    def delete(
        self,
        cron_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Delete a cron (DeleteCron)."""
        _common.unsupported(params=params)
        self._call("DeleteCron", crons_pb2.DeleteCronRequest(cron_id=cron_id), headers, timeout)

    def update(
        self,
        cron_id: str,
        *,
        schedule: str | None = None,
        end_time: datetime.datetime | None = NOT_PROVIDED,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        webhook: str | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        enabled: bool | None = None,
        timezone: Timezone = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Cron:
        """Change the fields given; `end_time=None` clears the end (UpdateCron)."""
        body = arguments(locals(), "cron_id", "end_time")
        _common.unsupported(params=params)
        return _cron(self._call("UpdateCron", _update(cron_id, end_time, body), headers, timeout))

    def search(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        enabled: bool | None = None,
        metadata: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: SortOrder | None = None,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> list[Cron]:
        """One page of crons (SearchCrons)."""
        body = arguments(locals())
        _common.unsupported(params=params)
        return _crons(
            self._call("SearchCrons", fill(crons_pb2.SearchCronsRequest(), **body), headers, timeout)
        )

    def count(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> int:
        """How many crons match (CountCrons)."""
        _common.unsupported(params=params)
        request = fill(
            crons_pb2.CountCronsRequest(), assistant_id=assistant_id, thread_id=thread_id, metadata=metadata
        )
        answer: crons_pb2.CountCronsResponse = self._call("CountCrons", request, headers, timeout)
        return answer.count
