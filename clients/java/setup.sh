#!/usr/bin/env bash
# Installs what the Java client needs and builds it (run by .ci/setup; safe to run again, quick then).
#   ~/.m2 (Maven's local repository): every plugin and dependency, pinned in pom.xml, from Maven
#     Central, including protoc and protoc-gen-grpc-java (Maven artifacts, os-maven-plugin classifier)
#   target/generated-sources/protobuf/  Java code generated from every proto under ../../protos
#   target/classes, target/test-classes  compiled, so test.sh starts warm and runs offline
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup.sh: installing Maven and JDK 17 (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
  else
    echo "setup.sh: needs mvn and a JDK (17 or newer) on PATH" >&2
    exit 1
  fi
fi

# One Maven run:
#   dependency:go-offline  every plugin and dependency the build declares
#   test-compile           generate (fetches protoc and protoc-gen-grpc-java), compile main and tests
#   surefire:test          Surefire resolves its JUnit Platform provider only when it starts one:
#                          start it on a method filter that selects no test, so that is cached too
mvn -B -ntp -q -Dstyle.color=never \
  dependency:go-offline test-compile surefire:test \
  -Dtest='GatewayClientTest#setupSelectsNoTest' -Dsurefire.failIfNoSpecifiedTests=false
echo "setup.sh: Java client ready"
