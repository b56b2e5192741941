from google.protobuf import struct_pb2 as _struct_pb2
from langgraph_gateway.v1 import resources_pb2 as _resources_pb2
from langgraph_gateway.v1 import runs_pb2 as _runs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ThreadTTL(_message.Message):
    __slots__ = ("strategy", "ttl")
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    strategy: str
    ttl: float
    def __init__(self, strategy: _Optional[str] = ..., ttl: _Optional[float] = ...) -> None: ...

class CreateThreadRequest(_message.Message):
    __slots__ = ("thread_id", "metadata", "if_exists", "ttl", "supersteps")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    IF_EXISTS_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    SUPERSTEPS_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    metadata: _struct_pb2.Struct
    if_exists: str
    ttl: ThreadTTL
    supersteps: _containers.RepeatedCompositeFieldContainer[ThreadSuperstep]
    def __init__(self, thread_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., if_exists: _Optional[str] = ..., ttl: _Optional[_Union[ThreadTTL, _Mapping]] = ..., supersteps: _Optional[_Iterable[_Union[ThreadSuperstep, _Mapping]]] = ...) -> None: ...

class ThreadSuperstep(_message.Message):
    __slots__ = ("updates",)
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    updates: _containers.RepeatedCompositeFieldContainer[ThreadSuperstepUpdate]
    def __init__(self, updates: _Optional[_Iterable[_Union[ThreadSuperstepUpdate, _Mapping]]] = ...) -> None: ...

class ThreadSuperstepUpdate(_message.Message):
    __slots__ = ("values", "command", "as_node")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    AS_NODE_FIELD_NUMBER: _ClassVar[int]
    values: _struct_pb2.Value
    command: _runs_pb2.Command
    as_node: str
    def __init__(self, values: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., command: _Optional[_Union[_runs_pb2.Command, _Mapping]] = ..., as_node: _Optional[str] = ...) -> None: ...

class CreateThreadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: _resources_pb2.Thread
    def __init__(self, thread: _Optional[_Union[_resources_pb2.Thread, _Mapping]] = ...) -> None: ...

class GetThreadRequest(_message.Message):
    __slots__ = ("thread_id", "include")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    include: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, thread_id: _Optional[str] = ..., include: _Optional[_Iterable[str]] = ...) -> None: ...

class GetThreadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: _resources_pb2.Thread
    def __init__(self, thread: _Optional[_Union[_resources_pb2.Thread, _Mapping]] = ...) -> None: ...

class SearchThreadsRequest(_message.Message):
    __slots__ = ("ids", "metadata", "values", "status", "limit", "offset", "sort_by", "sort_order", "select", "extract")
    class ExtractEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IDS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    EXTRACT_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    metadata: _struct_pb2.Struct
    values: _struct_pb2.Struct
    status: str
    limit: int
    offset: int
    sort_by: str
    sort_order: str
    select: _containers.RepeatedScalarFieldContainer[str]
    extract: _containers.ScalarMap[str, str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., sort_by: _Optional[str] = ..., sort_order: _Optional[str] = ..., select: _Optional[_Iterable[str]] = ..., extract: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SearchThreadsResponse(_message.Message):
    __slots__ = ("threads", "next_offset")
    THREADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    threads: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Thread]
    next_offset: int
    def __init__(self, threads: _Optional[_Iterable[_Union[_resources_pb2.Thread, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...

class DeleteThreadRequest(_message.Message):
    __slots__ = ("thread_id",)
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    def __init__(self, thread_id: _Optional[str] = ...) -> None: ...

class DeleteThreadResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetThreadStateRequest(_message.Message):
    __slots__ = ("thread_id", "subgraphs", "checkpoint_id", "checkpoint", "select")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    subgraphs: bool
    checkpoint_id: str
    checkpoint: _resources_pb2.Checkpoint
    select: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, thread_id: _Optional[str] = ..., subgraphs: _Optional[bool] = ..., checkpoint_id: _Optional[str] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., select: _Optional[_Iterable[str]] = ...) -> None: ...

class GetThreadStateResponse(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: _resources_pb2.ThreadState
    def __init__(self, state: _Optional[_Union[_resources_pb2.ThreadState, _Mapping]] = ...) -> None: ...

class GetThreadHistoryRequest(_message.Message):
    __slots__ = ("thread_id", "limit", "before", "metadata", "checkpoint", "select", "before_checkpoint_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    limit: int
    before: _resources_pb2.Checkpoint
    metadata: _struct_pb2.Struct
    checkpoint: _resources_pb2.Checkpoint
    select: _containers.RepeatedScalarFieldContainer[str]
    before_checkpoint_id: str
    def __init__(self, thread_id: _Optional[str] = ..., limit: _Optional[int] = ..., before: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., select: _Optional[_Iterable[str]] = ..., before_checkpoint_id: _Optional[str] = ...) -> None: ...

class GetThreadHistoryResponse(_message.Message):
    __slots__ = ("states",)
    STATES_FIELD_NUMBER: _ClassVar[int]
    states: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ThreadState]
    def __init__(self, states: _Optional[_Iterable[_Union[_resources_pb2.ThreadState, _Mapping]]] = ...) -> None: ...

class UpdateThreadStateRequest(_message.Message):
    __slots__ = ("thread_id", "values", "as_node", "checkpoint", "checkpoint_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    AS_NODE_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    values: _struct_pb2.Value
    as_node: str
    checkpoint: _resources_pb2.Checkpoint
    checkpoint_id: str
    def __init__(self, thread_id: _Optional[str] = ..., values: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., as_node: _Optional[str] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., checkpoint_id: _Optional[str] = ...) -> None: ...

class UpdateThreadStateResponse(_message.Message):
    __slots__ = ("checkpoint",)
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    checkpoint: _resources_pb2.Checkpoint
    def __init__(self, checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ...) -> None: ...

class UpdateThreadRequest(_message.Message):
    __slots__ = ("thread_id", "metadata", "ttl", "return_minimal")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    RETURN_MINIMAL_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    metadata: _struct_pb2.Struct
    ttl: ThreadTTL
    return_minimal: bool
    def __init__(self, thread_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., ttl: _Optional[_Union[ThreadTTL, _Mapping]] = ..., return_minimal: _Optional[bool] = ...) -> None: ...

class UpdateThreadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: _resources_pb2.Thread
    def __init__(self, thread: _Optional[_Union[_resources_pb2.Thread, _Mapping]] = ...) -> None: ...

class CountThreadsRequest(_message.Message):
    __slots__ = ("metadata", "values", "status")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    values: _struct_pb2.Struct
    status: str
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., status: _Optional[str] = ...) -> None: ...

class CountThreadsResponse(_message.Message):
    __slots__ = ("count",)
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...

class CopyThreadRequest(_message.Message):
    __slots__ = ("thread_id",)
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    def __init__(self, thread_id: _Optional[str] = ...) -> None: ...

class CopyThreadResponse(_message.Message):
    __slots__ = ("thread",)
    THREAD_FIELD_NUMBER: _ClassVar[int]
    thread: _resources_pb2.Thread
    def __init__(self, thread: _Optional[_Union[_resources_pb2.Thread, _Mapping]] = ...) -> None: ...

class PruneThreadsRequest(_message.Message):
    __slots__ = ("thread_ids", "strategy")
    THREAD_IDS_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    thread_ids: _containers.RepeatedScalarFieldContainer[str]
    strategy: str
    def __init__(self, thread_ids: _Optional[_Iterable[str]] = ..., strategy: _Optional[str] = ...) -> None: ...

class PruneThreadsResponse(_message.Message):
    __slots__ = ("pruned_count",)
    PRUNED_COUNT_FIELD_NUMBER: _ClassVar[int]
    pruned_count: int
    def __init__(self, pruned_count: _Optional[int] = ...) -> None: ...

class JoinThreadStreamRequest(_message.Message):
    __slots__ = ("thread_id", "last_event_id", "stream_modes", "data_format", "heartbeat_seconds", "coalesce_events")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODES_FIELD_NUMBER: _ClassVar[int]
    DATA_FORMAT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    COALESCE_EVENTS_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    last_event_id: str
    stream_modes: _containers.RepeatedScalarFieldContainer[str]
    data_format: _runs_pb2.DataFormat
    heartbeat_seconds: int
    coalesce_events: bool
    def __init__(self, thread_id: _Optional[str] = ..., last_event_id: _Optional[str] = ..., stream_modes: _Optional[_Iterable[str]] = ..., data_format: _Optional[_Union[_runs_pb2.DataFormat, str]] = ..., heartbeat_seconds: _Optional[int] = ..., coalesce_events: _Optional[bool] = ...) -> None: ...

class JoinThreadStreamResponse(_message.Message):
    __slots__ = ("event", "data", "id", "mode", "namespace", "data_json", "events")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    event: str
    data: _struct_pb2.Value
    id: str
    mode: str
    namespace: _containers.RepeatedScalarFieldContainer[str]
    data_json: bytes
    events: _containers.RepeatedCompositeFieldContainer[_runs_pb2.StreamEvent]
    def __init__(self, event: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., id: _Optional[str] = ..., mode: _Optional[str] = ..., namespace: _Optional[_Iterable[str]] = ..., data_json: _Optional[bytes] = ..., events: _Optional[_Iterable[_Union[_runs_pb2.StreamEvent, _Mapping]]] = ...) -> None: ...
