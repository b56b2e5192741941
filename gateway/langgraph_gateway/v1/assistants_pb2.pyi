from google.protobuf import struct_pb2 as _struct_pb2
from langgraph_gateway.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SearchAssistantsRequest(_message.Message):
    __slots__ = ("metadata", "graph_id", "name", "limit", "offset", "sort_by", "sort_order", "select")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    SORT_ORDER_FIELD_NUMBER: _ClassVar[int]
    SELECT_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    graph_id: str
    name: str
    limit: int
    offset: int
    sort_by: str
    sort_order: str
    select: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., graph_id: _Optional[str] = ..., name: _Optional[str] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ..., sort_by: _Optional[str] = ..., sort_order: _Optional[str] = ..., select: _Optional[_Iterable[str]] = ...) -> None: ...

class SearchAssistantsResponse(_message.Message):
    __slots__ = ("assistants", "next_offset")
    ASSISTANTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_OFFSET_FIELD_NUMBER: _ClassVar[int]
    assistants: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Assistant]
    next_offset: int
    def __init__(self, assistants: _Optional[_Iterable[_Union[_resources_pb2.Assistant, _Mapping]]] = ..., next_offset: _Optional[int] = ...) -> None: ...

class GetAssistantRequest(_message.Message):
    __slots__ = ("assistant_id",)
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    def __init__(self, assistant_id: _Optional[str] = ...) -> None: ...

class GetAssistantResponse(_message.Message):
    __slots__ = ("assistant",)
    ASSISTANT_FIELD_NUMBER: _ClassVar[int]
    assistant: _resources_pb2.Assistant
    def __init__(self, assistant: _Optional[_Union[_resources_pb2.Assistant, _Mapping]] = ...) -> None: ...

class GetAssistantGraphRequest(_message.Message):
    __slots__ = ("assistant_id", "xray", "xray_depth")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    XRAY_FIELD_NUMBER: _ClassVar[int]
    XRAY_DEPTH_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    xray: bool
    xray_depth: int
    def __init__(self, assistant_id: _Optional[str] = ..., xray: _Optional[bool] = ..., xray_depth: _Optional[int] = ...) -> None: ...

class GetAssistantGraphResponse(_message.Message):
    __slots__ = ("graph",)
    GRAPH_FIELD_NUMBER: _ClassVar[int]
    graph: _struct_pb2.Struct
    def __init__(self, graph: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class GetAssistantSchemasRequest(_message.Message):
    __slots__ = ("assistant_id",)
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    def __init__(self, assistant_id: _Optional[str] = ...) -> None: ...

class GetAssistantSchemasResponse(_message.Message):
    __slots__ = ("graph_id", "input_schema", "output_schema", "state_schema", "config_schema", "context_schema")
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    STATE_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    graph_id: str
    input_schema: _struct_pb2.Value
    output_schema: _struct_pb2.Value
    state_schema: _struct_pb2.Value
    config_schema: _struct_pb2.Value
    context_schema: _struct_pb2.Value
    def __init__(self, graph_id: _Optional[str] = ..., input_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., output_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., state_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., config_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., context_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class CreateAssistantRequest(_message.Message):
    __slots__ = ("graph_id", "config", "context", "metadata", "assistant_id", "if_exists", "name", "description")
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    IF_EXISTS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    graph_id: str
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    assistant_id: str
    if_exists: str
    name: str
    description: str
    def __init__(self, graph_id: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., assistant_id: _Optional[str] = ..., if_exists: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class CreateAssistantResponse(_message.Message):
    __slots__ = ("assistant",)
    ASSISTANT_FIELD_NUMBER: _ClassVar[int]
    assistant: _resources_pb2.Assistant
    def __init__(self, assistant: _Optional[_Union[_resources_pb2.Assistant, _Mapping]] = ...) -> None: ...

class UpdateAssistantRequest(_message.Message):
    __slots__ = ("assistant_id", "graph_id", "config", "context", "metadata", "name", "description")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    graph_id: str
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    name: str
    description: str
    def __init__(self, assistant_id: _Optional[str] = ..., graph_id: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class UpdateAssistantResponse(_message.Message):
    __slots__ = ("assistant",)
    ASSISTANT_FIELD_NUMBER: _ClassVar[int]
    assistant: _resources_pb2.Assistant
    def __init__(self, assistant: _Optional[_Union[_resources_pb2.Assistant, _Mapping]] = ...) -> None: ...

class DeleteAssistantRequest(_message.Message):
    __slots__ = ("assistant_id", "delete_threads")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    DELETE_THREADS_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    delete_threads: bool
    def __init__(self, assistant_id: _Optional[str] = ..., delete_threads: _Optional[bool] = ...) -> None: ...

class DeleteAssistantResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CountAssistantsRequest(_message.Message):
    __slots__ = ("metadata", "graph_id", "name")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    graph_id: str
    name: str
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., graph_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class CountAssistantsResponse(_message.Message):
    __slots__ = ("count",)
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...

class AssistantVersion(_message.Message):
    __slots__ = ("assistant_id", "graph_id", "config", "context", "metadata", "name", "description", "version", "created_at")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    GRAPH_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    graph_id: str
    config: _struct_pb2.Struct
    context: _struct_pb2.Struct
    metadata: _struct_pb2.Struct
    name: str
    description: str
    version: int
    created_at: str
    def __init__(self, assistant_id: _Optional[str] = ..., graph_id: _Optional[str] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[str] = ...) -> None: ...

class ListAssistantVersionsRequest(_message.Message):
    __slots__ = ("assistant_id", "metadata", "limit", "offset")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    metadata: _struct_pb2.Struct
    limit: int
    offset: int
    def __init__(self, assistant_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., limit: _Optional[int] = ..., offset: _Optional[int] = ...) -> None: ...

class ListAssistantVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[AssistantVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[AssistantVersion, _Mapping]]] = ...) -> None: ...

class SetLatestAssistantVersionRequest(_message.Message):
    __slots__ = ("assistant_id", "version")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    version: int
    def __init__(self, assistant_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class SetLatestAssistantVersionResponse(_message.Message):
    __slots__ = ("assistant",)
    ASSISTANT_FIELD_NUMBER: _ClassVar[int]
    assistant: _resources_pb2.Assistant
    def __init__(self, assistant: _Optional[_Union[_resources_pb2.Assistant, _Mapping]] = ...) -> None: ...

class GetAssistantSubgraphsRequest(_message.Message):
    __slots__ = ("assistant_id", "namespace", "recurse")
    ASSISTANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    RECURSE_FIELD_NUMBER: _ClassVar[int]
    assistant_id: str
    namespace: str
    recurse: bool
    def __init__(self, assistant_id: _Optional[str] = ..., namespace: _Optional[str] = ..., recurse: _Optional[bool] = ...) -> None: ...

class GraphSchemas(_message.Message):
    __slots__ = ("input_schema", "output_schema", "state_schema", "config_schema", "context_schema")
    INPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    STATE_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    input_schema: _struct_pb2.Value
    output_schema: _struct_pb2.Value
    state_schema: _struct_pb2.Value
    config_schema: _struct_pb2.Value
    context_schema: _struct_pb2.Value
    def __init__(self, input_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., output_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., state_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., config_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., context_schema: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class GetAssistantSubgraphsResponse(_message.Message):
    __slots__ = ("subgraphs",)
    class SubgraphsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: GraphSchemas
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[GraphSchemas, _Mapping]] = ...) -> None: ...
    SUBGRAPHS_FIELD_NUMBER: _ClassVar[int]
    subgraphs: _containers.MessageMap[str, GraphSchemas]
    def __init__(self, subgraphs: _Optional[_Mapping[str, GraphSchemas]] = ...) -> None: ...
