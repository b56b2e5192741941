"""The README's grpcurl and buf curl examples, run for real, in order, against the gateway in front of
the real LangGraph server; and the descriptor set the build publishes.

An example is a ```sh block right after an `<!-- example: NAME -->` line in the README. Each runs
with bash in the repository root, with grpcurl (.ci/bin) and buf (.ci/node_modules/.bin) on PATH
and the variables it reads set: GATEWAY (the gateway's host:port), and ASSISTANT_ID, THREAD_ID,
RUN_ID and CRON_ID, taken from the answers of the SearchAssistants, CreateThread, CreateRun and
CreateCron examples run before it. An example must exit 0, and its output must parse as the
response message of the RPC it calls (unknown fields refused), with the expected fields set. Every
RPC of the protos needs a grpcurl example. NEW_ASSISTANT_ID, the assistant the CreateAssistant
example makes (and the examples after it change, then delete), is taken the same way, and so are
COPY_ID (CopyThread, pruned after) and CHECKPOINT_ID (the checkpoint UpdateThreadState writes).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from grpc_tools import protoc
from langgraph_grpc_gateway import Gateway

from .conftest import ROOT

README = ROOT / "README.md"
SECTION = "## Calling it with grpcurl and buf curl"
PROTOSET = ROOT / "protos" / "langgraph_gateway.protoset"
PACKAGE = "langgraph_gateway.v1"
TOOLS = (ROOT / ".ci" / "bin", ROOT / ".ci" / "node_modules" / ".bin")

EXAMPLE = re.compile(r"^<!-- example: ([\w-]+) -->\n```sh\n(.*?)^```$", re.M | re.S)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
METHOD = re.compile(rf"\b{re.escape(PACKAGE)}\.(\w+)/(\w+)\b")

# The fields each RPC's answer must have (proto names), on top of parsing as its response message.
EXPECTED_FIELDS: dict[str, set[str]] = {
    "SearchAssistants": {"assistants"},
    "GetAssistant": {"assistant"},
    "GetAssistantGraph": {"graph"},
    "GetAssistantSchemas": {"graph_id", "input_schema", "output_schema", "state_schema"},
    "CreateAssistant": {"assistant"},
    "UpdateAssistant": {"assistant"},
    "ListAssistantVersions": {"versions"},
    "GetAssistantSubgraphs": {"subgraphs"},
    "SetLatestAssistantVersion": {"assistant"},
    "CountAssistants": {"count"},
    "DeleteAssistant": set(),
    "PutItem": set(),
    "GetItem": {"item"},
    "SearchItems": {"items"},
    "ListNamespaces": {"namespaces"},
    "DeleteItem": set(),
    "CreateThread": {"thread"},
    "GetThread": {"thread"},
    "SearchThreads": {"threads"},
    "DeleteThread": set(),
    "GetThreadState": {"state"},
    "GetThreadHistory": {"states"},
    "UpdateThreadState": {"checkpoint"},
    "UpdateThread": {"thread"},
    "CountThreads": {"count"},
    "CopyThread": {"thread"},
    "PruneThreads": {"pruned_count"},
    "JoinThreadStream": {"event", "mode"},
    "StreamRun": {"event", "mode"},
    "WaitRun": {"values", "run_id", "thread_id"},
    "CreateRun": {"run"},
    "GetRun": {"run"},
    "ListRuns": {"runs"},
    "CancelRun": set(),
    "JoinRun": {"values"},
    "JoinStream": {"event", "mode"},
    "DeleteRun": set(),
    "CreateRuns": {"runs"},
    "CancelRuns": set(),
    "CreateCron": {"cron"},
    "GetCron": {"cron"},
    "UpdateCron": {"cron"},
    "DeleteCron": set(),
    "SearchCrons": {"crons"},
    "CountCrons": {"count"},
}

# The variables later examples read, from an RPC's answer.
CAPTURES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "SearchAssistants": ("ASSISTANT_ID", lambda answer: answer["assistants"][0]["assistant_id"]),
    "CreateAssistant": ("NEW_ASSISTANT_ID", lambda answer: answer["assistant"]["assistant_id"]),
    "CreateThread": ("THREAD_ID", lambda answer: answer["thread"]["thread_id"]),
    "CreateRun": ("RUN_ID", lambda answer: answer["run"]["run_id"]),
    "CopyThread": ("COPY_ID", lambda answer: answer["thread"]["thread_id"]),
    "UpdateThreadState": ("CHECKPOINT_ID", lambda answer: answer["checkpoint"]["checkpoint_id"]),
    "CreateCron": ("CRON_ID", lambda answer: answer["cron"]["cron_id"]),
}


@dataclass(frozen=True)
class Example:
    name: str
    script: str

    @property
    def tool(self) -> str:
        return self.script.split()[0]

    @property
    def method(self) -> tuple[str, str] | None:
        """(service, method) the example calls, None for list/describe."""
        found = METHOD.search(self.script)
        return (found.group(1), found.group(2)) if found else None


def readme_examples() -> list[Example]:
    return [Example(name, script) for name, script in EXAMPLE.findall(README.read_text())]


def section(text: str, title: str) -> str:
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def load_protoset(data: bytes) -> descriptor_pb2.FileDescriptorSet:
    return descriptor_pb2.FileDescriptorSet.FromString(data)


def gateway_methods(files: descriptor_pb2.FileDescriptorSet) -> dict[tuple[str, str], Any]:
    """Every RPC of the gateway's services: (service, method) -> MethodDescriptorProto."""
    return {
        (service.name, method.name): method
        for file in files.file
        if file.package == PACKAGE
        for service in file.service
        for method in service.method
    }


def response_class(files: descriptor_pb2.FileDescriptorSet, type_name: str) -> Any:
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(type_name.lstrip(".")))


def json_messages(output: str) -> list[dict[str, Any]]:
    """The JSON objects grpcurl / buf curl print one after another (one per response message)."""
    decoder, messages, text = json.JSONDecoder(), [], output.strip()
    while text:
        message, end = decoder.raw_decode(text)
        assert isinstance(message, dict), message
        messages.append(message)
        text = text[end:].strip()
    return messages


PROTOSET_FILES = load_protoset(PROTOSET.read_bytes())
METHODS = gateway_methods(PROTOSET_FILES)


def test_published_protoset_is_the_protos_compiled(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "fresh.protoset"
    protos = ROOT / "protos"
    files = sorted(str(p.relative_to(protos)) for p in protos.rglob("*.proto"))
    include = pathlib.Path(protoc.__file__).parent / "_proto"
    args = ["protoc", f"-I{protos}", f"-I{include}", f"--descriptor_set_out={out}"]
    code = protoc.main([*args, "--include_imports", "--include_source_info", *files])
    assert code == 0
    assert out.read_bytes() == PROTOSET.read_bytes(), "stale protoset: run python protos/generate.py"
    assert {f.name for f in PROTOSET_FILES.file} >= {"google/protobuf/struct.proto", *files}
    assert len(METHODS) == len(EXPECTED_FIELDS)


def test_every_rpc_has_a_grpcurl_example() -> None:
    examples = readme_examples()
    names = [e.name for e in examples]
    assert len(names) == len(set(names)), f"example names repeat: {names}"
    covered = {e.method for e in examples if e.tool == "grpcurl"}
    missing = sorted(f"{s}/{m}" for s, m in METHODS if (s, m) not in covered)
    assert not missing, f"RPCs with no grpcurl example in README.md: {missing}"
    unknown = {e.method for e in examples if e.method} - set(METHODS)
    assert not unknown, f"examples call RPCs the protos do not have: {unknown}"
    assert set(EXPECTED_FIELDS) == {m for _, m in METHODS}, "EXPECTED_FIELDS must name every RPC"


def test_examples_use_the_protoset_and_buf_curl() -> None:
    examples = readme_examples()
    assert any(
        e.tool == "grpcurl" and "-protoset protos/langgraph_gateway.protoset" in e.script and e.method
        for e in examples
    ), "no grpcurl example calls an RPC with -protoset"
    buf = [e for e in examples if e.tool == "buf"]
    assert any("--list-methods" in e.script and "--schema" not in e.script for e in buf), "buf list"
    streaming = {m for m, d in METHODS.items() if d.server_streaming}
    assert any(e.method and e.method not in streaming for e in buf), "no unary buf curl example"
    assert any(e.method in streaming for e in buf), "no streaming buf curl example"


def test_every_command_in_the_section_is_a_tested_example() -> None:
    text = section(README.read_text(), SECTION)
    tested = {script for _, script in EXAMPLE.findall(text)}
    for _, body in FENCE.findall(text):
        if "grpcurl" in body or "buf curl" in body:
            assert body in tested, f"a README command block without <!-- example: NAME -->:\n{body}"


def check_output(example: Example, output: str, env: dict[str, str]) -> list[dict[str, Any]]:
    """Fails unless the output is the answer the example's RPC (or listing) should give; returns
    the answer's messages with proto field names."""
    services = sorted({f"{PACKAGE}.{s}" for s, _ in METHODS})
    if example.method is None and example.tool == "grpcurl" and example.script.split()[-1] == "list":
        assert set(output.split()) >= {*services, "grpc.health.v1.Health"}, output
        return []
    if example.method is None and " describe " in example.script:
        assert "is a service:" in output, output
        return []
    if example.method is None and "--list-methods" in example.script:
        assert set(output.split()) >= {f"{PACKAGE}.{s}/{m}" for s, m in METHODS}, output
        return []
    assert example.method is not None, f"example {example.name}: what does it check?"
    descriptor = METHODS[example.method]
    cls = response_class(PROTOSET_FILES, descriptor.output_type)
    messages = json_messages(output)
    if descriptor.server_streaming:
        assert messages, f"{example.name}: no stream message"
    else:
        assert len(messages) == 1, f"{example.name}: {len(messages)} messages for a unary call"
    parsed = []
    for message in messages:
        proto = json_format.ParseDict(message, cls())  # refuses unknown fields and wrong types
        parsed.append(json_format.MessageToDict(proto, preserving_proto_field_name=True))
    expected = EXPECTED_FIELDS[example.method[1]]
    if descriptor.server_streaming:
        for answer in parsed:
            assert expected <= answer.keys(), f"{example.name}: {answer}"
        events = [answer["event"] for answer in parsed]
        assert events[0] == "metadata", events
        assert "updates" in events, events
    elif not expected:
        assert parsed == [{}], f"{example.name}: {parsed}"
    else:
        assert expected <= parsed[0].keys(), f"{example.name}: {sorted(parsed[0])}"
    answer = parsed[0]
    match example.method[1]:
        case "StreamRun":
            assert [a["event"] for a in parsed] == ["metadata", "updates", "updates"]
        case "GetThread":
            assert answer["thread"]["thread_id"] == env["THREAD_ID"]
        case "SearchThreads":
            assert env["THREAD_ID"] in [t["thread_id"] for t in answer["threads"]]
        case "GetAssistant":
            assert answer["assistant"]["assistant_id"] == env["ASSISTANT_ID"]
        case "UpdateAssistant":
            assert (answer["assistant"]["graph_id"], answer["assistant"]["version"]) == ("deep", 2)
        case "ListAssistantVersions":
            assert [v["version"] for v in answer["versions"]] == [2, 1]
        case "GetAssistantSubgraphs":
            assert sorted(answer["subgraphs"]) == ["outer", "outer|inner"]
        case "SetLatestAssistantVersion":
            assert answer["assistant"]["version"] == 1
        case "CountAssistants":
            assert answer["count"] == 1
        case "GetItem":
            assert answer["item"]["value"] == {"name": "Ada", "likes": ["tea"]}
        case "SearchItems":
            assert [(i["namespace"], i["key"]) for i in answer["items"]] == [(["users", "readme"], "profile")]
        case "ListNamespaces":
            assert {"labels": ["users", "readme"]} in answer["namespaces"]
        case "WaitRun":
            assert answer["thread_id"] == env["THREAD_ID"]
            assert answer["values"]["messages"][-1]["content"] == "echo: hi"
        case "GetRun":
            assert answer["run"]["run_id"] == env["RUN_ID"]
        case "ListRuns":
            assert env["RUN_ID"] in [r["run_id"] for r in answer["runs"]]
        case "GetCron":
            assert answer["cron"]["cron_id"] == env["CRON_ID"]
        case "UpdateCron":
            assert answer["cron"]["schedule"] == "30 8 * * 1-5"
            assert answer["cron"]["metadata"] == {"owner": "readme"}
        case "SearchCrons":
            assert [c["cron_id"] for c in answer["crons"]] == [env["CRON_ID"]]
        case "CountCrons":
            assert answer["count"] == 1
        case "JoinRun":
            assert answer["values"]["messages"][-1]["content"] == "echo: again"
        case "UpdateThread":
            assert answer["thread"]["metadata"] == {"owner": "readme", "reviewed": True}
        case "CountThreads":
            assert answer["count"] >= 1
        case "CopyThread":
            assert answer["thread"]["thread_id"] != env["THREAD_ID"]
        case "PruneThreads":
            assert answer["pruned_count"] == 1
        case "CreateRuns":
            assert [r["status"] for r in answer["runs"]] == ["pending", "pending"]
        case "JoinThreadStream":
            assert parsed[-1]["data"]["status"] == "run_done", parsed[-1]
        case "GetThreadState" if "CHECKPOINT_ID" in example.script:
            assert answer["state"]["checkpoint"]["checkpoint_id"] == env["CHECKPOINT_ID"]
            assert answer["state"]["values"]["count"] == 10
    return parsed


async def run_example(example: Example, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        "bash",
        "-euo",
        "pipefail",
        "-c",
        example.script,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


@pytest.mark.upstream
async def test_readme_examples_run_against_the_live_gateway(gateway: Gateway) -> None:
    for tool in TOOLS:
        assert tool.is_dir(), f"{tool} missing: run `bash .ci/setup`"
    path = os.pathsep.join([*(str(t) for t in TOOLS), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "GATEWAY": f"127.0.0.1:{gateway.port}"}
    examples = readme_examples()
    assert examples, "no <!-- example: NAME --> block in README.md"
    for example in examples:
        code, out, err = await run_example(example, env)
        assert code == 0, f"example {example.name} exited {code}:\n{example.script}\n{err}{out[-2000:]}"
        try:
            answers = check_output(example, out, env)
        except (AssertionError, ValueError, json_format.ParseError) as e:
            raise AssertionError(f"example {example.name}:\n{example.script}\noutput:\n{out[-3000:]}") from e
        if example.method and example.method[1] in CAPTURES:
            variable, take = CAPTURES[example.method[1]]
            env[variable] = take(answers[0])
