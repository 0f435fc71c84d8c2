#!/usr/bin/env bash
# The cost of sampling signals themselves on this machine (see programs/signal_floor.cpp):
# median CPU time (user+sys) of a fixed loop with no timer, with a 1000 Hz task-clock event
# (interrupts only), and with that event delivering a signal to an empty handler.
# Usage: bench/signal_floor.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 7)]
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-7}
SOURCE_DIR=$(dirname "$(realpath "$0")")
# shellcheck source=common.sh
source "$SOURCE_DIR/common.sh"
build_bench_program "$BUILD" signal_floor
binary=$BUILD/bench/signal_floor
declare -A CPU
for ((r = 1; r <= REPETITIONS; ++r)); do # interleaved, so drifts hit every mode alike
    for mode in none interrupt signal; do
        CPU[$mode]+=$( { /usr/bin/time -f "%U %S" "$binary" "$mode" >/dev/null; } 2>&1 |
            awk '{ print $1 + $2 }')$'\n'
    done
done
base=$(printf '%s' "${CPU[none]}" | median)
echo "| mode | median CPU (s) | vs none |"
echo "|---|---:|---:|"
for mode in none interrupt signal; do
    value=$(printf '%s' "${CPU[$mode]}" | median)
    awk -v m="$mode" -v v="$value" -v b="$base" 'BEGIN { printf "| %s | %.3f | %.3fx |\n", m, v, v / b }'
done
