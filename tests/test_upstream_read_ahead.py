"""How far the gateway reads an upstream answer ahead of its relay: a little, then the socket
waits (upstream.READ_BUFFER). A process that falls behind, or a client that stops reading, then
leaves the backlog in the kernel and the upstream rather than in the gateway's memory."""

from __future__ import annotations

from langgraph_grpc_gateway import Settings
from langgraph_grpc_gateway.upstream import READ_BUFFER, create_session

from .scripted_upstream import Script, ScriptedUpstream, sse
from .test_client_faults import settles

EVENT = sse("updates", {"pad": "x" * 1000})


async def test_an_answer_nobody_reads_stops_being_read_after_a_few_kib() -> None:
    # 400 KB of events, one a millisecond: each reaches the session in a read of its own, so what
    # is read before the socket pauses says how far the session reads ahead (with aiohttp's
    # default, 512 KiB: all of it, unpaused).
    script = Script(chunks=[EVENT] * 400, pause=0.001)
    async with ScriptedUpstream(script) as upstream:
        session = create_session(Settings(upstream=upstream.url))
        async with session, session.post(f"{upstream.url}/runs/stream", json={}) as answer:
            assert answer.connection is not None and answer.connection.transport is not None
            transport = answer.connection.transport
            assert await settles(lambda: int(transport.is_reading()), 0, within=30) == 0
            read = answer.content.total_bytes
            assert 2 * READ_BUFFER < read <= 2 * READ_BUFFER + 4 * len(EVENT), read
            # Read on, and the answer is whole: pausing lost nothing.
            body = await answer.content.read()
            assert body == EVENT * 400
