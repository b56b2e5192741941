#!/usr/bin/env bash
# Runs the Go client's tests against the live gateway at $LANGGRAPH_GATEWAY_ADDRESS (host:port,
# plaintext). Here a missing address fails the tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")"
export LANGGRAPH_GATEWAY_REQUIRED=1
if [ ! -x bin/protoc-gen-go ] || [ ! -x bin/protoc-gen-go-grpc ]; then
  bash setup.sh
else
  bash gen.sh # cheap; picks up protos added since setup.sh
fi
go test -count=1 -timeout 5m -v ./...
