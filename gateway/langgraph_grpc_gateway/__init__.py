"""A gRPC gateway in front of the LangGraph API server."""

from .config import Settings
from .server import Gateway

__all__ = ["Gateway", "Settings"]
