"""The README's "Your own agent" section, run as written: `langgraph dev` in a project of its own
(a small chat graph, in a temporary directory), the gateway in front of it, then the grpcurl call
and the Go client's call.

A command block is a ```sh block right after `<!-- own-agent: NAME -->`; one that cannot run here
(a LangSmith Deployment) says so: `<!-- own-agent, not run by the tests: WHY -->`. Each runs with
bash, `langgraph-dev` in the project's directory with .venv-upstream's `langgraph` on PATH, the
others in the repository's root; the ports of the README (2024, 50051) become free ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import signal
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import ROOT, free_port
from .production_support import wait_serving

README = ROOT / "README.md"
SECTION = "## Your own agent"
TESTED = re.compile(r"^<!-- own-agent: ([\w-]+) -->\n```sh\n(.*?)^```$", re.M | re.S)
UNTESTED = re.compile(r"^<!-- own-agent, not run by the tests: [^>]+ -->\n```sh\n(.*?)^```$", re.M | re.S)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)

AGENT = """\
from langgraph.graph import START, MessagesState, StateGraph


def reply(state: MessagesState) -> dict:
    return {"messages": [{"role": "assistant", "content": f"my agent got: {state['messages'][-1].content}"}]}


graph = StateGraph(MessagesState).add_node(reply).add_edge(START, "reply").compile()
"""
LANGGRAPH_JSON = {"dependencies": ["."], "graphs": {"agent": "./agent.py:graph"}}


def section() -> str:
    text = README.read_text()
    start = text.index(f"\n{SECTION}\n")
    return text[start : text.find("\n## ", start + 1)]


def blocks() -> dict[str, str]:
    return dict(TESTED.findall(section()))


def test_every_command_of_the_section_is_run_or_says_why_not() -> None:
    text = section()
    marked = {*blocks().values(), *UNTESTED.findall(text)}
    for language, body in FENCE.findall(text):
        assert language == "sh" and body in marked, f"a block without <!-- own-agent: NAME -->:\n{body}"
    assert list(blocks()) == ["langgraph-dev", "gateway", "grpcurl", "go"]


@contextlib.contextmanager
def started(script: str, cwd: pathlib.Path, env: dict[str, str], log: pathlib.Path) -> Iterator[None]:
    """A long-running block in its own process group, stopped (with its children) after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ok(url: str, log: pathlib.Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"langgraph dev did not answer /ok within {timeout}s:\n{log.read_text()[-3000:]}")


def run(script: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"{script}\nexited {result.returncode}:\n{result.stderr}{result.stdout[-2000:]}"
    )
    return result.stdout


def test_your_own_agent_behind_the_gateway(tmp_path: pathlib.Path) -> None:
    project = tmp_path / "my-agent"
    project.mkdir()
    (project / "agent.py").write_text(AGENT)
    (project / "langgraph.json").write_text(json.dumps(LANGGRAPH_JSON))
    upstream_port, gateway_port = free_port(), free_port()
    commands = {
        name: script.replace("2024", str(upstream_port)).replace("50051", str(gateway_port))
        for name, script in blocks().items()
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANGGRAPH_GATEWAY_")}
    upstream_env = {**env, "PATH": f"{ROOT / '.venv-upstream' / 'bin'}{os.pathsep}{env['PATH']}"}
    upstream_log, gateway_log = tmp_path / "langgraph-dev.log", tmp_path / "gateway.log"

    with started(commands["langgraph-dev"], project, upstream_env, upstream_log):
        wait_ok(f"http://127.0.0.1:{upstream_port}", upstream_log)
        with started(commands["gateway"], ROOT, env, gateway_log):
            wait_serving(f"127.0.0.1:{gateway_port}")
            answer = json.loads(run(commands["grpcurl"], env))
            assert answer["values"]["messages"][-1]["content"] == "my agent got: hi"
            go = run(commands["go"], env)
            assert go.count('"content":"my agent got: hi"') == 2, go  # the stream's update, the wait's state
    assert f"upstream healthy: GET http://127.0.0.1:{upstream_port}/ok answered" in gateway_log.read_text()
