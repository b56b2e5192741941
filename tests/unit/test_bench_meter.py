"""The bench's CPU figures: a process's CPU time read to the nanosecond, not in clock ticks."""

from __future__ import annotations

import importlib
import sys
import time
import types

import psutil
import pytest

from ..conftest import ROOT


def _procs() -> types.ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("procs")
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_cpu_seconds_is_the_process_cpu_clock() -> None:
    """psutil's cpu_times() rounds user and system time down to 10 ms ticks each: read between
    two readings of this process's own CPU clock, it would fall below the first."""
    procs = _procs()
    me = psutil.Process()
    sum(range(200_000))  # some CPU time of this process, at no tick boundary in particular
    before = time.process_time()
    measured = procs.cpu_seconds(me)
    after = time.process_time()
    assert before <= measured <= after


def test_a_process_that_is_gone_is_reported_gone() -> None:
    procs = _procs()
    child = psutil.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with pytest.raises(psutil.NoSuchProcess):  # a reaped process has no CPU clock, nor psutil entry
        procs.cpu_seconds(child)
