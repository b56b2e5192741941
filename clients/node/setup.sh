#!/usr/bin/env bash
# Installs the Node client's dependencies (npm ci, pinned by package-lock.json) and compiles the
# TypeScript into dist/. Needs Node.js >= 20 with npm. Safe to run again: npm ci only runs when
# package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "clients/node: Node.js >= 20 and npm are required" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "clients/node: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi

stamp=node_modules/.installed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  # No dependency needs an install script (grpc-js and protobufjs are pure JavaScript).
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# Incremental (dist/.tsbuildinfo): quick when nothing changed.
node node_modules/typescript/bin/tsc -p .
echo "clients/node: built dist/ (node $(node --version))"
