"""The production settings from flags and LANGGRAPH_GATEWAY_* variables, and their clear errors."""

from __future__ import annotations

import pytest
from langgraph_grpc_gateway import __main__ as cli
from langgraph_grpc_gateway.config import ConfigError, Settings


def settings(argv: list[str], environ: dict[str, str] | None = None) -> Settings:
    return cli.settings_from_args(cli.build_parser(environ or {}).parse_args(["--upstream=http://h", *argv]))


ENV = {
    "LANGGRAPH_GATEWAY_DRAIN_DELAY": "2",
    "LANGGRAPH_GATEWAY_MAX_CONCURRENT_STREAMS": "7",
    "LANGGRAPH_GATEWAY_MAX_RECEIVE_MESSAGE_BYTES": "1000",
    "LANGGRAPH_GATEWAY_MAX_SEND_MESSAGE_BYTES": "2000",
    "LANGGRAPH_GATEWAY_MAX_CONNECTION_AGE": "30",
    "LANGGRAPH_GATEWAY_MAX_CONNECTION_AGE_GRACE": "60",
    "LANGGRAPH_GATEWAY_UPSTREAM_HEALTH_INTERVAL": "5",
    "LANGGRAPH_GATEWAY_UPSTREAM_HEALTH_TIMEOUT": "1",
    "LANGGRAPH_GATEWAY_API_KEYS": "k1, k2",
    "LANGGRAPH_GATEWAY_BEARER_TOKENS": "t1",
    "LANGGRAPH_GATEWAY_METRICS_LISTEN": "0.0.0.0:9090",
    "LANGGRAPH_GATEWAY_TRACING": "yes",
    "LANGGRAPH_GATEWAY_WORKERS": "3",
    "LANGGRAPH_GATEWAY_KEEPALIVE_TIME": "0",
}


def test_every_production_variable_is_read() -> None:
    assert settings([], ENV) == Settings(
        upstream="http://h",
        drain_delay=2,
        max_concurrent_streams=7,
        max_receive_message_bytes=1000,
        max_send_message_bytes=2000,
        max_connection_age=30,
        max_connection_age_grace=60,
        upstream_health_interval=5,
        upstream_health_timeout=1,
        api_keys=frozenset({"k1", "k2"}),
        bearer_tokens=frozenset({"t1"}),
        metrics_listen="0.0.0.0:9090",
        tracing=True,
        workers=3,
        keepalive_time=0,
    )


def test_the_access_log_variable_turns_it_off() -> None:
    """About that setting alone: every other variable here leaves the access log on, as shipped."""
    assert settings([]).access_log is True
    assert settings([], {"LANGGRAPH_GATEWAY_ACCESS_LOG": "false"}).access_log is False


def test_flags_win_and_defaults_match_settings() -> None:
    assert settings(["--workers=1", "--tracing=off"], ENV).workers == 1
    assert settings([]) == Settings(upstream="http://h")


BAD = {
    "streams zero": (["--max-concurrent-streams=0"], "max_concurrent_streams must be at least 1, got 0"),
    "age zero": (["--max-connection-age=0"], "max_connection_age must be positive, got 0.0"),
    "grace text": (["--max-connection-age-grace=later"], "--max-connection-age-grace must be a number"),
    "bool": (["--tracing=maybe"], "--tracing must be true or false, got 'maybe'"),
    "metrics listen": (["--metrics-listen=9090"], "metrics_listen must be HOST:PORT"),
    "workers on port 0": (
        ["--workers=2", "--listen=127.0.0.1:0"],
        "workers above 1 need a fixed listen port",
    ),
    "health timeout": (["--upstream-health-timeout=0"], "upstream_health_timeout must be positive"),
    "missing auth file": (
        ["--auth-file=/nonexistent/creds"],
        "--auth-file '/nonexistent/creds' cannot be read",
    ),
}


@pytest.mark.parametrize(("argv", "message"), BAD.values(), ids=BAD.keys())
def test_bad_values_name_the_setting(argv: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(argv)


def test_secrets_are_not_in_the_settings_repr() -> None:
    shown = repr(Settings(upstream="http://h", api_keys=frozenset({"s3cr3t-a"}), upstream_api_key="s3cr3t-b"))
    assert "s3cr3t" not in shown
