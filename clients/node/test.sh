#!/usr/bin/env bash
# Runs the Node client's tests (node --test): unit tests, and the live tests against the gateway at
# $LANGGRAPH_GATEWAY_ADDRESS (host:port, plaintext), which must be set.
set -euo pipefail
cd "$(dirname "$0")"
: "${LANGGRAPH_GATEWAY_ADDRESS:?set LANGGRAPH_GATEWAY_ADDRESS to the host:port of a running gateway}"
[ -x node_modules/typescript/bin/tsc ] || bash setup.sh
node node_modules/typescript/bin/tsc -p .   # incremental: next to nothing when dist/ is current
exec node --test dist/test/*.test.js
