"""The soak runs end to end for a short while: `bench/soak.py --seconds 15 --no-write --json`.

A behaviour check only, never a speed one: under many concurrent streams and WaitRun calls with
injected cancels and short deadlines, no other error, every event exactly once and in order,
steady gateway memory, and no upstream connection or file descriptor left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

SHORT = ("--seconds", "15", "--streams", "150", "--no-write", "--json")


def test_a_short_soak_holds_every_check() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), *SHORT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.stdout, run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["failures"] == [], run.stdout
    assert run.returncode == 0, run.stderr[-3000:]
    streams = summary["streams"]
    assert streams["complete"] > 100 and summary["waits"] > 100
    assert streams["cancelled (injected)"] > 0 and streams["past the deadline (injected)"] > 0
    assert summary["events"] > 10_000
    assert summary["upstream_connections_after"] == 0
