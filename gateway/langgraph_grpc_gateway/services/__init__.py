"""The gRPC servicers: glue between calls, translation (pure) and the upstream client (I/O)."""

from .assistants import AssistantsService
from .runs import RunsService
from .threads import ThreadsService

__all__ = ["AssistantsService", "RunsService", "ThreadsService"]
