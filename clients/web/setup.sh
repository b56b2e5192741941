#!/usr/bin/env bash
# Installs the web client's dependencies (npm ci, pinned by package-lock.json), generates its
# TypeScript from protos/ (buf generate with protoc-gen-es: src/gen/), type-checks it, and bundles
# the page into dist/ (index.html and app.js, static files any web server can serve). Needs
# Node.js >= 20 with npm. Safe to run again. Its tests are tests/test_envoy.py (through Envoy, in
# headless Chromium): they need Envoy in front of the gateway, which clients' test.sh do not have.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "clients/web: Node.js >= 20 and npm are required" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "clients/web: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi

stamp=node_modules/.installed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  # No install scripts: buf and esbuild come as per-platform optional packages, playwright-core
  # downloads no browser (the tests use Debian's /usr/bin/chromium).
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

node_modules/.bin/buf generate
node node_modules/typescript/bin/tsc -p .
node_modules/.bin/esbuild src/app.ts --bundle --format=esm --target=es2022 --minify --sourcemap \
  --outfile=dist/app.js --log-level=warning
cp index.html dist/index.html
echo "clients/web: built dist/ (node $(node --version))"
