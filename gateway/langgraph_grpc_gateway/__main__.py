"""The command line: `langgraph-grpc-gateway --upstream URL --listen HOST:PORT`.

Every flag has an environment variable (LANGGRAPH_GATEWAY_<FLAG>); a flag wins over its variable.
SIGINT and SIGTERM stop the gateway cleanly: health turns NOT_SERVING, new calls are refused,
calls in flight get the shutdown grace period, then they are cancelled. With --workers N the
process supervises N gateway processes on one port and forwards the signals to them.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import logging
import os
import pathlib
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NoReturn, TypeVar

from . import access_log, auth, event_loop, gc_policy, headers, workers
from .config import ConfigError, Settings, parse_listen
from .server import Gateway

ENV_PREFIX = "LANGGRAPH_GATEWAY_"
N = TypeVar("N", int, float)
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _env(name: str) -> str:
    return ENV_PREFIX + name.upper().replace("-", "_")


# flag, help, default (as text; None: unset). Every flag is read by settings_from_args.
FLAGS: tuple[tuple[str, str, str | None], ...] = (
    ("upstream", "base URL of the LangGraph API server, e.g. http://127.0.0.1:8123 (required)", None),
    ("listen", "gRPC listen address HOST:PORT", "127.0.0.1:50051"),
    ("upstream-api-key", "x-api-key the gateway sends upstream in place of the caller's", None),
    ("forward-metadata", "extra request metadata keys to pass upstream, comma-separated", ""),
    ("connect-timeout", "seconds to wait for an upstream connection", "10"),
    ("max-upstream-connections", "cap on open upstream connections (default: no cap)", None),
    ("shutdown-grace", "seconds calls in flight may finish after SIGTERM", "10"),
    ("drain-delay", "seconds health reports NOT_SERVING before new calls are refused on SIGTERM", "0"),
    ("keepalive-time", "seconds between keepalive pings on idle connections (0: off)", "60"),
    ("keepalive-timeout", "seconds to wait for a keepalive ping's answer", "20"),
    ("reconnect-attempts", "reconnections of a dropped resumable stream in a row (0: off)", "3"),
    ("max-concurrent-streams", "streaming calls served at once (default: no cap)", None),
    ("accept-ahead", "new StreamRun and WaitRun calls taken in per turn of the event loop (0: one)", "32"),
    ("max-receive-message-bytes", "largest request message accepted", str(4 * 1024 * 1024)),
    ("max-send-message-bytes", "largest response message sent (default: no limit)", None),
    ("max-connection-age", "seconds before a client connection is asked to go (default: never)", None),
    ("max-connection-age-grace", "seconds calls on an aged connection may go on (default: forever)", None),
    ("upstream-health-interval", "seconds between upstream GET /ok probes that health follows (0: off)", "5"),
    ("upstream-health-timeout", "seconds one upstream probe may take", "5"),
    ("api-keys", "API keys callers must present as x-api-key, comma-separated", None),
    ("bearer-tokens", "bearer tokens callers may present as authorization, comma-separated", None),
    ("auth-file", "file of caller credentials, lines `api-key SECRET` or `bearer SECRET`", None),
    ("tls-cert-file", "PEM certificate chain for TLS on the listener", None),
    ("tls-key-file", "PEM private key for TLS on the listener", None),
    ("tls-client-ca-file", "PEM CA bundle to check client certificates against (mTLS)", None),
    ("tls-require-client-cert", "refuse clients without a valid certificate (true/false)", "false"),
    ("upstream-ca-file", "PEM CA bundle to check an https upstream against", None),
    ("access-log", "one JSON line per call on stderr (true/false)", "true"),
    ("metrics-listen", "HOST:PORT of the Prometheus /metrics endpoint (default: off)", None),
    ("tracing", "OpenTelemetry spans with the global tracer provider (true/false)", "false"),
    ("workers", "gateway processes serving the port (SO_REUSEPORT)", "1"),
    ("event-loop", "asyncio event loop: auto (uvloop when installed), uvloop or asyncio", "auto"),
    ("log-level", "logging level", "INFO"),
)


class _Parser(argparse.ArgumentParser):
    """Errors are one line and a pointer to --help: the usage of every flag (about 30 lines) would
    bury the line that says what is wrong."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n(run `{self.prog} --help` for every flag)\n")


def build_parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="langgraph-grpc-gateway",
        description="Serve a LangGraph API server's runs over gRPC.",
        epilog=f"Each flag can also be set by an environment variable, e.g. {_env('upstream')}.",
    )
    for flag, help, default in FLAGS:
        parser.add_argument(
            f"--{flag}", default=environ.get(_env(flag), default), help=f"{help} [env {_env(flag)}]"
        )
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    if not args.upstream:
        raise ConfigError(f"--upstream (or {_env('upstream')}) is required")
    credentials = _credentials(args)
    return Settings(
        upstream=args.upstream,
        listen=args.listen,
        upstream_api_key=args.upstream_api_key or None,
        forward_metadata=headers.forwarded_names(args.forward_metadata.split(",")),
        connect_timeout=_number("connect-timeout", args.connect_timeout, float),
        max_upstream_connections=_optional("max-upstream-connections", args.max_upstream_connections, int),
        shutdown_grace=_number("shutdown-grace", args.shutdown_grace, float),
        drain_delay=_number("drain-delay", args.drain_delay, float),
        keepalive_time=_number("keepalive-time", args.keepalive_time, float),
        keepalive_timeout=_number("keepalive-timeout", args.keepalive_timeout, float),
        reconnect_attempts=_number("reconnect-attempts", args.reconnect_attempts, int),
        max_concurrent_streams=_optional("max-concurrent-streams", args.max_concurrent_streams, int),
        accept_ahead=_number("accept-ahead", args.accept_ahead, int),
        max_receive_message_bytes=_number("max-receive-message-bytes", args.max_receive_message_bytes, int),
        max_send_message_bytes=_optional("max-send-message-bytes", args.max_send_message_bytes, int),
        max_connection_age=_optional("max-connection-age", args.max_connection_age, float),
        max_connection_age_grace=_optional("max-connection-age-grace", args.max_connection_age_grace, float),
        upstream_health_interval=_number("upstream-health-interval", args.upstream_health_interval, float),
        upstream_health_timeout=_number("upstream-health-timeout", args.upstream_health_timeout, float),
        api_keys=credentials.api_keys,
        bearer_tokens=credentials.bearer_tokens,
        tls_cert_file=args.tls_cert_file or None,
        tls_key_file=args.tls_key_file or None,
        tls_client_ca_file=args.tls_client_ca_file or None,
        tls_require_client_cert=_bool("tls-require-client-cert", args.tls_require_client_cert),
        upstream_ca_file=args.upstream_ca_file or None,
        access_log=_bool("access-log", args.access_log),
        metrics_listen=_worker_port(args.metrics_listen or None),
        tracing=_bool("tracing", args.tracing),
        workers=_number("workers", args.workers, int),
        event_loop=args.event_loop.strip().lower(),
    )


def _number(flag: str, text: str, kind: Callable[[str], N]) -> N:
    try:
        return kind(text)
    except ValueError:
        raise ConfigError(f"--{flag} must be a number, got {text!r}") from None


def _optional(flag: str, text: str | None, kind: Callable[[str], N]) -> N | None:
    return _number(flag, text, kind) if text else None


def _bool(flag: str, text: str) -> bool:
    if text.strip().lower() not in TRUE + FALSE:
        raise ConfigError(f"--{flag} must be true or false, got {text!r}")
    return text.strip().lower() in TRUE


def _secrets(text: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())


def _credentials(args: argparse.Namespace) -> auth.Credentials:
    """Keys and tokens from the flags and the auth file, together."""
    from_file = auth.Credentials()
    if args.auth_file:
        try:
            from_file = auth.parse_file(pathlib.Path(args.auth_file).read_text())
        except OSError as exc:
            raise ConfigError(f"--auth-file {args.auth_file!r} cannot be read: {exc.strerror}") from None
        except ValueError as exc:  # names the line, never the secret
            raise ConfigError(f"--auth-file {args.auth_file!r}: {exc}") from None
    return auth.Credentials(
        _secrets(args.api_keys) | from_file.api_keys, _secrets(args.bearer_tokens) | from_file.bearer_tokens
    )


def _worker_port(metrics_listen: str | None) -> str | None:
    """Worker i of --workers serves its metrics on the configured port + i (one registry each)."""
    index = int(os.environ.get(workers.INDEX_VARIABLE, "0"))
    if metrics_listen is None or not index:
        return metrics_listen
    host, port = parse_listen(metrics_listen, "metrics_listen")
    return f"{host}:{port + index}" if port else metrics_listen


async def serve(settings: Settings) -> None:
    # Access lines go straight to stderr (access_log.AccessLog says why), as the logger's own
    # handler would write them, and only when the log level lets INFO through, as it would.
    enabled = logging.getLogger("langgraph_grpc_gateway.access").isEnabledFor(logging.INFO)
    lines = access_log.Batched(access_log.to_stderr) if enabled else None
    try:
        await _serve(settings, Gateway(settings, access_lines=lines))
    finally:
        if lines is not None:
            lines.flush()  # the calls of the last moments, before the process ends


async def _serve(settings: Settings, gateway: Gateway) -> None:
    port = await gateway.start()
    gc_policy.apply()
    host = settings.listen.rpartition(":")[0]
    log = logging.getLogger("langgraph_grpc_gateway")
    log.info(
        "serving gRPC%s on %s:%d, upstream %s, event loop %s",
        " (TLS)" if settings.tls else "",
        host,
        port,
        settings.upstream_base,
        event_loop.name(asyncio.get_running_loop()),
    )
    if gateway.metrics_port:
        log.info("serving metrics on port %d", gateway.metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("stopping (grace %.1fs)", settings.shutdown_grace)
    await gateway.stop()


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Access lines are JSON documents, one per line, with nothing around them.
    access = logging.getLogger("langgraph_grpc_gateway.access")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.propagate = False


def _enable_faulthandler() -> None:
    """A crash in native code (grpc's core, uvloop) then leaves a Python traceback in the log."""
    if not faulthandler.is_enabled() and sys.__stderr__ is not None:  # pytest enables its own
        faulthandler.enable(file=sys.__stderr__)


def main(argv: Sequence[str] | None = None) -> int:
    _enable_faulthandler()
    parser = build_parser(os.environ)
    args = parser.parse_args(argv)
    level = str(args.log_level).upper()
    if not isinstance(logging.getLevelNamesMapping().get(level), int):
        parser.error(f"--log-level must be a logging level such as INFO or DEBUG, got {args.log_level!r}")
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        parser.error(str(exc))  # exits 2
    _configure_logging(level)
    if settings.workers > 1 and workers.INDEX_VARIABLE not in os.environ:
        return workers.supervise(sys.argv[1:] if argv is None else list(argv), settings.workers)
    try:
        with asyncio.Runner(loop_factory=event_loop.loop_factory(settings.event_loop)) as runner:
            runner.run(serve(settings))
    except ConfigError as exc:  # found only when starting, e.g. a certificate that is not PEM
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
