"""access_log.Batched: access lines written a batch at a time, whole, within a bound, never lost
on a clean exit; and the line's pid, read once, right in a forked child."""

from __future__ import annotations

import asyncio
import json
import os

import grpc
from langgraph_grpc_gateway import access_log
from langgraph_grpc_gateway.access_log import Batched
from langgraph_grpc_gateway.calls import Call


def line(n: int, size: int = 100) -> bytes:
    return (f'{{"n":{n},"pad":"' + "x" * size + '"}\n').encode()


async def test_lines_of_one_moment_share_one_write_when_the_interval_ends() -> None:
    writes: list[bytes] = []
    written = asyncio.Event()

    def write(data: bytes) -> None:
        writes.append(data)
        written.set()

    lines = Batched(write, interval=0.05)
    for n in range(5):
        lines(line(n))
    assert writes == []  # not one write per line
    await asyncio.wait_for(written.wait(), 10)
    assert writes == [b"".join(line(n) for n in range(5))]


async def test_a_write_holds_whole_lines_within_the_limit_and_a_long_line_alone() -> None:
    writes: list[bytes] = []
    lines = Batched(writes.append, interval=3600, limit=1000)
    sent = [line(n) for n in range(30)] + [line(30, size=5000), line(31)]
    for each in sent:
        lines(each)
    lines.flush()
    assert b"".join(writes) == b"".join(sent)  # every line, in order
    for data in writes:
        assert data.endswith(b"\n") and data.count(b"\n") == len(data.splitlines())
        assert len(data) <= 1000 or data == line(30, size=5000)
    assert len(writes) < len(sent) / 5


async def test_flush_writes_what_waits_and_the_timer_then_writes_nothing_again() -> None:
    writes: list[bytes] = []
    lines = Batched(writes.append, interval=0.01)
    lines(line(1))
    lines.flush()
    assert writes == [line(1)]
    lines.flush()  # nothing left: no empty write
    assert writes == [line(1)]
    lines(line(2))  # a new batch, with a timer of its own
    lines.flush()
    assert writes == [line(1), line(2)]


def test_with_no_event_loop_a_line_is_written_at_once() -> None:
    writes: list[bytes] = []
    lines = Batched(writes.append)
    lines(line(1))
    assert writes == [line(1)]


def test_a_forked_process_writes_its_own_pid() -> None:
    """The pid is read once, not per line: a child forked afterwards still names itself."""
    call = Call("svc", "M", "unary", (), code=grpc.StatusCode.NOT_FOUND)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child)
        os.write(write, access_log.line(call))
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as pipe:
        written = json.loads(pipe.read())
    assert written["pid"] == child and written["pid"] != os.getpid()
    assert written["code"] == "NOT_FOUND"
