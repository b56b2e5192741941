"""The command line: `langgraph-grpc-gateway --upstream URL --listen HOST:PORT`.

Every flag has an environment variable (LANGGRAPH_GATEWAY_<FLAG>); a flag wins over its variable.
SIGINT and SIGTERM stop the gateway cleanly: health turns NOT_SERVING, new calls are refused,
calls in flight get the shutdown grace period, then they are cancelled.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from . import headers
from .config import ConfigError, Settings
from .server import Gateway

ENV_PREFIX = "LANGGRAPH_GATEWAY_"
N = TypeVar("N", int, float)


def _env(name: str) -> str:
    return ENV_PREFIX + name.upper().replace("-", "_")


def build_parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="langgraph-grpc-gateway",
        description="Serve a LangGraph API server's runs over gRPC.",
        epilog=f"Each flag can also be set by an environment variable, e.g. {_env('upstream')}.",
    )

    def add(flag: str, help: str, **kwargs: object) -> None:
        default = environ.get(_env(flag), kwargs.pop("default", None))
        parser.add_argument(f"--{flag}", default=default, help=f"{help} [env {_env(flag)}]", **kwargs)  # type: ignore[arg-type]

    add("upstream", "base URL of the LangGraph API server, e.g. http://127.0.0.1:8123 (required)")
    add("listen", "gRPC listen address HOST:PORT", default="127.0.0.1:50051")
    add("upstream-api-key", "x-api-key the gateway sends upstream in place of the caller's")
    add("forward-metadata", "extra request metadata keys to pass upstream, comma-separated", default="")
    add("connect-timeout", "seconds to wait for an upstream connection", default="10")
    add("max-upstream-connections", "cap on open upstream connections (default: no cap)")
    add("shutdown-grace", "seconds calls in flight may finish after SIGTERM", default="10")
    add("log-level", "logging level", default="INFO")
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    if not args.upstream:
        raise ConfigError(f"--upstream (or {_env('upstream')}) is required")
    return Settings(
        upstream=args.upstream,
        listen=args.listen,
        upstream_api_key=args.upstream_api_key or None,
        forward_metadata=headers.forwarded_names(args.forward_metadata.split(",")),
        connect_timeout=_number("connect-timeout", args.connect_timeout, float),
        max_upstream_connections=(
            _number("max-upstream-connections", args.max_upstream_connections, int)
            if args.max_upstream_connections
            else None
        ),
        shutdown_grace=_number("shutdown-grace", args.shutdown_grace, float),
    )


def _number(flag: str, text: str, kind: Callable[[str], N]) -> N:
    try:
        return kind(text)
    except ValueError:
        raise ConfigError(f"--{flag} must be a number, got {text!r}") from None


async def serve(settings: Settings) -> None:
    gateway = Gateway(settings)
    port = await gateway.start()
    host = settings.listen.rpartition(":")[0]
    logging.getLogger("langgraph_grpc_gateway").info(
        "serving gRPC on %s:%d, upstream %s", host, port, settings.upstream_base
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    logging.getLogger("langgraph_grpc_gateway").info("stopping (grace %.1fs)", settings.shutdown_grace)
    await gateway.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(os.environ)
    args = parser.parse_args(argv)
    level = str(args.log_level).upper()
    if not isinstance(logging.getLevelNamesMapping().get(level), int):
        parser.error(f"--log-level must be a logging level such as INFO or DEBUG, got {args.log_level!r}")
    try:
        settings = settings_from_args(args)
    except ConfigError as exc:
        parser.error(str(exc))  # exits 2 with the usage line
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
