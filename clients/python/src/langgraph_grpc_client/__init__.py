"""A langgraph-sdk style client for the langgraph-grpc-gateway: LangGraph runs over gRPC.

    from langgraph_grpc_client import get_client

    client = get_client("127.0.0.1:50051")
    async for part in client.runs.stream(None, "agent", input={...}, stream_mode="updates"):
        print(part.event, part.data)
    values = await client.runs.wait(None, "agent", input={...})

`get_sync_client` is the blocking twin. Errors are `langgraph_grpc_client.errors` exceptions
(NotFoundError, ConflictError, ... as in langgraph_sdk.errors) carrying the gRPC status.

Every service in protos/ is generated into `langgraph_grpc_client._gen` (by generate.py); for
calls the client does not wrap, use their stubs on `client.channel`, with `to_value` /
`from_value` (google.protobuf.Value <-> Python) and `errors.from_rpc_error`.
"""

from langgraph_grpc_client import errors
from langgraph_grpc_client._async import AsyncRunStream, LangGraphClient, RunsClient, get_client
from langgraph_grpc_client._sync import SyncLangGraphClient, SyncRunsClient, SyncRunStream, get_sync_client
from langgraph_grpc_client._values import from_struct, from_value, to_struct, to_value
from langgraph_grpc_client.schema import RunCreateMetadata, StreamPart

__version__ = "0.1.0"

__all__ = [
    "AsyncRunStream",
    "LangGraphClient",
    "RunCreateMetadata",
    "RunsClient",
    "StreamPart",
    "SyncLangGraphClient",
    "SyncRunStream",
    "SyncRunsClient",
    "errors",
    "from_struct",
    "from_value",
    "get_client",
    "get_sync_client",
    "to_struct",
    "to_value",
]
