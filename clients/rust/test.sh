#!/usr/bin/env bash
# Rust client: unit tests plus tests/live_gateway.rs against the gateway at
# $LANGGRAPH_GATEWAY_ADDRESS (host:port, plaintext). setup.sh has built everything already.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="$PWD/target"
: "${LANGGRAPH_GATEWAY_ADDRESS:?set LANGGRAPH_GATEWAY_ADDRESS to the gateway host:port}"
exec cargo test --locked
