"""A langgraph-sdk style client for the langgraph-grpc-gateway: LangGraph over gRPC.

    from langgraph_grpc_client import get_client

    client = get_client("127.0.0.1:50051")
    async for part in client.runs.stream(None, "agent", input={...}, stream_mode="updates"):
        print(part.event, part.data)
    values = await client.runs.wait(None, "agent", input={...})
    state = await client.threads.get_state(thread_id)
    await client.store.put_item(["users", "u1"], "profile", {"name": "Ada"})

`client.assistants`, `client.threads`, `client.crons` and `client.store` have langgraph-sdk's
method names, arguments and return shapes (plain dicts). `get_sync_client` is the blocking twin.
Errors are `langgraph_grpc_client.errors` exceptions (NotFoundError, ConflictError, ... as in
langgraph_sdk.errors) carrying the gRPC status.

Every service in protos/ is generated into `langgraph_grpc_client._gen` (by generate.py); for
calls the client does not wrap, use their stubs on `client.channel`, with `to_value` /
`from_value` (google.protobuf.Value <-> Python) and `errors.from_rpc_error`.
"""

from langgraph_grpc_client import errors
from langgraph_grpc_client._values import from_struct, from_value, to_struct, to_value
from langgraph_grpc_client.client import (
    AssistantsClient,
    AsyncRunStream,
    CronClient,
    LangGraphClient,
    RunsClient,
    StoreClient,
    SyncAssistantsClient,
    SyncCronClient,
    SyncLangGraphClient,
    SyncRunsClient,
    SyncRunStream,
    SyncStoreClient,
    SyncThreadsClient,
    ThreadsClient,
    get_client,
    get_sync_client,
)
from langgraph_grpc_client.schema import RunCreateMetadata, StreamPart

__version__ = "0.1.0"

__all__ = [
    "AssistantsClient",
    "AsyncRunStream",
    "CronClient",
    "LangGraphClient",
    "RunCreateMetadata",
    "RunsClient",
    "StoreClient",
    "StreamPart",
    "SyncAssistantsClient",
    "SyncCronClient",
    "SyncLangGraphClient",
    "SyncRunStream",
    "SyncRunsClient",
    "SyncStoreClient",
    "SyncThreadsClient",
    "ThreadsClient",
    "errors",
    "from_struct",
    "from_value",
    "get_client",
    "get_sync_client",
    "to_struct",
    "to_value",
]
