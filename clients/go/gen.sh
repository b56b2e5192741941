#!/usr/bin/env bash
# Generates the Go code for EVERY .proto under ../../protos into gen/ (gitignored), with
# protoc-gen-go and protoc-gen-go-grpc from bin/ (installed by setup.sh) and the protoc of
# grpcio-tools (the project's .venv). Each proto's own go_package is overridden with an M option,
# so protos/langgraph_gateway/v1/x.proto becomes the Go package
#   <module>/gen/langgraph_gateway/v1   (package name gatewayv1)
# and a new proto file or service appears here without any change to this script.
# Also run by `go generate ./...` (see lggateway/doc.go).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
PROTOS=${LANGGRAPH_GATEWAY_PROTOS:-$ROOT/protos}
PYTHON=${LANGGRAPH_GATEWAY_PYTHON:-$ROOT/.venv/bin/python}
MODULE=$(go list -m)

for tool in protoc-gen-go protoc-gen-go-grpc; do
  [ -x "bin/$tool" ] || { echo "gen.sh: bin/$tool missing: run setup.sh first" >&2; exit 1; }
done
[ -x "$PYTHON" ] || { echo "gen.sh: $PYTHON missing (grpcio-tools): run .ci/setup first" >&2; exit 1; }
INCLUDE=$("$PYTHON" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')

# Go package name for a proto directory: its last part, prefixed by the last "_" word of the
# part before when the last part is a version ("langgraph_gateway/v1" -> "gatewayv1").
package_name() {
  local dir=$1 last prev
  last=$(basename "$dir")
  if [[ $last =~ ^v[0-9]+ ]] && [ "$(dirname "$dir")" != "." ]; then
    prev=$(basename "$(dirname "$dir")")
    last="${prev##*_}$last"
  fi
  last=$(printf '%s' "$last" | tr -c 'A-Za-z0-9_' '_')
  [[ $last =~ ^[0-9] ]] && last="p$last"
  printf '%s' "$last"
}

mapfile -t FILES < <(cd "$PROTOS" && find . -name '*.proto' -not -path './.*' | sed 's|^\./||' | LC_ALL=C sort)
[ "${#FILES[@]}" -gt 0 ] || { echo "gen.sh: no .proto under $PROTOS" >&2; exit 1; }

GO_OPTS=("--go_opt=module=$MODULE/gen")
GRPC_OPTS=("--go-grpc_opt=module=$MODULE/gen")
for f in "${FILES[@]}"; do
  dir=$(dirname "$f")
  mapping="M$f=$MODULE/gen/$dir;$(package_name "$dir")"
  GO_OPTS+=("--go_opt=$mapping")
  GRPC_OPTS+=("--go-grpc_opt=$mapping")
done

# Generate next to gen/, then swap, so a file removed from protos/ leaves nothing stale behind.
TMP=$(mktemp -d "$HERE/.gen.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$PYTHON" -m grpc_tools.protoc \
  "-I$PROTOS" "-I$INCLUDE" \
  "--plugin=protoc-gen-go=$HERE/bin/protoc-gen-go" \
  "--plugin=protoc-gen-go-grpc=$HERE/bin/protoc-gen-go-grpc" \
  "--go_out=$TMP" "--go-grpc_out=$TMP" \
  "${GO_OPTS[@]}" "${GRPC_OPTS[@]}" \
  "${FILES[@]}"
rm -rf gen
mv "$TMP" gen
trap - EXIT
echo "gen.sh: generated ${#FILES[@]} proto file(s) into gen/"
