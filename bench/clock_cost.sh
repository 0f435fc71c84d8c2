#!/usr/bin/env bash
# What one clock read costs here (see programs/clock_cost.cpp), median of REPETITIONS runs.
# Trace mode reads the TSC twice per call; counts mode reads no clock at all because of this cost.
# Usage: bench/clock_cost.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
SOURCE_DIR=$(dirname "$(realpath "$0")")
# shellcheck source=common.sh
source "$SOURCE_DIR/common.sh"
build_bench_program "$BUILD" clock_cost
binary=$BUILD/bench/clock_cost
runs=$(for ((r = 1; r <= REPETITIONS; ++r)); do "$binary"; done)
echo "| clock | median ns per read |"
echo "|---|---:|"
for clock in rdtsc rdtscp clock_gettime; do
    value=$(awk -v c="$clock" '$1 == c { print $2 }' <<<"$runs" | median)
    echo "| $clock | $value |"
done
