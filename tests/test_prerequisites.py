"""The prerequisite check that .ci/setup and deploy/demo.sh run before installing anything: one
clear line per missing (or too old) tool, run here on a PATH that lacks the tool."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

from .conftest import ROOT


def path_without(tools: set[str], tmp_path: pathlib.Path) -> str:
    """This PATH, with each directory that holds one of `tools` replaced by a copy (of symlinks)
    without it."""
    dirs = []
    for entry in os.environ["PATH"].split(os.pathsep):
        folder = pathlib.Path(entry)
        if not any((folder / tool).exists() for tool in tools):
            dirs.append(entry)
            continue
        farm = tmp_path / f"path{len(dirs)}"
        farm.mkdir()
        for item in folder.iterdir():
            if item.name not in tools:
                (farm / item.name).symlink_to(item)
        dirs.append(str(farm))
    return os.pathsep.join(dirs)


def run(command: list[str], path: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "VIRTUAL_ENV")}
    return subprocess.run(
        ["/bin/bash", *command],
        cwd=ROOT,
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_everything_is_here_on_this_machine() -> None:
    for what in ("demo", "setup"):
        result = run([".ci/prerequisites", what], os.environ["PATH"])
        assert (result.returncode, result.stderr) == (0, ""), what


# The compiler that the python3 on PATH builds extensions with, as .ci/prerequisites finds it.
COMPILER = subprocess.run(
    ["python3", "-c", 'import sysconfig; print((sysconfig.get_config_var("CC") or "cc").split()[0])'],
    capture_output=True,
    text=True,
    check=True,
).stdout.strip()

MISSING = {
    "python": (
        "demo",
        {"python3"},
        ["missing: python3 >= 3.11, for the gateway and the LangGraph API server: https://www.python.org/"],
    ),
    "a C compiler": (
        "demo",
        {COMPILER},
        [f"missing: {COMPILER}, for the gateway's compiled modules (mypyc, pyproject.toml): on Debian"],
    ),
    "go, cargo and node": (
        "setup",
        {"go", "cargo", "node"},
        [
            "missing: go >= 1.26, for grpcurl, ghz, the Go client and bench/fleet: https://go.dev/dl/",
            "missing: node >= 20, for buf and the Node client: https://nodejs.org/",
            "missing: cargo >= 1.88, for the Rust client (tonic 0.14): https://rustup.rs/",
        ],
    ),
}


@pytest.mark.parametrize(("what", "hidden", "lines"), MISSING.values(), ids=MISSING.keys())
def test_one_line_per_missing_tool(
    what: str, hidden: set[str], lines: list[str], tmp_path: pathlib.Path
) -> None:
    result = run([".ci/prerequisites", what], path_without(hidden, tmp_path))
    assert result.returncode == 1
    *missing, last = result.stderr.splitlines()
    assert [line for line in missing if not any(line.startswith(want) for want in lines)] == []
    assert len(missing) == len(lines), result.stderr
    assert last.startswith(f"{len(lines)} prerequisite(s) missing: install them, then run this again")


def test_a_tool_too_old_says_which_version_it_found(tmp_path: pathlib.Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    (old / "cargo").write_text("#!/bin/sh\necho 'cargo 1.80.0 (376290515 2024-07-16)'\n")
    (old / "cargo").chmod(0o755)
    result = run([".ci/prerequisites", "setup"], f"{old}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode == 1
    assert "missing: cargo >= 1.88 (found 1.80.0), for the Rust client (tonic 0.14): https://rustup.rs/" in (
        result.stderr.splitlines()
    )


@pytest.mark.parametrize("script", ["deploy/demo.sh", ".ci/setup"])
def test_the_scripts_check_before_installing_anything(script: str, tmp_path: pathlib.Path) -> None:
    result = run([script], path_without({"python3"}, tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("missing: python3 >= 3.11, for the gateway"), result.stderr
    assert result.stdout == ""  # no step started
