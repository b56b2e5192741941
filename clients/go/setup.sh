#!/usr/bin/env bash
# Installs what the Go client needs and builds it (run by .ci/setup; safe to run again, quick then):
#   bin/protoc-gen-go, bin/protoc-gen-go-grpc   pinned code generators (go install, GOBIN=bin)
#   the module's dependencies                   pinned in go.mod / go.sum (Go module proxy)
#   gen/                                        code generated from every proto under ../../protos
# protoc itself is grpcio-tools' (the project's .venv, made by .ci/setup before this runs).
set -euo pipefail
cd "$(dirname "$0")"

command -v go >/dev/null || { echo "setup.sh: go is not installed" >&2; exit 1; }

PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
# protoc-gen-go comes from the same module version as the protobuf runtime the client builds with.
PROTOC_GEN_GO_VERSION=$(go list -m -f '{{.Version}}' google.golang.org/protobuf)
export GOBIN="$PWD/bin"

install_tool() { # name, package, version, the version as the tool prints it
  local name=$1 pkg=$2 version=$3 printed=$4
  if [ -x "bin/$name" ] && [ "$("bin/$name" --version 2>/dev/null)" = "$printed" ]; then
    return
  fi
  echo "setup.sh: go install $pkg@$version"
  go install "$pkg@$version"
}
install_tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go \
  "$PROTOC_GEN_GO_VERSION" "protoc-gen-go $PROTOC_GEN_GO_VERSION"
install_tool protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc \
  "$PROTOC_GEN_GO_GRPC_VERSION" "protoc-gen-go-grpc ${PROTOC_GEN_GO_GRPC_VERSION#v}"

go mod download
bash gen.sh
go build ./...
go vet ./...   # also compiles the tests' dependencies, so test.sh starts warm
echo "setup.sh: Go client ready"
