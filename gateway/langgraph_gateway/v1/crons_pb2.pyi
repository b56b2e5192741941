from google.protobuf import struct_pb2 as _struct_pb2
from langgraph_gateway.v1 import runs_pb2 as _runs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Cron(_message.Message):
    __slots__ = ("cron_id", "assistant_id", "thread_id", "on_run_completed", "end_time", "schedule", "timezone", "created_at", "updated_at", "payload", "user_id", "next_run_date", "metadata", "enabled")
    CRON_ID_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ON_RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_RUN_DATE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    cron_id: str
    assistant_id: str
    thread_id: str
    on_run_completed: str
    end_time: str
    schedule: str
    timezone: str
    created_at: str
    updated_at: str
    payload: _struct_pb2.Struct
    user_id: str
    next_run_date: str
    metadata: _struct_pb2.Struct
    enabled: bool
    def __init__(self, cron_id: _Optional[str] = ..., assistant_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., on_run_completed: _Optional[str] = ..., end_time: _Optional[str] = ..., schedule: _Optional[str] = ..., timezone: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., user_id: _Optional[str] = ..., next_run_date: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., enabled: _Optional[bool] = ...) -> None: ...

class CreateCronRequest(_message.Message):
    __slots__ = ("thread_id", "assistant_id", "schedule", "input", "metadata", "config", "context", "checkpoint_during", "interrupt_before", "interrupt_after", "webhook", "on_run_completed", "multitask_strategy", "end_time", "enabled", "timezone", "stream_mode", "stream_subgraphs", "stream_resumable", "durability")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_DURING_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_AFTER_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    ON_RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    MULTITASK_STRATEGY_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    STREAM_RESUMABLE_FIELD_NUMBER: _ClassVar[int]
    DURABILITY_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    assistant_id: str
    schedule: str
    input: _struct_pb2.Value
    metadata: _struct_pb2.Struct
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    checkpoint_during: bool
    interrupt_before: _containers.RepeatedScalarFieldContainer[str]
    interrupt_after: _containers.RepeatedScalarFieldContainer[str]
    webhook: str
    on_run_completed: _runs_pb2.OnCompletion
    multitask_strategy: _runs_pb2.MultitaskStrategy
    end_time: str
    enabled: bool
    timezone: str
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    stream_subgraphs: bool
    stream_resumable: bool
    durability: _runs_pb2.Durability
    def __init__(self, thread_id: _Optional[str] = ..., assistant_id: _Optional[str] = ..., schedule: _Optional[str] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., checkpoint_during: _Optional[bool] = ..., interrupt_before: _Optional[_Iterable[str]] = ..., interrupt_after: _Optional[_Iterable[str]] = ..., webhook: _Optional[str] = ..., on_run_completed: _Optional[_Union[_runs_pb2.OnCompletion, str]] = ..., multitask_strategy: _Optional[_Union[_runs_pb2.MultitaskStrategy, str]] = ..., end_time: _Optional[str] = ..., enabled: _Optional[bool] = ..., timezone: _Optional[str] = ..., stream_mode: _Optional[_Iterable[str]] = ..., stream_subgraphs: _Optional[bool] = ..., stream_resumable: _Optional[bool] = ..., durability: _Optional[_Union[_runs_pb2.Durability, str]] = ...) -> None: ...

class CreateCronResponse(_message.Message):
    __slots__ = ("cron",)
    CRON_FIELD_NUMBER: _ClassVar[int]
    cron: Cron
    def __init__(self, cron: _Optional[_Union[Cron, _Mapping]] = ...) -> None: ...

class GetCronRequest(_message.Message):
    __slots__ = ("cron_id",)
    CRON_ID_FIELD_NUMBER: _ClassVar[int]
    cron_id: str
    def __init__(self, cron_id: _Optional[str] = ...) -> None: ...

class GetCronResponse(_message.Message):
    __slots__ = ("cron",)
    CRON_FIELD_NUMBER: _ClassVar[int]
    cron: Cron
    def __init__(self, cron: _Optional[_Union[Cron, _Mapping]] = ...) -> None: ...

class UpdateCronRequest(_message.Message):
    __slots__ = ("cron_id", "schedule", "end_time", "input", "metadata", "config", "context", "webhook", "interrupt_before", "interrupt_after", "on_run_completed", "enabled", "timezone", "stream_mode", "stream_subgraphs", "stream_resumable", "durability")
    CRON_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_AFTER_FIELD_NUMBER: _ClassVar[int]
    ON_RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    STREAM_RESUMABLE_FIELD_NUMBER: _ClassVar[int]
    DURABILITY_FIELD_NUMBER: _ClassVar[int]
    cron_id: str
    schedule: str
    end_time: _struct_pb2.Value
    input: _struct_pb2.Value
    metadata: _struct_pb2.Struct
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    webhook: str
    interrupt_before: _containers.RepeatedScalarFieldContainer[str]
    interrupt_after: _containers.RepeatedScalarFieldContainer[str]
    on_run_completed: _runs_pb2.OnCompletion
    enabled: bool
    timezone: str
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    stream_subgraphs: bool
    stream_resumable: bool
    durability: _runs_pb2.Durability
    def __init__(self, cron_id: _Optional[str] = ..., schedule: _Optional[str] = ..., end_time: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., webhook: _Optional[str] = ..., interrupt_before: _Optional[_Iterable[str]] = ..., interrupt_after: _Optional[_Iterable[str]] = ..., on_run_completed: _Optional[_Union[_runs_pb2.OnCompletion, str]] = ..., enabled: _Optional[bool] = ..., timezone: _Optional[str] = ..., stream_mode: _Optional[_Iterable[str]] = ..., stream_subgraphs: _Optional[bool] = ..., stream_resumable: _Optional[bool] = ..., durability: _Optional[_Union[_runs_pb2.Durability, str]] = ...) -> None: ...

class UpdateCronResponse(_message.Message):
    __slots__ = ("cron",)
    CRON_FIELD_NUMBER: _ClassVar[int]
    cron: Cron
    def __init__(self, cron: _Optional[_Union[Cron, _Mapping]] = ...) -> None: ...

class DeleteCronRequest(_message.Message):
    __slots__ = ("cron_id",)
    CRON_ID_FIELD_NUMBER: _ClassVar[int]
    cron_id: str
    def __init__(self, cron_id: _Optional[str] = ...) -> None: ...

class DeleteCronResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SearchCronsRequest(_message.Message):
    __slots__ = ("assistant_id", "thread_id", "enabled", "metadata", "limit", "offset", "sort_by", "sort_order", "select")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    thread_id: str
    enabled: bool
    metadata: _struct_pb2.Struct
    limit: int
    offset: int
    sort_by: str
    sort_order: str
    select: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, assistant_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., enabled: _Optional[bool] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., sort_by: _Optional[str] = ..., sort_order: _Optional[str] = ..., select: _Optional[_Iterable[str]] = ...) -> None: ...

class SearchCronsResponse(_message.Message):
    __slots__ = ("crons", "next_offset")
    CRONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    crons: _containers.RepeatedCompositeFieldContainer[Cron]
    next_offset: int
    def __init__(self, crons: _Optional[_Iterable[_Union[Cron, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...

class CountCronsRequest(_message.Message):
    __slots__ = ("assistant_id", "thread_id", "metadata")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    thread_id: str
    metadata: _struct_pb2.Struct
    def __init__(self, assistant_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class CountCronsResponse(_message.Message):
    __slots__ = ("count",)
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...
