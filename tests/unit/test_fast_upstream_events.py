"""bench/fast_upstream.py writes a token event with its metadata encoded once: the same bytes as
encoding the whole event each time, as the recorded server writes it."""

from __future__ import annotations

import json

from ..conftest import bench_module


def test_a_token_event_is_the_whole_event_encoded() -> None:
    fast_upstream = bench_module("fast_upstream")
    for seq in (0, 1, 63, 12345):
        whole = fast_upstream._event("messages", fast_upstream.messages_data(seq))
        assert fast_upstream.messages_event(seq) == whole


def test_a_stamped_token_event_carries_its_time_and_the_metadata() -> None:
    fast_upstream = bench_module("fast_upstream")
    event = fast_upstream.messages_event(7, stamp=True)
    name, data = event.removesuffix(b"\r\n\r\n").split(b"\r\n")
    assert name == b"event: messages"
    chunk, metadata = json.loads(data.removeprefix(b"data: "))
    assert fast_upstream.seq_of([chunk, metadata]) == 7
    assert isinstance(chunk["t"], float)
    assert metadata == fast_upstream.MESSAGE_METADATA
