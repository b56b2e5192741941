"""The README's first command, as a new user runs it: the demo sets up, starts the real LangGraph
server and the gateway, and shows a streamed run and a wait through the gateway."""

from __future__ import annotations

import os
import subprocess

from .conftest import ROOT, free_port


def test_demo_shows_a_real_call_through_the_gateway() -> None:
    env = {**os.environ, "GATEWAY_PORT": str(free_port())}
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "demo.sh"), "--once"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "run id (initial metadata): " in out
    assert "event=metadata" in out and "event=custom" in out
    assert "echo: hello from gRPC" in out
    assert "last message: 'echo: and once more'" in out
