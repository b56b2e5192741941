from google.protobuf import struct_pb2 as _struct_pb2
from langgraph_gateway.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DataFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_FORMAT_UNSPECIFIED: _ClassVar[DataFormat]
    DATA_FORMAT_VALUE: _ClassVar[DataFormat]
    DATA_FORMAT_JSON: _ClassVar[DataFormat]

class OnDisconnect(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ON_DISCONNECT_UNSPECIFIED: _ClassVar[OnDisconnect]
    ON_DISCONNECT_CANCEL: _ClassVar[OnDisconnect]
    ON_DISCONNECT_CONTINUE: _ClassVar[OnDisconnect]

class OnCompletion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ON_COMPLETION_UNSPECIFIED: _ClassVar[OnCompletion]
    ON_COMPLETION_DELETE: _ClassVar[OnCompletion]
    ON_COMPLETION_KEEP: _ClassVar[OnCompletion]

class Durability(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DURABILITY_UNSPECIFIED: _ClassVar[Durability]
    DURABILITY_SYNC: _ClassVar[Durability]
    DURABILITY_ASYNC: _ClassVar[Durability]
    DURABILITY_EXIT: _ClassVar[Durability]

class MultitaskStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MULTITASK_STRATEGY_UNSPECIFIED: _ClassVar[MultitaskStrategy]
    MULTITASK_STRATEGY_REJECT: _ClassVar[MultitaskStrategy]
    MULTITASK_STRATEGY_ROLLBACK: _ClassVar[MultitaskStrategy]
    MULTITASK_STRATEGY_INTERRUPT: _ClassVar[MultitaskStrategy]
    MULTITASK_STRATEGY_ENQUEUE: _ClassVar[MultitaskStrategy]

class IfNotExists(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IF_NOT_EXISTS_UNSPECIFIED: _ClassVar[IfNotExists]
    IF_NOT_EXISTS_CREATE: _ClassVar[IfNotExists]
    IF_NOT_EXISTS_REJECT: _ClassVar[IfNotExists]
DATA_FORMAT_UNSPECIFIED: DataFormat
DATA_FORMAT_VALUE: DataFormat
DATA_FORMAT_JSON: DataFormat
ON_DISCONNECT_UNSPECIFIED: OnDisconnect
ON_DISCONNECT_CANCEL: OnDisconnect
ON_DISCONNECT_CONTINUE: OnDisconnect
ON_COMPLETION_UNSPECIFIED: OnCompletion
ON_COMPLETION_DELETE: OnCompletion
ON_COMPLETION_KEEP: OnCompletion
DURABILITY_UNSPECIFIED: Durability
DURABILITY_SYNC: Durability
DURABILITY_ASYNC: Durability
DURABILITY_EXIT: Durability
MULTITASK_STRATEGY_UNSPECIFIED: MultitaskStrategy
MULTITASK_STRATEGY_REJECT: MultitaskStrategy
MULTITASK_STRATEGY_ROLLBACK: MultitaskStrategy
MULTITASK_STRATEGY_INTERRUPT: MultitaskStrategy
MULTITASK_STRATEGY_ENQUEUE: MultitaskStrategy
IF_NOT_EXISTS_UNSPECIFIED: IfNotExists
IF_NOT_EXISTS_CREATE: IfNotExists
IF_NOT_EXISTS_REJECT: IfNotExists

class Command(_message.Message):
    __slots__ = ("update", "resume", "goto")
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    RESUME_FIELD_NUMBER: _ClassVar[int]
    GOTO_FIELD_NUMBER: _ClassVar[int]
    update: _struct_pb2.Value
    resume: _struct_pb2.Value
    goto: _struct_pb2.Value
    def __init__(self, update: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., resume: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., goto: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class LangSmithTracer(_message.Message):
    __slots__ = ("project_name", "example_id")
    PROJECT_NAME_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_ID_FIELD_NUMBER: _ClassVar[int]
    project_name: str
    example_id: str
    def __init__(self, project_name: _Optional[str] = ..., example_id: _Optional[str] = ...) -> None: ...

class StreamRunRequest(_message.Message):
    __slots__ = ("thread_id", "assistant_id", "input", "command", "config", "context", "metadata", "stream_mode", "stream_subgraphs", "stream_resumable", "feedback_keys", "interrupt_before", "interrupt_after", "webhook", "on_disconnect", "on_completion", "after_seconds", "durability", "checkpoint_during", "checkpoint", "multitask_strategy", "if_not_exists", "data_format", "heartbeat_seconds", "coalesce_events", "checkpoint_id", "strict_resume", "langsmith_tracer")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    STREAM_RESUMABLE_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_KEYS_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_AFTER_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    ON_DISCONNECT_FIELD_NUMBER: _ClassVar[int]
    ON_COMPLETION_FIELD_NUMBER: _ClassVar[int]
    AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DURABILITY_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_DURING_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    MULTITASK_STRATEGY_FIELD_NUMBER: _ClassVar[int]
    IF_NOT_EXISTS_FIELD_NUMBER: _ClassVar[int]
    DATA_FORMAT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    COALESCE_EVENTS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    STRICT_RESUME_FIELD_NUMBER: _ClassVar[int]
    LANGSMITH_TRACER_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    assistant_id: str
    input: _struct_pb2.Value
    command: Command
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    stream_subgraphs: bool
    stream_resumable: bool
    feedback_keys: _containers.RepeatedScalarFieldContainer[str]
    interrupt_before: _containers.RepeatedScalarFieldContainer[str]
    interrupt_after: _containers.RepeatedScalarFieldContainer[str]
    webhook: str
    on_disconnect: OnDisconnect
    on_completion: OnCompletion
    after_seconds: float
    durability: Durability
    checkpoint_during: bool
    checkpoint: _resources_pb2.Checkpoint
    multitask_strategy: MultitaskStrategy
    if_not_exists: IfNotExists
    data_format: DataFormat
    heartbeat_seconds: int
    coalesce_events: bool
    checkpoint_id: str
    strict_resume: bool
    langsmith_tracer: LangSmithTracer
    def __init__(self, thread_id: _Optional[str] = ..., assistant_id: _Optional[str] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stream_mode: _Optional[_Iterable[str]] = ..., stream_subgraphs: _Optional[bool] = ..., stream_resumable: _Optional[bool] = ..., feedback_keys: _Optional[_Iterable[str]] = ..., interrupt_before: _Optional[_Iterable[str]] = ..., interrupt_after: _Optional[_Iterable[str]] = ..., webhook: _Optional[str] = ..., on_disconnect: _Optional[_Union[OnDisconnect, str]] = ..., on_completion: _Optional[_Union[OnCompletion, str]] = ..., after_seconds: _Optional[float] = ..., durability: _Optional[_Union[Durability, str]] = ..., checkpoint_during: _Optional[bool] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., multitask_strategy: _Optional[_Union[MultitaskStrategy, str]] = ..., if_not_exists: _Optional[_Union[IfNotExists, str]] = ..., data_format: _Optional[_Union[DataFormat, str]] = ..., heartbeat_seconds: _Optional[int] = ..., coalesce_events: _Optional[bool] = ..., checkpoint_id: _Optional[str] = ..., strict_resume: _Optional[bool] = ..., langsmith_tracer: _Optional[_Union[LangSmithTracer, _Mapping]] = ...) -> None: ...

class StreamEvent(_message.Message):
    __slots__ = ("event", "data", "id", "mode", "namespace", "data_json")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    event: str
    data: _struct_pb2.Value
    id: str
    mode: str
    namespace: _containers.RepeatedScalarFieldContainer[str]
    data_json: bytes
    def __init__(self, event: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., id: _Optional[str] = ..., mode: _Optional[str] = ..., namespace: _Optional[_Iterable[str]] = ..., data_json: _Optional[bytes] = ...) -> None: ...

class StreamRunResponse(_message.Message):
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
    events: _containers.RepeatedCompositeFieldContainer[StreamEvent]
    def __init__(self, event: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., id: _Optional[str] = ..., mode: _Optional[str] = ..., namespace: _Optional[_Iterable[str]] = ..., data_json: _Optional[bytes] = ..., events: _Optional[_Iterable[_Union[StreamEvent, _Mapping]]] = ...) -> None: ...

class WaitRunRequest(_message.Message):
    __slots__ = ("thread_id", "assistant_id", "input", "command", "config", "context", "metadata", "stream_mode", "stream_subgraphs", "stream_resumable", "feedback_keys", "interrupt_before", "interrupt_after", "webhook", "on_disconnect", "on_completion", "after_seconds", "durability", "checkpoint_during", "checkpoint", "multitask_strategy", "if_not_exists", "data_format", "checkpoint_id", "strict_resume", "langsmith_tracer", "notify_run_created")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    STREAM_RESUMABLE_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_KEYS_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_AFTER_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    ON_DISCONNECT_FIELD_NUMBER: _ClassVar[int]
    ON_COMPLETION_FIELD_NUMBER: _ClassVar[int]
    AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DURABILITY_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_DURING_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    MULTITASK_STRATEGY_FIELD_NUMBER: _ClassVar[int]
    IF_NOT_EXISTS_FIELD_NUMBER: _ClassVar[int]
    DATA_FORMAT_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    STRICT_RESUME_FIELD_NUMBER: _ClassVar[int]
    LANGSMITH_TRACER_FIELD_NUMBER: _ClassVar[int]
    NOTIFY_RUN_CREATED_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    assistant_id: str
    input: _struct_pb2.Value
    command: Command
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    stream_subgraphs: bool
    stream_resumable: bool
    feedback_keys: _containers.RepeatedScalarFieldContainer[str]
    interrupt_before: _containers.RepeatedScalarFieldContainer[str]
    interrupt_after: _containers.RepeatedScalarFieldContainer[str]
    webhook: str
    on_disconnect: OnDisconnect
    on_completion: OnCompletion
    after_seconds: float
    durability: Durability
    checkpoint_during: bool
    checkpoint: _resources_pb2.Checkpoint
    multitask_strategy: MultitaskStrategy
    if_not_exists: IfNotExists
    data_format: DataFormat
    checkpoint_id: str
    strict_resume: bool
    langsmith_tracer: LangSmithTracer
    notify_run_created: bool
    def __init__(self, thread_id: _Optional[str] = ..., assistant_id: _Optional[str] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stream_mode: _Optional[_Iterable[str]] = ..., stream_subgraphs: _Optional[bool] = ..., stream_resumable: _Optional[bool] = ..., feedback_keys: _Optional[_Iterable[str]] = ..., interrupt_before: _Optional[_Iterable[str]] = ..., interrupt_after: _Optional[_Iterable[str]] = ..., webhook: _Optional[str] = ..., on_disconnect: _Optional[_Union[OnDisconnect, str]] = ..., on_completion: _Optional[_Union[OnCompletion, str]] = ..., after_seconds: _Optional[float] = ..., durability: _Optional[_Union[Durability, str]] = ..., checkpoint_during: _Optional[bool] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., multitask_strategy: _Optional[_Union[MultitaskStrategy, str]] = ..., if_not_exists: _Optional[_Union[IfNotExists, str]] = ..., data_format: _Optional[_Union[DataFormat, str]] = ..., checkpoint_id: _Optional[str] = ..., strict_resume: _Optional[bool] = ..., langsmith_tracer: _Optional[_Union[LangSmithTracer, _Mapping]] = ..., notify_run_created: _Optional[bool] = ...) -> None: ...

class WaitRunResponse(_message.Message):
    __slots__ = ("values", "run_id", "thread_id", "values_json")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_JSON_FIELD_NUMBER: _ClassVar[int]
    values: _struct_pb2.Value
    run_id: str
    thread_id: str
    values_json: bytes
    def __init__(self, values: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., run_id: _Optional[str] = ..., thread_id: _Optional[str] = ..., values_json: _Optional[bytes] = ...) -> None: ...

class CreateRunRequest(_message.Message):
    __slots__ = ("thread_id", "assistant_id", "input", "command", "config", "context", "metadata", "stream_mode", "stream_subgraphs", "stream_resumable", "feedback_keys", "interrupt_before", "interrupt_after", "webhook", "on_completion", "after_seconds", "durability", "checkpoint_during", "checkpoint", "multitask_strategy", "if_not_exists", "checkpoint_id", "strict_resume", "langsmith_tracer")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    STREAM_RESUMABLE_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_KEYS_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_AFTER_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    ON_COMPLETION_FIELD_NUMBER: _ClassVar[int]
    AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DURABILITY_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_DURING_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    MULTITASK_STRATEGY_FIELD_NUMBER: _ClassVar[int]
    IF_NOT_EXISTS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    STRICT_RESUME_FIELD_NUMBER: _ClassVar[int]
    LANGSMITH_TRACER_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    assistant_id: str
    input: _struct_pb2.Value
    command: Command
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    stream_subgraphs: bool
    stream_resumable: bool
    feedback_keys: _containers.RepeatedScalarFieldContainer[str]
    interrupt_before: _containers.RepeatedScalarFieldContainer[str]
    interrupt_after: _containers.RepeatedScalarFieldContainer[str]
    webhook: str
    on_completion: OnCompletion
    after_seconds: float
    durability: Durability
    checkpoint_during: bool
    checkpoint: _resources_pb2.Checkpoint
    multitask_strategy: MultitaskStrategy
    if_not_exists: IfNotExists
    checkpoint_id: str
    strict_resume: bool
    langsmith_tracer: LangSmithTracer
    def __init__(self, thread_id: _Optional[str] = ..., assistant_id: _Optional[str] = ..., input: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., command: _Optional[_Union[Command, _Mapping]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stream_mode: _Optional[_Iterable[str]] = ..., stream_subgraphs: _Optional[bool] = ..., stream_resumable: _Optional[bool] = ..., feedback_keys: _Optional[_Iterable[str]] = ..., interrupt_before: _Optional[_Iterable[str]] = ..., interrupt_after: _Optional[_Iterable[str]] = ..., webhook: _Optional[str] = ..., on_completion: _Optional[_Union[OnCompletion, str]] = ..., after_seconds: _Optional[float] = ..., durability: _Optional[_Union[Durability, str]] = ..., checkpoint_during: _Optional[bool] = ..., checkpoint: _Optional[_Union[_resources_pb2.Checkpoint, _Mapping]] = ..., multitask_strategy: _Optional[_Union[MultitaskStrategy, str]] = ..., if_not_exists: _Optional[_Union[IfNotExists, str]] = ..., checkpoint_id: _Optional[str] = ..., strict_resume: _Optional[bool] = ..., langsmith_tracer: _Optional[_Union[LangSmithTracer, _Mapping]] = ...) -> None: ...

class CreateRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _resources_pb2.Run
    def __init__(self, run: _Optional[_Union[_resources_pb2.Run, _Mapping]] = ...) -> None: ...

class GetRunRequest(_message.Message):
    __slots__ = ("thread_id", "run_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_id: str
    def __init__(self, thread_id: _Optional[str] = ..., run_id: _Optional[str] = ...) -> None: ...

class GetRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _resources_pb2.Run
    def __init__(self, run: _Optional[_Union[_resources_pb2.Run, _Mapping]] = ...) -> None: ...

class ListRunsRequest(_message.Message):
    __slots__ = ("thread_id", "limit", "offset", "status", "select")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    limit: int
    offset: int
    status: str
    select: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, thread_id: _Optional[str] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., status: _Optional[str] = ..., select: _Optional[_Iterable[str]] = ...) -> None: ...

class ListRunsResponse(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Run]
    def __init__(self, runs: _Optional[_Iterable[_Union[_resources_pb2.Run, _Mapping]]] = ...) -> None: ...

class CancelRunRequest(_message.Message):
    __slots__ = ("thread_id", "run_id", "wait", "action")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_id: str
    wait: bool
    action: str
    def __init__(self, thread_id: _Optional[str] = ..., run_id: _Optional[str] = ..., wait: _Optional[bool] = ..., action: _Optional[str] = ...) -> None: ...

class CancelRunResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class JoinRunRequest(_message.Message):
    __slots__ = ("thread_id", "run_id", "cancel_on_disconnect", "data_format")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    CANCEL_ON_DISCONNECT_FIELD_NUMBER: _ClassVar[int]
    DATA_FORMAT_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_id: str
    cancel_on_disconnect: bool
    data_format: DataFormat
    def __init__(self, thread_id: _Optional[str] = ..., run_id: _Optional[str] = ..., cancel_on_disconnect: _Optional[bool] = ..., data_format: _Optional[_Union[DataFormat, str]] = ...) -> None: ...

class JoinRunResponse(_message.Message):
    __slots__ = ("values", "values_json")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    VALUES_JSON_FIELD_NUMBER: _ClassVar[int]
    values: _struct_pb2.Value
    values_json: bytes
    def __init__(self, values: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., values_json: _Optional[bytes] = ...) -> None: ...

class JoinStreamRequest(_message.Message):
    __slots__ = ("thread_id", "run_id", "last_event_id", "stream_mode", "cancel_on_disconnect", "data_format", "heartbeat_seconds", "coalesce_events")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_MODE_FIELD_NUMBER: _ClassVar[int]
    CANCEL_ON_DISCONNECT_FIELD_NUMBER: _ClassVar[int]
    DATA_FORMAT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    COALESCE_EVENTS_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_id: str
    last_event_id: str
    stream_mode: _containers.RepeatedScalarFieldContainer[str]
    cancel_on_disconnect: bool
    data_format: DataFormat
    heartbeat_seconds: int
    coalesce_events: bool
    def __init__(self, thread_id: _Optional[str] = ..., run_id: _Optional[str] = ..., last_event_id: _Optional[str] = ..., stream_mode: _Optional[_Iterable[str]] = ..., cancel_on_disconnect: _Optional[bool] = ..., data_format: _Optional[_Union[DataFormat, str]] = ..., heartbeat_seconds: _Optional[int] = ..., coalesce_events: _Optional[bool] = ...) -> None: ...

class JoinStreamResponse(_message.Message):
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
    events: _containers.RepeatedCompositeFieldContainer[StreamEvent]
    def __init__(self, event: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., id: _Optional[str] = ..., mode: _Optional[str] = ..., namespace: _Optional[_Iterable[str]] = ..., data_json: _Optional[bytes] = ..., events: _Optional[_Iterable[_Union[StreamEvent, _Mapping]]] = ...) -> None: ...

class DeleteRunRequest(_message.Message):
    __slots__ = ("thread_id", "run_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_id: str
    def __init__(self, thread_id: _Optional[str] = ..., run_id: _Optional[str] = ...) -> None: ...

class DeleteRunResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateRunsRequest(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[CreateRunRequest]
    def __init__(self, runs: _Optional[_Iterable[_Union[CreateRunRequest, _Mapping]]] = ...) -> None: ...

class CreateRunsResponse(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Run]
    def __init__(self, runs: _Optional[_Iterable[_Union[_resources_pb2.Run, _Mapping]]] = ...) -> None: ...

class CancelRunsRequest(_message.Message):
    __slots__ = ("thread_id", "run_ids", "status", "action")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    run_ids: _containers.RepeatedScalarFieldContainer[str]
    status: str
    action: str
    def __init__(self, thread_id: _Optional[str] = ..., run_ids: _Optional[_Iterable[str]] = ..., status: _Optional[str] = ..., action: _Optional[str] = ...) -> None: ...

class CancelRunsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
