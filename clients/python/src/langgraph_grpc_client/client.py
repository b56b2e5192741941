"""The clients, as `langgraph_sdk.client` names them (get_client, LangGraphClient, ...)."""

from langgraph_grpc_client._async import AsyncRunStream, LangGraphClient, RunsClient, get_client
from langgraph_grpc_client._sync import SyncLangGraphClient, SyncRunsClient, SyncRunStream, get_sync_client

__all__ = [
    "AsyncRunStream",
    "LangGraphClient",
    "RunsClient",
    "SyncLangGraphClient",
    "SyncRunStream",
    "SyncRunsClient",
    "get_client",
    "get_sync_client",
]
