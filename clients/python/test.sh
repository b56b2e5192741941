#!/usr/bin/env bash
# Lint, types, then the tests against the live gateway at $LANGGRAPH_GATEWAY_ADDRESS (host:port,
# required). $LANGGRAPH_UPSTREAM_URL (the LangGraph server behind it) enables the comparisons
# with langgraph-sdk. Run `bash setup.sh` first.
set -euo pipefail
cd "$(dirname "$0")"
: "${LANGGRAPH_GATEWAY_ADDRESS:?set LANGGRAPH_GATEWAY_ADDRESS to a live gateway (host:port)}"
VENV="$(cd ../.. && pwd)/.venv"
export GRPC_VERBOSITY=${GRPC_VERBOSITY:-ERROR}

echo "== ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== mypy (strict)"
"$VENV/bin/mypy"
echo "== pytest"
exec "$VENV/bin/python" -m pytest -c pyproject.toml --rootdir . -ra "$@"
