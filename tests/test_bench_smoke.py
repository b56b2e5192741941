"""The benchmark suite runs end to end: `bench/run.py --quick --no-write` reports every scenario.

A behaviour check only: it asserts that each scenario ran and said something about each of its
targets, never how fast anything was (this machine is shared, and the quick run is too short).
"""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

SECTIONS = (
    "## The gateway against the least proxy (the floor)",
    "## Beside the real server: CPU share of `langgraph dev`",
    "## WaitRun latency",
    "## StreamRun time to first event",
    "## One stream's events per second",
    "## Many concurrent token streams",
    "## A load tool that is not ours (ghz, hey)",
    "## Workers: --workers 1 and 2",
    "## gRPC libraries' own floor",
)


def test_quick_run_reports_every_scenario() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--no-write"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for heading in SECTIONS:
        assert heading in run.stdout, heading
    targets = run.stdout.split("## Targets", 1)[1].split("\n## ", 1)[0]
    for goal in ("WaitRun p50", "time to first event", "one stream", "concurrent streams", "per open stream"):
        assert goal in targets, goal
    assert targets.count("**met**") + targets.count("**not met**") == targets.count("\n| ") - 1
    assert "Incomplete streams" not in run.stdout
    floor = run.stdout.split("## gRPC libraries' own floor", 1)[1]
    for goal in ("WaitRun p50", "least proxy", "one stream", "concurrent streams"):
        assert goal in floor, goal
