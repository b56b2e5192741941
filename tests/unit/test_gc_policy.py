"""The collector settings a served gateway runs with (gc_policy.apply, called by serve())."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from langgraph_grpc_gateway import gc_policy


@pytest.fixture
def restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_apply_freezes_the_heap_and_collects_less_often(restored: None) -> None:
    gc_policy.apply()
    assert gc.get_threshold() == (gc_policy.YOUNG, gc_policy.MIDDLE, gc_policy.OLD)
    assert gc.get_freeze_count() > 0


def test_cycles_are_still_collected(restored: None) -> None:
    gc_policy.apply()

    class Node:
        other: object = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    del a, b
    assert gc.collect() >= 2  # the cycle is garbage the collector still finds
