"""Each client in clients/<language>/ runs its own test against a live gateway in front of the real
LangGraph API server. A client plugs in with two scripts: setup.sh (run by .ci/setup: install its
toolchain's dependencies and generate code) and test.sh (run here, with LANGGRAPH_GATEWAY_ADDRESS
set to the gateway's host:port; exit 0 means pass)."""

from __future__ import annotations

import asyncio
import os
import re

import pytest
from langgraph_grpc_gateway import Gateway

from .conftest import ROOT

FAILURE_LINE = re.compile(r"not ok|FAIL|panicked|Error|error:|expected|actual", re.IGNORECASE)
CLIENTS = sorted(p.parent.name for p in (ROOT / "clients").glob("*/test.sh"))


@pytest.mark.parametrize("language", CLIENTS)
async def test_client_against_live_gateway(language: str, gateway: Gateway, upstream_url: str) -> None:
    env = {
        **os.environ,
        "LANGGRAPH_GATEWAY_ADDRESS": f"127.0.0.1:{gateway.port}",
        "LANGGRAPH_UPSTREAM_URL": upstream_url,
    }
    process = await asyncio.create_subprocess_exec(
        "bash",
        str(ROOT / "clients" / language / "test.sh"),
        cwd=ROOT / "clients" / language,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=900)
    text = output.decode(errors="replace")
    # Test runners print pages of passing tests; the lines that say what failed come first.
    failing = [line for line in text.splitlines() if FAILURE_LINE.search(line)]
    report = "\n".join(failing[:60]) + "\n--- last output ---\n" + text[-4000:]
    assert process.returncode == 0, f"clients/{language}/test.sh failed:\n{report}"
