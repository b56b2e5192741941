"""The README's first command, as a new user runs it: the demo sets up (step by step, on screen),
starts the real LangGraph server and the gateway, and shows a streamed run and a wait through the
gateway; left running, it prints commands to try, which work exactly as printed, from any
directory, with nothing on PATH but what the user had; Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess

import psutil
import pytest

from .conftest import ROOT, free_port

DEMO = ["bash", str(ROOT / "deploy" / "demo.sh")]
STEPS = [
    "[1/4] installing what the demo needs",
    "== gateway virtual environment (.venv)",
    "== LangGraph API server virtual environment (.venv-upstream)",
    "== grpcurl into .ci/bin (go install)",
    "[2/4] starting the LangGraph API server",
    "[3/4] starting the gateway",
    "[4/4] a run through the gateway",
]


def user_env() -> dict[str, str]:
    """The environment of a user's shell: no virtual environment active, none of the tools the
    test suite puts on PATH (.ci/bin, .ci/node_modules/.bin)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHON")}
    path = [p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(ROOT))]
    return {**env, "PATH": os.pathsep.join(path), "GATEWAY_PORT": str(free_port())}


def assert_demo_call(out: str) -> None:
    assert "run id (initial metadata): " in out
    assert "event=metadata" in out and "event=custom" in out
    assert "echo: hello from gRPC" in out
    assert "last message: 'echo: and once more'" in out


def assert_steps_shown(out: str) -> None:
    """Each step says what it does as it starts, the install's own steps too (not in a log file)."""
    at = [out.find(step) for step in STEPS]
    assert -1 not in at and at == sorted(at), out[:3000]
    assert out.count("   done in ") == 3  # the install's three steps, each timed


def test_demo_once_shows_a_real_call_through_the_gateway() -> None:
    result = subprocess.run([*DEMO, "--once"], capture_output=True, text=True, env=user_env(), timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert_steps_shown(result.stdout)
    assert_demo_call(result.stdout)


def printed_commands(demo: subprocess.Popen[str]) -> tuple[str, str]:
    """Reads the demo's output up to the end of its commands to try: (output so far, commands)."""
    assert demo.stdout is not None
    seen: list[str] = []
    for line in demo.stdout:
        seen.append(line)
        if line == "Try it from another terminal:\n":
            break
    blank = next(demo.stdout, "")
    commands = list(iter(demo.stdout.readline, "\n"))  # up to the blank line after them
    assert blank == "\n" and commands and all(line.startswith("  ") for line in commands), "".join(seen)[
        -3000:
    ]
    return "".join(seen), "".join(line[2:] for line in commands)


def test_demo_left_running_prints_commands_that_work_as_printed(tmp_path: pathlib.Path) -> None:
    demo = subprocess.Popen(
        DEMO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=user_env(),
        start_new_session=True,  # its own process group, as in a terminal: Ctrl-C reaches them all
    )
    try:
        out, commands = printed_commands(demo)
        assert_demo_call(out)
        assert commands.splitlines()[0].startswith("cd ")
        tried = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", commands],
            cwd=tmp_path,  # anywhere: the first command goes to the repository
            env=user_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert tried.returncode == 0, f"{commands}\n{tried.stderr}{tried.stdout[-2000:]}"
        assert "langgraph_gateway.v1.RunsService\n" in tried.stdout  # grpcurl list
        assert tried.stdout.count('"event": "updates"') == 2 and '"event": "metadata"' in tried.stdout
        assert "last message: 'echo: and once more'" in tried.stdout  # the demo client, again
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
        rest, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    assert demo.returncode == 0, rest[-3000:]
    assert "stopping the gateway and the LangGraph API server" in rest


def running_demo() -> tuple[subprocess.Popen[str], psutil.Process]:
    """The demo left running, and its gateway process."""
    demo = subprocess.Popen(
        DEMO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=user_env(),
        start_new_session=True,
    )
    printed_commands(demo)
    [gateway] = [child for child in psutil.Process(demo.pid).children(recursive=True) if _is_gateway(child)]
    return demo, gateway


def _is_gateway(process: psutil.Process) -> bool:
    try:
        return "langgraph-grpc-gateway" in " ".join(process.cmdline())
    except psutil.Error:  # gone by now, or a zombie: one of the setup's short-lived commands
        return False


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 0), (signal.SIGKILL, 1)])
def test_demo_ends_as_its_gateway_did(signum: int, code: int) -> None:
    """Ctrl-C may reach the gateway while the script never acts on it (bash leaves SIGINT to a
    child that handled it): the gateway's clean stop ends the demo cleanly; a gateway that dies
    fails it, naming the signal."""
    demo, gateway = running_demo()
    try:
        gateway.send_signal(signum)
        rest, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    assert demo.returncode == code, rest[-3000:]
    if code == 0:
        assert "stopping the gateway and the LangGraph API server" in rest
    else:
        assert "the gateway died from SIGKILL" in rest
