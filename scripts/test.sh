#!/usr/bin/env bash
# Installs, builds and runs every test: the normal build, then the collector, profile library,
# CLI and their tests again under ASan+UBSan (the probe is never sanitized: it is preloaded
# into arbitrary programs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j2
BUILD_DIR=build-asan bash scripts/build.sh -DHPROF_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2
