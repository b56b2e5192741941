"""The wrapped services besides runs.stream/wait, one module each: langgraph-sdk's assistants,
threads, crons and store clients, async and blocking, over the gateway's RPCs."""

from langgraph_grpc_client._services.assistants import AssistantsClient, SyncAssistantsClient
from langgraph_grpc_client._services.crons import CronClient, SyncCronClient
from langgraph_grpc_client._services.store import StoreClient, SyncStoreClient
from langgraph_grpc_client._services.threads import SyncThreadsClient, ThreadsClient

__all__ = [
    "AssistantsClient",
    "CronClient",
    "StoreClient",
    "SyncAssistantsClient",
    "SyncCronClient",
    "SyncStoreClient",
    "SyncThreadsClient",
    "ThreadsClient",
]
