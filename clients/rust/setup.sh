#!/usr/bin/env bash
# Rust client: fetches the locked crates and builds the crate, its example and its tests once,
# so test.sh only runs them. protoc comes from the protoc-bin-vendored crate; the gRPC code is
# generated from every proto under protos/ by build.rs. Safe to run again (cargo skips what is
# up to date). Needs cargo >= 1.88 (rust-version of tonic 0.14).
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="$PWD/target"   # keep build outputs here, whatever the environment says

if ! command -v cargo >/dev/null 2>&1; then
  echo "clients/rust/setup.sh: cargo not found; install a Rust toolchain (>= 1.88) first" >&2
  exit 1
fi
cargo --version
cargo fetch --locked
cargo test --locked --no-run
