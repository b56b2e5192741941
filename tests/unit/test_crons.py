"""Cron requests to upstream paths and HTTP bodies, and cron answers to messages: pure, table-driven."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from langgraph_gateway.v1 import crons_pb2
from langgraph_grpc_gateway import resources, routes, translate
from langgraph_grpc_gateway.errors import GatewayError

UUID = "01a21395-a3f9-7753-aa10-396f54005f8a"


@pytest.mark.parametrize(
    ("thread_id", "path"),
    [(None, "/runs/crons"), ("", "/runs/crons"), (UUID, f"/threads/{UUID}/runs/crons")],
)
def test_cron_create_path(thread_id: str | None, path: str) -> None:
    assert routes.cron_create(thread_id) == path


def test_cron_path() -> None:
    assert routes.cron(UUID) == f"/runs/crons/{UUID}"


@pytest.mark.parametrize("bad", ["", "../search", "a/b", ".x", "%2e%2e", "x?y=1", "x" * 200])
def test_cron_ids_refused(bad: str) -> None:
    for build, field in ((routes.cron, "cron_id"), (routes.cron_create, "thread_id")):
        if build is routes.cron_create and not bad:
            continue  # an empty thread id is a stateless cron
        with pytest.raises(GatewayError) as info:
            build(bad)
        assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert info.value.metadata == {"field": field}


def create(fields: dict[str, Any]) -> dict[str, Any]:
    return translate.cron_body(json_format.ParseDict(fields, crons_pb2.CreateCronRequest()))


REQUIRED = {"assistant_id": "agent", "schedule": "0 9 * * *"}

CREATE_BODIES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {}),
    ({"thread_id": UUID}, {}),  # the thread goes in the path
    ({"input": {"messages": []}, "metadata": {"n": 1}}, {"input": {"messages": []}, "metadata": {"n": 1}}),
    ({"config": {"recursion_limit": 5.0}}, {"config": {"recursion_limit": 5}}),
    (
        {"interrupt_before": ["*"], "interrupt_after": ["a", "b"]},
        {"interrupt_before": "*", "interrupt_after": ["a", "b"]},
    ),
    ({"on_run_completed": "ON_COMPLETION_KEEP"}, {"on_run_completed": "keep"}),
    ({"multitask_strategy": "MULTITASK_STRATEGY_ENQUEUE"}, {"multitask_strategy": "enqueue"}),
    ({"durability": "DURABILITY_EXIT"}, {"durability": "exit"}),
    ({"enabled": False, "checkpoint_during": False}, {"enabled": False, "checkpoint_during": False}),
    (
        {"stream_subgraphs": False, "stream_resumable": True},
        {"stream_subgraphs": False, "stream_resumable": True},
    ),
    ({"stream_mode": ["updates", "messages-tuple"]}, {"stream_mode": ["updates", "messages-tuple"]}),
    (
        {"end_time": "2030-01-01T00:00:00+00:00", "timezone": "Europe/Paris", "webhook": "https://h/x"},
        {"end_time": "2030-01-01T00:00:00+00:00", "timezone": "Europe/Paris", "webhook": "https://h/x"},
    ),
    ({"on_run_completed": "ON_COMPLETION_UNSPECIFIED", "durability": "DURABILITY_UNSPECIFIED"}, {}),
]


@pytest.mark.parametrize(("fields", "extra"), CREATE_BODIES)
def test_cron_body(fields: dict[str, Any], extra: dict[str, Any]) -> None:
    """Set fields go under their names (enums spelled as the HTTP API does); unset ones are left out."""
    assert create({**REQUIRED, **fields}) == {**REQUIRED, **extra}


@pytest.mark.parametrize("missing", ["assistant_id", "schedule"])
def test_cron_body_requires(missing: str) -> None:
    with pytest.raises(GatewayError) as info:
        create({k: v for k, v in REQUIRED.items() if k != missing})
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert info.value.metadata == {"field": missing}


def test_cron_body_refuses_nan() -> None:
    request = crons_pb2.CreateCronRequest(**REQUIRED)
    request.input.number_value = float("nan")
    with pytest.raises(GatewayError) as info:
        translate.cron_body(request)
    assert info.value.metadata == {"field": "input"}


UPDATE_BODIES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {}),  # nothing set: sent as {}, which the upstream refuses (400)
    ({"end_time": None}, {"end_time": None}),  # JSON null clears the end time
    ({"end_time": "2030-01-01T00:00:00Z"}, {"end_time": "2030-01-01T00:00:00Z"}),
    ({"schedule": "*/5 * * * *", "enabled": False}, {"schedule": "*/5 * * * *", "enabled": False}),
    ({"metadata": {}}, {"metadata": {}}),
    (
        {"interrupt_after": ["*"], "on_run_completed": "ON_COMPLETION_DELETE"},
        {"interrupt_after": "*", "on_run_completed": "delete"},
    ),
]


@pytest.mark.parametrize(("fields", "body"), UPDATE_BODIES)
def test_update_body(fields: dict[str, Any], body: dict[str, Any]) -> None:
    request = json_format.ParseDict({"cron_id": UUID, **fields}, crons_pb2.UpdateCronRequest())
    assert translate.request_body(request, exclude={"cron_id"}) == body


@pytest.mark.parametrize(
    ("fields", "body"),
    [
        ({}, {}),
        ({"limit": 5, "offset": 0, "enabled": False}, {"limit": 5, "enabled": False}),
        (
            {"select": ["cron_id"], "sort_by": "next_run_date"},
            {"select": ["cron_id"], "sort_by": "next_run_date"},
        ),
    ],
)
def test_search_body(fields: dict[str, Any], body: dict[str, Any]) -> None:
    request = json_format.ParseDict(fields, crons_pb2.SearchCronsRequest())
    assert translate.request_body(request) == body


UPSTREAM_CRON = {
    "cron_id": UUID,
    "assistant_id": "fe096781-5601-53d2-b2f6-0d3403f7e9ca",
    "thread_id": None,
    "user_id": "",
    "end_time": None,
    "schedule": "0 0 1 1 *",
    "timezone": "Europe/Paris",
    "payload": {
        "schedule": "0 0 1 1 *",
        "interrupt_before": "*",
        "config": {"configurable": {"cron_id": UUID}},
    },
    "next_run_date": "2026-12-31T23:00:00+00:00",
    "metadata": {},
    "on_run_completed": "delete",
    "enabled": False,
    "created_at": "2026-12-01T14:38:48.455640+00:00",
    "updated_at": "2026-12-01T14:38:48.455640+00:00",
    "now": "2026-12-01T14:38:49+00:00",  # unknown keys are dropped
}


def test_cron_message() -> None:
    """null leaves a field unset; "" and false stay set (they are answers, not absences)."""
    cron = resources.to_message(crons_pb2.Cron, UPSTREAM_CRON, "a cron")
    got = json_format.MessageToDict(cron, preserving_proto_field_name=True)
    assert got == {k: v for k, v in UPSTREAM_CRON.items() if v is not None and k != "now"}
    assert not cron.HasField("thread_id") and cron.HasField("user_id") and cron.HasField("enabled")


def test_cron_message_selected_fields() -> None:
    cron = resources.to_message(crons_pb2.Cron, {"cron_id": UUID}, "a cron")
    assert not cron.HasField("enabled") and not cron.HasField("payload")
