"""The types of the client's arguments and results, named and shaped as in `langgraph_sdk.schema`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple, TypeAlias, TypedDict

StreamMode = Literal[
    "values",
    "messages",
    "updates",
    "events",
    "tasks",
    "checkpoints",
    "debug",
    "custom",
    "messages-tuple",
    "tools",
    "lifecycle",
]
"""A stream mode, spelled as the HTTP API (and the gateway) spell it."""

DisconnectMode = Literal["cancel", "continue"]
"""What the server does with a streaming run when its stream is dropped."""

MultitaskStrategy = Literal["reject", "interrupt", "rollback", "enqueue"]
"""What happens when the thread is already running a run."""

OnCompletionBehavior = Literal["delete", "keep"]
"""Whether a stateless run's temporary thread is deleted or kept."""

Durability = Literal["sync", "async", "exit"]
"""How eagerly checkpoints are persisted during the run."""

IfNotExists = Literal["create", "reject"]
"""What a thread run does when its thread does not exist."""

All = Literal["*"]
"""Every node (for interrupt_before / interrupt_after)."""

Input: TypeAlias = Any
"""The input of a run: a JSON object, or a TypedDict / dataclass / pydantic model instance."""

Context: TypeAlias = Input
"""Static context for the run (same shapes as Input)."""


class Config(TypedDict, total=False):
    """The configuration of a run (as in langgraph-sdk)."""

    tags: list[str]
    recursion_limit: int
    configurable: dict[str, Any]


class Send(TypedDict):
    """A message to send to a node (in Command.goto)."""

    node: str
    input: dict[str, Any] | None


class Command(TypedDict, total=False):
    """Drives a run with a LangGraph Command instead of (or beside) input."""

    goto: Send | str | Sequence[Send | str]
    update: dict[str, Any] | Sequence[tuple[str, Any]]
    resume: Any


class Checkpoint(TypedDict, total=False):
    """The checkpoint a thread run starts from."""

    thread_id: str
    checkpoint_ns: str
    checkpoint_id: str | None
    checkpoint_map: dict[str, Any] | None


class RunCreateMetadata(TypedDict):
    """The ids of a created run, passed to `on_run_created`."""

    run_id: str
    thread_id: str | None


class StreamPart(NamedTuple):
    """One event of a run's stream: the same three fields as langgraph-sdk's StreamPart, so
    `part == sdk_part` holds for the same event. `mode` and `namespace` split the event name."""

    event: str
    """The event name exactly as the server sent it, e.g. "metadata", "updates|inner:<task>"."""
    data: Any
    """The event's JSON payload as plain Python objects; None when the event had none."""
    id: str | None = None
    """The SSE id of the event (set for resumable streams), else None."""

    @property
    def mode(self) -> str:
        """The stream mode: the event name before any "|" (e.g. "updates")."""
        return self.event.split("|", 1)[0]

    @property
    def namespace(self) -> list[str]:
        """The subgraph namespace: the "|"-separated parts after the mode."""
        return self.event.split("|")[1:]


# --- resources: what the other services answer, shaped as langgraph_sdk.schema's TypedDicts. Every
# field of the gateway's message is a key; one the server left null or out is None (see _resources).

Json: TypeAlias = dict[str, Any] | None
"""A JSON object, or None."""

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
OnConflictBehavior = Literal["raise", "do_nothing"]
PruneStrategy = Literal["delete", "keep_latest"]
SortOrder = Literal["asc", "desc"]
ThreadStreamMode = Literal["run_modes", "lifecycle", "state_update"]


class Item(TypedDict):
    """A store item (StoreService.GetItem)."""

    namespace: list[str]
    key: str
    value: dict[str, Any]
    created_at: str
    updated_at: str


class SearchItem(Item, total=False):
    """A store item found by a search, with its score (None without a search index)."""

    score: float | None


class SearchItemsResponse(TypedDict):
    items: list[SearchItem]


class ListNamespaceResponse(TypedDict):
    namespaces: list[list[str]]


class Cron(TypedDict):
    """A schedule of runs (CronsService)."""

    cron_id: str
    assistant_id: str | None
    thread_id: str | None
    on_run_completed: OnCompletionBehavior | None
    end_time: str | None
    schedule: str
    timezone: str | None
    created_at: str
    updated_at: str
    payload: dict[str, Any] | None
    user_id: str | None
    next_run_date: str | None
    metadata: dict[str, Any] | None
    enabled: bool | None


class Thread(TypedDict):
    """A thread (ThreadsService)."""

    thread_id: str
    created_at: str
    updated_at: str
    state_updated_at: str
    metadata: Json
    config: Json
    status: ThreadStatus
    values: Any
    interrupts: Any
    ttl: Json
    extracted: Json
    error: Any


class ThreadState(TypedDict):
    """A thread's state at one checkpoint (ThreadsService.GetThreadState, GetThreadHistory)."""

    values: Any
    next: list[str]
    tasks: list[dict[str, Any]]
    checkpoint: Checkpoint | None
    metadata: Json
    created_at: str
    parent_checkpoint: Checkpoint | None
    interrupts: list[dict[str, Any]]


class ThreadUpdateStateResponse(TypedDict):
    """The checkpoint a state update made."""

    checkpoint: Checkpoint | None


class Assistant(TypedDict):
    """An assistant (AssistantsService)."""

    assistant_id: str
    graph_id: str
    config: Json
    context: Json
    metadata: Json
    name: str
    description: str | None
    version: int
    created_at: str
    updated_at: str


class AssistantVersion(TypedDict):
    """One version of an assistant: an Assistant less updated_at."""

    assistant_id: str
    graph_id: str
    config: Json
    context: Json
    metadata: Json
    name: str
    description: str | None
    version: int
    created_at: str


class AssistantsSearchResponse(TypedDict):
    """`assistants.search(..., response_format="object")`: a page and the next page's offset."""

    assistants: list[Assistant]
    next: str | None


class GraphSchema(TypedDict):
    """A graph's JSON schemas (None where the graph has none)."""

    graph_id: str
    input_schema: Any
    output_schema: Any
    state_schema: Any
    config_schema: Any
    context_schema: Any


Subgraphs: TypeAlias = dict[str, GraphSchema]
"""Subgraph schemas by namespace."""


class Run(TypedDict):
    """A run (RunsService)."""

    run_id: str
    thread_id: str
    assistant_id: str
    created_at: str
    updated_at: str
    status: str
    metadata: Json
    kwargs: Json
    multitask_strategy: str
    langsmith_session_name: str | None
    cancel_reason: str | None
