"""The LangGraph graphs the tests (and the demo) run on the real LangGraph API server.

No model and no network: plain nodes, a custom stream writer, interrupt(), a subgraph, and
langchain-core's GenericFakeChatModel for token streams. The input text steers the `echo` node:

- "FAIL ..."       raises ValueError (a run that fails mid-stream)
- "SLEEP n ..."    sleeps n seconds, writing one custom event a second (cancellation, deadlines)
- "INTERRUPT ..."  calls interrupt() and echoes the resume value
- "WAIT g"         writes {"stage": "waiting", "gate": g}, then waits until the test opens gate g
- "TICK g [n]"     every 50 ms writes n custom events at once (default 1), until gate g opens
- steps joined by ";" run in turn: "WAIT a; TICK b"

Two more graphs: `memory` (the store as long-term memory: its node reads the user's profile,
writes the fact it is given and answers every fact it knows) and `deep` (`nested` as a subgraph,
so its subgraphs have namespaces like "outer|inner").

A gate is the store item ("gates", g): the test opens it with the sdk's store.put_item (see
tests/gates.py). Gated runs last exactly as long as the test wants, never a guessed time; a gate
never opened fails the run after GATE_TIMEOUT seconds, so a broken test cannot hold the server
(`langgraph dev` runs one run at a time) for longer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langgraph.config import get_store, get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt
from typing_extensions import TypedDict

GATES = ("gates",)
GATE_TIMEOUT = 60
POLL = 0.05


class State(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    count: int


def _last_text(state: State) -> str:
    messages = state.get("messages") or []
    return str(messages[-1].content) if messages else ""


async def echo(state: State) -> dict[str, Any]:
    text = _last_text(state)
    write = get_stream_writer()
    write({"stage": "echo-start", "text": text})
    if text.startswith("FAIL"):
        raise ValueError(f"boom: {text}")
    if text.startswith("SLEEP"):
        seconds = int(text.split()[1])
        for tick in range(seconds):
            await asyncio.sleep(1)
            write({"stage": "sleeping", "tick": tick + 1})
    if text.startswith(("WAIT", "TICK")):
        for step in text.split(";"):
            await _gated_step(step.split(), write)
    if text.startswith("INTERRUPT"):
        answer = interrupt({"question": "approve?", "text": text})
        return {"messages": [AIMessage(content=f"resumed with: {answer}")]}
    return {"messages": [AIMessage(content=f"echo: {text}")]}


async def _gated_step(words: list[str], write: Callable[[Any], None]) -> None:
    command, gate, *count = words
    if command == "WAIT":
        write({"stage": "waiting", "gate": gate})
    burst = int(count[0]) if count else 1
    tick = 0
    async with asyncio.timeout(GATE_TIMEOUT):
        while True:
            await asyncio.sleep(POLL)
            if await get_store().aget(GATES, gate) is not None:
                break
            if command == "TICK":
                tick += 1
                for n in range(burst):  # one synchronous burst: written in the same instant
                    write({"stage": "tick", "gate": gate, "tick": tick, "n": n})
    # The upstream's SSE id is the millisecond an event is sent in: let a few pass, so no event
    # after the gate shares an id with one the test saw before opening it.
    await asyncio.sleep(0.005)


def post(state: State) -> dict[str, Any]:
    return {"count": state.get("count", 0) + 1}


def _agent() -> Any:
    builder = StateGraph(State)
    builder.add_node("echo", echo)
    builder.add_node("post", post)
    builder.add_edge(START, "echo")
    builder.add_edge("echo", "post")
    builder.add_edge("post", END)
    return builder.compile()


def _nested() -> Any:
    builder = StateGraph(State)
    builder.add_node("inner", _agent())
    builder.add_edge(START, "inner")
    builder.add_edge("inner", END)
    return builder.compile()


async def chat(state: State) -> dict[str, Any]:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hello from the fake model")]))
    reply = await model.ainvoke(state.get("messages") or [])
    return {"messages": [reply]}


def _fakellm() -> Any:
    builder = StateGraph(State)
    builder.add_node("chat", chat)
    builder.add_edge(START, "chat")
    builder.add_edge("chat", END)
    return builder.compile()


class MemoryState(TypedDict, total=False):
    user: str
    fact: str
    profile: dict[str, Any] | None
    facts: list[str]


async def remember(state: MemoryState) -> dict[str, Any]:
    """Reads ("memories", user) "profile" (put by the test), stores the fact as "fact-<n>", and
    answers the profile and every fact of the user, sorted."""
    store = get_store()
    namespace = ("memories", state["user"])
    profile = await store.aget(namespace, "profile")
    known = await store.asearch(namespace, filter={"kind": "fact"}, limit=100)
    await store.aput(namespace, f"fact-{len(known)}", {"kind": "fact", "text": state["fact"]})
    facts = sorted([str(item.value["text"]) for item in known] + [state["fact"]])
    return {"profile": profile.value if profile else None, "facts": facts}


def _memory() -> Any:
    builder = StateGraph(MemoryState)
    builder.add_node("remember", remember)
    builder.add_edge(START, "remember")
    builder.add_edge("remember", END)
    return builder.compile()


def _deep() -> Any:
    builder = StateGraph(State)
    builder.add_node("outer", _nested())
    builder.add_edge(START, "outer")
    builder.add_edge("outer", END)
    return builder.compile()


agent = _agent()
nested = _nested()
fakellm = _fakellm()
memory = _memory()
deep = _deep()
