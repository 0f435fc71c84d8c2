#!/usr/bin/env bash
# Installs, builds and runs every test: the normal build (viewer included), then the profile
# library, collector and CLI with their own tests again under ASan+UBSan. The probe is never
# sanitized (it is preloaded into arbitrary programs), and the end-to-end tests, which run the
# samples under the probe, run in the normal build only: they would double CI's time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j2
BUILD_DIR=build-asan BUILD_TARGETS="profile_tests collector_tests cli_tests import_tests" \
  bash scripts/build.sh -DHPROF_SANITIZE=ON -DHPROF_BUILD_VIEWER=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -R '^(profile|collector|cli|import)\.'
