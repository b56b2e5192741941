#!/usr/bin/env bash
# Runs the client's JUnit test against the live gateway at $LANGGRAPH_GATEWAY_ADDRESS (host:port,
# plaintext); the test fails when it is unset. Needs setup.sh first (runs offline from ~/.m2).
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp -o -Dstyle.color=never test
