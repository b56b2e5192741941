#!/usr/bin/env bash
# The demo: installs what it needs, starts the real LangGraph API server (langgraph dev) with our
# example graph, puts the gateway in front of it, and streams a run through the gateway.
#   bash deploy/demo.sh          keeps both running until Ctrl-C (try grpcurl against it)
#   bash deploy/demo.sh --once   stops after the demo call (what CI runs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ONCE=${1:-}
GATEWAY_PORT=${GATEWAY_PORT:-50051}

echo "== installing the gateway and the LangGraph API server (.venv, .venv-upstream)"
bash .ci/setup --python >/tmp/langgraph-grpc-gateway-demo-setup.log 2>&1 || {
  cat /tmp/langgraph-grpc-gateway-demo-setup.log; exit 1; }

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM_PORT=$(free_port)
if ! .venv/bin/python -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',$GATEWAY_PORT))" 2>/dev/null; then
  GATEWAY_PORT=$(free_port)
fi

WORK=$(mktemp -d)
cp tests/upstream/graph.py tests/upstream/langgraph.json "$WORK/"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

echo "== starting the LangGraph API server on 127.0.0.1:$UPSTREAM_PORT"
(cd "$WORK" && exec "$ROOT/.venv-upstream/bin/langgraph" dev --no-browser --no-reload \
  --host 127.0.0.1 --port "$UPSTREAM_PORT" >"$WORK/upstream.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 180); do curl -sf "http://127.0.0.1:$UPSTREAM_PORT/ok" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$UPSTREAM_PORT/ok" >/dev/null || { tail -30 "$WORK/upstream.log"; exit 1; }

echo "== starting the gateway on 127.0.0.1:$GATEWAY_PORT (its log: $WORK/gateway.log)"
.venv/bin/langgraph-grpc-gateway --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
  --listen "127.0.0.1:$GATEWAY_PORT" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
.venv/bin/python - "$GATEWAY_PORT" <<'PY'
import sys, time, grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
stub = health_pb2_grpc.HealthStub(grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}"))
for _ in range(100):
    try:
        stub.Check(health_pb2.HealthCheckRequest(), timeout=1); break
    except grpc.RpcError:
        time.sleep(0.2)
PY

# Stops the gateway as an orchestrator does (SIGTERM); a crash or an error exit fails the demo.
stop_gateway() {
  kill -TERM "$GATEWAY_PID" 2>/dev/null || true
  local code=0
  wait "$GATEWAY_PID" || code=$?
  if [ "$code" != 0 ]; then
    local how="exited with $code"
    [ "$code" -gt 128 ] && how="died from SIG$(kill -l $((code - 128)))"
    echo "the gateway $how; the last of its log:"; tail -30 "$WORK/gateway.log"; exit 1
  fi
}

echo "== a run through the gateway"
.venv/bin/python deploy/demo_client.py "127.0.0.1:$GATEWAY_PORT" || { stop_gateway; exit 1; }

if [ "$ONCE" != "--once" ]; then
  cat <<MSG

The gateway is serving on 127.0.0.1:$GATEWAY_PORT (Ctrl-C stops both). Try, with grpcurl
(go install github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.3; bash .ci/setup puts it in .ci/bin):
  .ci/bin/grpcurl -plaintext 127.0.0.1:$GATEWAY_PORT list
  .ci/bin/grpcurl -plaintext -d '{"assistant_id":"agent","input":{"messages":[{"role":"user","content":"hi"}]},"stream_mode":["updates"]}' \\
      127.0.0.1:$GATEWAY_PORT langgraph_gateway.v1.RunsService/StreamRun
MSG
  wait
else
  stop_gateway
fi
