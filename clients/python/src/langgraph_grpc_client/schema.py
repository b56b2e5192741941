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
