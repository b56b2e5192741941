#!/usr/bin/env bash
# The demo: installs what it needs, starts the real LangGraph API server (langgraph dev) with our
# example graph, puts the gateway in front of it, and streams a run through the gateway.
#   bash deploy/demo.sh          keeps both running until Ctrl-C, and prints commands to try
#   bash deploy/demo.sh --once   stops after the demo call (what CI runs)
# Needs Python >= 3.11 and Go >= 1.21 (for grpcurl); `bash .ci/prerequisites demo` checks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ONCE=${1:-}
GATEWAY_PORT=${GATEWAY_PORT:-50051}

bash .ci/prerequisites demo

echo "[1/4] installing what the demo needs: .venv, .venv-upstream, grpcurl (about 2 min the first time)"
bash .ci/setup --demo

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM_PORT=$(free_port)
if ! .venv/bin/python -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',$GATEWAY_PORT))" 2>/dev/null; then
  GATEWAY_PORT=$(free_port)
fi

WORK=$(mktemp -d)
cp tests/upstream/graph.py tests/upstream/langgraph.json "$WORK/"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo
echo "[2/4] starting the LangGraph API server (langgraph dev) on 127.0.0.1:$UPSTREAM_PORT (about 10 s)"
(cd "$WORK" && exec "$ROOT/.venv-upstream/bin/langgraph" dev --no-browser --no-reload \
  --host 127.0.0.1 --port "$UPSTREAM_PORT" >"$WORK/upstream.log" 2>&1) &
PIDS+=($!)
.venv/bin/python - "http://127.0.0.1:$UPSTREAM_PORT/ok" <<'PY' || { tail -30 "$WORK/upstream.log"; exit 1; }
import sys, time, urllib.request
for _ in range(180):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1).close(); break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the LangGraph API server did not answer GET /ok within 90 s; the last of its log:")
PY

echo "[3/4] starting the gateway on 127.0.0.1:$GATEWAY_PORT"
.venv/bin/langgraph-grpc-gateway --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
  --listen "127.0.0.1:$GATEWAY_PORT" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
.venv/bin/python - "$GATEWAY_PORT" <<'PY' || { tail -30 "$WORK/gateway.log"; exit 1; }
import sys, time, grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
stub = health_pb2_grpc.HealthStub(grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}"))
for _ in range(100):
    try:
        if stub.Check(health_pb2.HealthCheckRequest(), timeout=1).status == health_pb2.HealthCheckResponse.SERVING:
            break
    except grpc.RpcError:
        pass
    time.sleep(0.2)
else:
    sys.exit("the gateway did not say SERVING within 20 s; the last of its log:")
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

echo "[4/4] a run through the gateway"
.venv/bin/python deploy/demo_client.py "127.0.0.1:$GATEWAY_PORT" || { stop_gateway; exit 1; }

if [ "$ONCE" = "--once" ]; then
  stop_gateway
  exit 0
fi

# Every command below runs as printed, from any directory (tests/test_demo.py runs them).
cat <<MSG

The gateway is serving on 127.0.0.1:$GATEWAY_PORT, in front of the LangGraph API server on
127.0.0.1:$UPSTREAM_PORT (graph "agent": it echoes the last message). Ctrl-C stops both.
Try it from another terminal:

  cd $(printf '%q' "$ROOT")
  .ci/bin/grpcurl -plaintext 127.0.0.1:$GATEWAY_PORT list
  .ci/bin/grpcurl -plaintext -d '{"assistant_id": "agent", "input": {"messages": [{"role": "user", "content": "hi"}]}, "stream_mode": ["updates"]}' 127.0.0.1:$GATEWAY_PORT langgraph_gateway.v1.RunsService/StreamRun
  .venv/bin/python deploy/demo_client.py 127.0.0.1:$GATEWAY_PORT

The gateway's log: $WORK/gateway.log; the LangGraph API server's: $WORK/upstream.log.
Next, your own agent behind the gateway: README.md, "Your own agent".
MSG
# Ctrl-C in a terminal reaches the whole foreground group: this script and the gateway, which
# stops cleanly by itself (exit 0). bash may then never run its INT trap (it leaves SIGINT to a
# child that handled it), so the gateway's exit code decides: 0 is a clean stop, since only
# SIGINT or SIGTERM end it so; anything else is a gateway that failed or died.
INTERRUPTED=0
trap 'INTERRUPTED=1' INT TERM
code=0
wait "$GATEWAY_PID" || code=$?
if [ "$INTERRUPTED" = 1 ] && [ "$code" -gt 128 ]; then  # the wait was cut short: stop the gateway
  kill -TERM "$GATEWAY_PID" 2>/dev/null || true
  again=0
  wait "$GATEWAY_PID" 2>/dev/null || again=$?
  [ "$again" = 127 ] || code=$again  # 127: the first wait had already reaped it
fi
echo
if [ "$code" = 0 ]; then
  echo "stopping the gateway and the LangGraph API server"
  exit 0
fi
how="exited with $code"
[ "$code" -gt 128 ] && how="died from SIG$(kill -l $((code - 128)))"
echo "the gateway $how; the last of its log:"
tail -30 "$WORK/gateway.log"
exit 1
