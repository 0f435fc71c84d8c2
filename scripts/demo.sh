#!/usr/bin/env bash
# The main job on a fresh machine: install, build, profile the `split` sample, print the table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Only what the demo runs: the tests are built by scripts/test.sh.
BUILD_TARGETS="hprof hprof_probe split" bash scripts/build.sh
./build/bin/hprof -o build/split.hprof -- ./build/bin/split
