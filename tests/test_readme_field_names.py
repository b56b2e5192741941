"""What the README says of the field names grpcurl prints, checked with its own two SearchAssistants
examples: proto names over reflection, JSON names with the published descriptor set."""

from __future__ import annotations

import os

import pytest
from langgraph_grpc_gateway import Gateway

from .test_cli_examples import README, TOOLS, json_messages, readme_examples, run_example


def test_the_readme_says_which_names_each_way_prints() -> None:
    text = " ".join(README.read_text().split())
    assert "Over reflection grpcurl prints the proto names (`thread_id`)" in text
    assert "With `-protoset` it prints the JSON names (`threadId`)" in text
    assert "(its answer has the JSON names: `assistantId`, `graphId`)" in text


@pytest.mark.upstream
async def test_grpcurl_prints_proto_names_by_reflection_and_json_names_with_the_protoset(
    gateway: Gateway,
) -> None:
    path = os.pathsep.join([*(str(t) for t in TOOLS), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "GATEWAY": f"127.0.0.1:{gateway.port}"}
    examples = {e.name: e for e in readme_examples()}
    keys = {}
    for name in ("search-assistants", "search-assistants-protoset"):
        code, out, err = await run_example(examples[name], env)
        assert code == 0, err
        [answer] = json_messages(out)
        keys[name] = set(answer["assistants"][0])
    assert {"assistant_id", "graph_id"} <= keys["search-assistants"]
    assert not {"assistantId", "graphId"} & keys["search-assistants"]
    assert {"assistantId", "graphId"} <= keys["search-assistants-protoset"]
    assert not {"assistant_id", "graph_id"} & keys["search-assistants-protoset"]
