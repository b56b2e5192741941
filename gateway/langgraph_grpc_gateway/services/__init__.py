"""The gRPC servicers: glue between calls, translation (pure) and the upstream client (I/O)."""

from .assistants import AssistantsService
from .crons import CronsService
from .runs import RunsService
from .store import StoreService
from .threads import ThreadsService

__all__ = ["AssistantsService", "CronsService", "RunsService", "StoreService", "ThreadsService"]
