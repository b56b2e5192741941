#!/usr/bin/env bash
# Installs the Python client on a fresh machine (run from .ci/setup, from any directory; safe to
# run again). Uses the repository's virtual environment, /work/main/.venv (created here if
# missing): installs this package editable with its dev extra (grpcio-tools, pytest,
# langgraph-sdk, ...), then generates the protobuf/gRPC modules from every .proto under protos/.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
VENV="$ROOT/.venv"
PYTHON=${PYTHON:-python3}

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"

# Skip pip when this pyproject.toml was already installed (pip alone takes ~10 s even then).
stamp="$VENV/.langgraph-grpc-client.stamp"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$VENV/bin/python" -c "import grpc_tools, langgraph_sdk, pytest_asyncio" 2>/dev/null; then
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

"$VENV/bin/python" generate.py
"$VENV/bin/python" -c "import langgraph_grpc_client; print('langgraph_grpc_client', langgraph_grpc_client.__version__, 'ready')"
