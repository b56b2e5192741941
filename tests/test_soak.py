"""The soak runs end to end for a short while, with clients that leave early mixed in:
`bench/soak.py --leavers --seconds 10 --streams 120 --no-write --json` (about 15 s in all).

A behaviour check only, never a speed one: against a gateway on its default flags (access log
on), under many concurrent streams and WaitRun calls of which many are cancelled, broken off or
cut by their deadline, each call ends with its kind's status, every event of the streams that
stayed arrives exactly once and in order, the gateway neither dies nor exits non-zero on SIGTERM,
its memory holds steady, and it leaves no upstream connection or file descriptor behind.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT

SHORT = ("--leavers", "--seconds", "10", "--streams", "120", "--waiters", "20", "--no-write", "--json")
STAYING = ("StreamRun stays", "WaitRun stays")
LEAVING = {  # bench/soak.py's kinds of calls that leave early, and the status each ends with
    "StreamRun cancels after a few": "CANCELLED",
    "StreamRun breaks after the first": "CANCELLED",
    "StreamRun deadline mid-stream": "DEADLINE_EXCEEDED",
    "WaitRun cancelled": "CANCELLED",
    "WaitRun deadline mid-call": "DEADLINE_EXCEEDED",
}


def test_a_short_soak_with_early_leavers_holds_every_check() -> None:
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
    calls = summary["calls"]
    # How many calls fit in the soak's seconds depends on the machine (a third as many on a slow
    # VM): what must hold is that the stayers ran, and every one of them ended OK.
    for kind in STAYING:
        assert set(calls[kind]) == {"OK"} and calls[kind]["OK"] >= 10, (kind, calls[kind])
    for kind, code in LEAVING.items():
        assert calls[kind].get(code, 0) > 0, (kind, calls[kind])
    assert summary["events_of_stayers"] > 300
    assert summary["gateway"]["exit_code"] == 0 and summary["gateway"]["died_during_load"] is None
    access = summary["gateway"]["access_lines"]
    assert access["StreamRun CANCELLED"] > 0 and access["StreamRun OK"] > 0  # its access log ran
    assert summary["upstream_connections_after"] == 0
