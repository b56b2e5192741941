"""Settings validation and the command line: flags, LANGGRAPH_GATEWAY_* variables, clear errors."""

from __future__ import annotations

import argparse
import os

import pytest
from langgraph_grpc_gateway import __main__ as cli
from langgraph_grpc_gateway import headers
from langgraph_grpc_gateway.config import ConfigError, Settings, parse_listen

NAN = float("nan")


# --- Settings -----------------------------------------------------------------------------------


def test_defaults() -> None:
    settings = Settings(upstream="http://127.0.0.1:8123")
    assert settings == Settings(
        upstream="http://127.0.0.1:8123",
        listen="127.0.0.1:50051",
        upstream_api_key=None,
        forward_metadata=headers.DEFAULT_FORWARDED,
        connect_timeout=10.0,
        max_upstream_connections=None,
        shutdown_grace=10.0,
    )


GOOD_UPSTREAMS = {
    "http": ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    "https": ("https://api.example.com", "https://api.example.com"),
    "trailing slash": ("http://localhost:8123/", "http://localhost:8123"),
    "path prefix": ("https://h.example/langgraph/", "https://h.example/langgraph"),
    "ipv6": ("http://[::1]:8123", "http://[::1]:8123"),
    "upper-case scheme": ("HTTP://h", "HTTP://h"),
}


@pytest.mark.parametrize(("upstream", "base"), GOOD_UPSTREAMS.values(), ids=GOOD_UPSTREAMS.keys())
def test_good_upstream(upstream: str, base: str) -> None:
    assert Settings(upstream=upstream).upstream_base == base


BAD_UPSTREAMS = {
    "ftp": "ftp://h.example",
    "ws": "ws://h.example",
    "no scheme": "localhost:8123",
    "bare host": "localhost",
    "no host": "http://",
    "no host with path": "http:///runs",
    "only a port": "http://:8123",
    "empty": "",
    "query": "http://h.example?x=1",
    "empty query": "http://h.example/?",
    "fragment": "http://h.example#f",
    "non-numeric port": "http://localhost:abc",
    "port out of range": "http://localhost:99999",
}


@pytest.mark.parametrize("upstream", BAD_UPSTREAMS.values(), ids=BAD_UPSTREAMS.keys())
def test_bad_upstream(upstream: str) -> None:
    with pytest.raises(ConfigError, match=r"^upstream must ") as caught:
        Settings(upstream=upstream)
    assert repr(upstream) in str(caught.value)


GOOD_LISTEN = {
    "ipv4": ("127.0.0.1:50051", ("127.0.0.1", 50051)),
    "any": ("0.0.0.0:0", ("0.0.0.0", 0)),
    "name": ("localhost:1", ("localhost", 1)),
    "ipv6": ("[::1]:65535", ("[::1]", 65535)),
    "ipv6 any": ("[::]:50051", ("[::]", 50051)),
}


@pytest.mark.parametrize(("listen", "expected"), GOOD_LISTEN.values(), ids=GOOD_LISTEN.keys())
def test_good_listen(listen: str, expected: tuple[str, int]) -> None:
    assert parse_listen(listen) == expected
    assert Settings(upstream="http://h", listen=listen).listen == listen


BAD_LISTEN = {
    "empty": "",
    "port only": "50051",
    "no host": ":50051",
    "no port": "localhost:",
    "non-numeric port": "localhost:http",
    "negative port": "localhost:-1",
    "port too large": "localhost:65536",
    "huge port": "localhost:99999999999999999999",
    "space in port": "localhost: 80",
    "plus sign": "localhost:+80",
    "superscript digit": "localhost:\u00b2",
    "arabic-indic digit": "localhost:\u0663",
    "fullwidth digits": "localhost:\uff18\uff10",
}


@pytest.mark.parametrize("listen", BAD_LISTEN.values(), ids=BAD_LISTEN.keys())
def test_bad_listen(listen: str) -> None:
    message = f"listen must be HOST:PORT with a port from 0 to 65535, got {listen!r}"
    with pytest.raises(ConfigError) as caught:
        parse_listen(listen)
    assert str(caught.value) == message
    with pytest.raises(ConfigError) as caught:
        Settings(upstream="http://h", listen=listen)
    assert str(caught.value) == message


BAD_NUMBERS = {
    "connect_timeout zero": ({"connect_timeout": 0}, "connect_timeout must be positive, got 0"),
    "connect_timeout negative": ({"connect_timeout": -1.5}, "connect_timeout must be positive, got -1.5"),
    "shutdown_grace negative": ({"shutdown_grace": -0.1}, "shutdown_grace must not be negative, got -0.1"),
    "max_upstream_connections zero": (
        {"max_upstream_connections": 0},
        "max_upstream_connections must be at least 1, got 0",
    ),
    "max_upstream_connections negative": (
        {"max_upstream_connections": -3},
        "max_upstream_connections must be at least 1, got -3",
    ),
}


@pytest.mark.parametrize(("fields", "message"), BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_bad_numbers(fields: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings(upstream="http://h", **fields)  # type: ignore[arg-type]
    assert str(caught.value) == message


@pytest.mark.parametrize("field", ["connect_timeout", "shutdown_grace"])
def test_nan_is_refused(field: str) -> None:
    with pytest.raises(ConfigError, match=f"^{field} "):
        Settings(upstream="http://h", **{field: NAN})  # type: ignore[arg-type]


def test_edge_numbers_accepted() -> None:
    settings = Settings(
        upstream="http://h", connect_timeout=0.001, shutdown_grace=0, max_upstream_connections=1
    )
    assert (settings.connect_timeout, settings.shutdown_grace, settings.max_upstream_connections) == (
        0.001,
        0,
        1,
    )


def test_settings_are_frozen() -> None:
    settings = Settings(upstream="http://h")
    with pytest.raises(AttributeError):
        settings.upstream = "http://other"  # type: ignore[misc]


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


# --- command line ---------------------------------------------------------------------------------

ENV_VARS = [
    "LANGGRAPH_GATEWAY_UPSTREAM",
    "LANGGRAPH_GATEWAY_LISTEN",
    "LANGGRAPH_GATEWAY_UPSTREAM_API_KEY",
    "LANGGRAPH_GATEWAY_FORWARD_METADATA",
    "LANGGRAPH_GATEWAY_CONNECT_TIMEOUT",
    "LANGGRAPH_GATEWAY_MAX_UPSTREAM_CONNECTIONS",
    "LANGGRAPH_GATEWAY_SHUTDOWN_GRACE",
    "LANGGRAPH_GATEWAY_LOG_LEVEL",
]


def parse(argv: list[str], environ: dict[str, str] | None = None) -> argparse.Namespace:
    return cli.build_parser(environ or {}).parse_args(argv)


def settings(argv: list[str], environ: dict[str, str] | None = None) -> Settings:
    return cli.settings_from_args(parse(argv, environ))


def test_cli_minimal() -> None:
    assert settings(["--upstream", "http://127.0.0.1:8123"]) == Settings(upstream="http://127.0.0.1:8123")
    assert parse(["--upstream", "http://h"]).log_level == "INFO"


def test_cli_every_flag() -> None:
    argv = [
        "--upstream=https://h.example/prefix",
        "--listen=[::]:6000",
        "--upstream-api-key=secret",
        "--forward-metadata=X-Tenant, x-other,,",
        "--connect-timeout=2.5",
        "--max-upstream-connections=8",
        "--shutdown-grace=0",
    ]
    assert settings(argv) == Settings(
        upstream="https://h.example/prefix",
        listen="[::]:6000",
        upstream_api_key="secret",
        forward_metadata=headers.DEFAULT_FORWARDED | {"x-tenant", "x-other"},
        connect_timeout=2.5,
        max_upstream_connections=8,
        shutdown_grace=0.0,
    )


FULL_ENV = {
    "LANGGRAPH_GATEWAY_UPSTREAM": "https://env.example",
    "LANGGRAPH_GATEWAY_LISTEN": "0.0.0.0:7000",
    "LANGGRAPH_GATEWAY_UPSTREAM_API_KEY": "env-key",
    "LANGGRAPH_GATEWAY_FORWARD_METADATA": "x-env",
    "LANGGRAPH_GATEWAY_CONNECT_TIMEOUT": "3",
    "LANGGRAPH_GATEWAY_MAX_UPSTREAM_CONNECTIONS": "4",
    "LANGGRAPH_GATEWAY_SHUTDOWN_GRACE": "5",
    "LANGGRAPH_GATEWAY_LOG_LEVEL": "DEBUG",
}


def test_cli_env_vars_are_read() -> None:
    assert parse([], FULL_ENV).log_level == "DEBUG"
    assert settings([], FULL_ENV) == Settings(
        upstream="https://env.example",
        listen="0.0.0.0:7000",
        upstream_api_key="env-key",
        forward_metadata=headers.DEFAULT_FORWARDED | {"x-env"},
        connect_timeout=3.0,
        max_upstream_connections=4,
        shutdown_grace=5.0,
    )


def test_cli_flags_win_over_env_vars() -> None:
    argv = [
        "--upstream=http://flag.example",
        "--listen=127.0.0.1:8000",
        "--upstream-api-key=flag-key",
        "--forward-metadata=x-flag",
        "--connect-timeout=1",
        "--max-upstream-connections=2",
        "--shutdown-grace=3",
        "--log-level=info",
    ]
    assert parse(argv, FULL_ENV).log_level == "info"
    assert settings(argv, FULL_ENV) == Settings(
        upstream="http://flag.example",
        listen="127.0.0.1:8000",
        upstream_api_key="flag-key",
        forward_metadata=headers.DEFAULT_FORWARDED | {"x-flag"},
        connect_timeout=1.0,
        max_upstream_connections=2,
        shutdown_grace=3.0,
    )


def test_cli_env_var_names() -> None:
    help_text = cli.build_parser({}).format_help()
    for name in ENV_VARS:
        assert name in help_text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANGGRAPH_GATEWAY_UPSTREAM_API_KEY": ""}, None),
        ({"LANGGRAPH_GATEWAY_MAX_UPSTREAM_CONNECTIONS": ""}, None),
    ],
    ids=["empty api key", "empty connection cap"],
)
def test_cli_empty_env_vars_mean_unset(environ: dict[str, str], expected: None) -> None:
    result = settings(["--upstream=http://h"], environ)
    assert result.upstream_api_key is expected
    assert result.max_upstream_connections is expected


def test_cli_upstream_required() -> None:
    with pytest.raises(ConfigError) as caught:
        settings([])
    assert str(caught.value) == "--upstream (or LANGGRAPH_GATEWAY_UPSTREAM) is required"


BAD_FLAGS = {
    "connect-timeout text": (["--connect-timeout=abc"], "--connect-timeout must be a number, got 'abc'"),
    "connect-timeout empty": (["--connect-timeout="], "--connect-timeout must be a number, got ''"),
    "shutdown-grace text": (["--shutdown-grace=soon"], "--shutdown-grace must be a number, got 'soon'"),
    "max-upstream-connections fraction": (
        ["--max-upstream-connections=2.5"],
        "--max-upstream-connections must be a number, got '2.5'",
    ),
    "max-upstream-connections text": (
        ["--max-upstream-connections=many"],
        "--max-upstream-connections must be a number, got 'many'",
    ),
    "connect-timeout negative": (["--connect-timeout", "-1"], "connect_timeout must be positive, got -1.0"),
    "shutdown-grace negative": (["--shutdown-grace=-2"], "shutdown_grace must not be negative, got -2.0"),
    "max-upstream-connections zero": (
        ["--max-upstream-connections=0"],
        "max_upstream_connections must be at least 1, got 0",
    ),
    "max-upstream-connections negative": (
        ["--max-upstream-connections", "-1"],
        "max_upstream_connections must be at least 1, got -1",
    ),
    "upstream ftp": (
        ["--upstream=ftp://h"],
        "upstream must be an http:// or https:// URL, got 'ftp://h'",
    ),
    "upstream query": (
        ["--upstream=http://h?a=1"],
        "upstream must not have a query or fragment, got 'http://h?a=1'",
    ),
    "listen": (["--listen=nowhere"], "listen must be HOST:PORT with a port from 0 to 65535, got 'nowhere'"),
}


@pytest.mark.parametrize(("argv", "message"), BAD_FLAGS.values(), ids=BAD_FLAGS.keys())
def test_cli_bad_values(argv: list[str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(["--upstream=http://h", *argv])
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LANGGRAPH_GATEWAY_CONNECT_TIMEOUT", "ten", "--connect-timeout must be a number, got 'ten'"),
        (
            "LANGGRAPH_GATEWAY_LISTEN",
            "50051",
            "listen must be HOST:PORT with a port from 0 to 65535, got '50051'",
        ),
        ("LANGGRAPH_GATEWAY_UPSTREAM", "h:8123", "upstream must be an http:// or https:// URL, got 'h:8123'"),
    ],
)
def test_cli_bad_env_values(name: str, value: str, message: str) -> None:
    environ = {"LANGGRAPH_GATEWAY_UPSTREAM": "http://h", name: value}
    with pytest.raises(ConfigError) as caught:
        settings([], environ)
    assert str(caught.value) == message


# --- main(): exit status 2 with a one-line message, never a traceback ----------------------------


@pytest.fixture
def main_env(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """A clean environment, and serve() replaced so that main() never starts a server."""
    for name in list(os.environ):
        if name.startswith("LANGGRAPH_GATEWAY_"):
            monkeypatch.delenv(name)
    served: list[Settings] = []

    async def fake_serve(settings: Settings) -> None:
        served.append(settings)

    monkeypatch.setattr(cli, "serve", fake_serve)
    # main() configures logging for the process; here that would be pytest's, and every later
    # test's access lines would go to stderr instead of through conftest's gateway_log.
    monkeypatch.setattr(cli, "_configure_logging", lambda level: None)
    return served


def test_main_serves_valid_settings(main_env: list[Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGGRAPH_GATEWAY_CONNECT_TIMEOUT", "4")
    assert cli.main(["--upstream", "http://127.0.0.1:8123", "--listen", "127.0.0.1:0"]) == 0
    assert main_env == [Settings(upstream="http://127.0.0.1:8123", listen="127.0.0.1:0", connect_timeout=4.0)]


MAIN_ERRORS = {
    "no upstream": ([], "--upstream (or LANGGRAPH_GATEWAY_UPSTREAM) is required"),
    "ftp upstream": (["--upstream=ftp://h"], "upstream must be an http:// or https:// URL"),
    "bad listen": (["--upstream=http://h", "--listen=h:99999"], "listen must be HOST:PORT"),
    "non-numeric timeout": (
        ["--upstream=http://h", "--connect-timeout=x"],
        "--connect-timeout must be a number",
    ),
    "negative grace": (["--upstream=http://h", "--shutdown-grace=-1"], "shutdown_grace must not be negative"),
    "unknown flag": (["--upstream=http://h", "--bogus=1"], "unrecognized arguments: --bogus=1"),
    "bad log level": (["--upstream=http://h", "--log-level=LOUD"], "log-level"),
}


@pytest.mark.parametrize(("argv", "message"), MAIN_ERRORS.values(), ids=MAIN_ERRORS.keys())
def test_main_exits_2_naming_the_setting(
    main_env: list[Settings], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    error, pointer = err.splitlines()  # the error and where to look, not the usage of every flag
    assert error.startswith("langgraph-grpc-gateway: error: ")
    assert message in error
    assert pointer == "(run `langgraph-grpc-gateway --help` for every flag)"
    assert main_env == []


@pytest.mark.parametrize("field", ["reconnect_attempts", "keepalive_time", "keepalive_timeout"])
def test_newer_settings_refuse_negative_values(field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings(upstream="http://h", **{field: -1})  # type: ignore[arg-type]
    assert str(caught.value) == f"{field} must not be negative, got -1"
