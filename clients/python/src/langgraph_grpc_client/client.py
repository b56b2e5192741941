"""The clients, as `langgraph_sdk.client` names them (get_client, LangGraphClient, ...)."""

from langgraph_grpc_client._async import LangGraphClient, RunsClient, get_client
from langgraph_grpc_client._services import (
    AssistantsClient,
    CronClient,
    StoreClient,
    SyncAssistantsClient,
    SyncCronClient,
    SyncStoreClient,
    SyncThreadsClient,
    ThreadsClient,
)
from langgraph_grpc_client._streams import AsyncRunStream, SyncRunStream
from langgraph_grpc_client._sync import SyncLangGraphClient, SyncRunsClient, get_sync_client

__all__ = [
    "AssistantsClient",
    "AsyncRunStream",
    "CronClient",
    "LangGraphClient",
    "RunsClient",
    "StoreClient",
    "SyncAssistantsClient",
    "SyncCronClient",
    "SyncLangGraphClient",
    "SyncRunStream",
    "SyncRunsClient",
    "SyncStoreClient",
    "SyncThreadsClient",
    "ThreadsClient",
    "get_client",
    "get_sync_client",
]
