"""The event loop choice: uvloop by default when installed, asyncio's own on request or without it."""

from __future__ import annotations

import asyncio
import sys

import pytest
from langgraph_grpc_gateway import event_loop
from langgraph_grpc_gateway.config import ConfigError, Settings

UPSTREAM = "http://127.0.0.1:8123"


def run_with(choice: str) -> str:
    with asyncio.Runner(loop_factory=event_loop.loop_factory(choice)) as runner:
        return runner.run(_loop_name())


async def _loop_name() -> str:
    return event_loop.name(asyncio.get_running_loop())


def test_auto_and_uvloop_run_on_uvloop_when_it_is_installed() -> None:
    pytest.importorskip("uvloop")  # a dependency on every platform but Windows
    assert run_with("auto") == "uvloop"
    assert run_with("uvloop") == "uvloop"


def test_asyncio_runs_on_asyncios_own_loop() -> None:
    assert event_loop.loop_factory("asyncio") is None
    assert run_with("asyncio") == "asyncio"


def test_without_uvloop_auto_falls_back_and_uvloop_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    assert event_loop.loop_factory("auto") is None
    with pytest.raises(ConfigError, match="event_loop uvloop needs the uvloop package"):
        event_loop.loop_factory("uvloop")


def test_an_unknown_loop_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="event_loop must be one of auto, uvloop, asyncio, got 'trio'"):
        Settings(upstream=UPSTREAM, event_loop="trio")
