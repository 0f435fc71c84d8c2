#!/usr/bin/env bash
# The cost of wall-clock mode: median CPU time (perf stat task-clock, ms) of programs that mostly
# wait, run with the probe preloaded directly (no hprof around them, so the collector's work is
# not counted), without the probe, in CPU mode and in wall mode, at 1000 Hz:
# - samples/wall_sleeper 300 (3 s of 10 ms sleeps, 0.4 s of lock and pipe waits, 0.2 s of CPU);
# - programs/blocked_threads N 4 (N = 1 and 32 threads blocked for 4 s).
# Usage: bench/wall_cost.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
SOURCE_DIR=$(dirname "$(realpath "$0")")
PROBE=$BUILD/lib/hprof/libhprof_probe.so
# shellcheck source=common.sh
source "$SOURCE_DIR/common.sh"
build_bench_program "$BUILD" blocked_threads
blocked=$BUILD/bench/blocked_threads

# Prints the CPU time in ms of one run of "$@" in mode $1 (none, cpu or wall).
cpu_ms() {
    local mode=$1
    shift
    local run_dir
    run_dir=$(mktemp -d)
    local -a environment=()
    if [[ $mode != none ]]; then
        environment=(LD_PRELOAD="$PROBE" HPROF_RUN_DIR="$run_dir" HPROF_FREQUENCY=1000)
        [[ $mode == wall ]] && environment+=(HPROF_CLOCK=wall)
    fi
    { perf stat -x, -e task-clock env "${environment[@]}" "$@" >/dev/null; } 2>&1 |
        awk -F, '$3 == "task-clock" { printf "%.1f\n", $1 }'
    rm -rf "$run_dir"
}

echo "| program | no probe (ms) | CPU mode (ms) | wall mode (ms) | wall - CPU (ms per s of run) |"
echo "|---|---:|---:|---:|---:|"
for program in "$BUILD/bin/wall_sleeper 300:3.6" "$blocked 1 4:4" "$blocked 32 4:4"; do
    command=${program%:*}
    seconds=${program##*:}
    declare -A CPU=()
    for ((r = 1; r <= REPETITIONS; ++r)); do # interleaved, so drifts hit every mode alike
        for mode in none cpu wall; do
            # shellcheck disable=SC2086 # the command is a program and its arguments
            CPU[$mode]+=$(cpu_ms "$mode" $command)$'\n'
        done
    done
    none=$(printf '%s' "${CPU[none]}" | median)
    cpu=$(printf '%s' "${CPU[cpu]}" | median)
    wall=$(printf '%s' "${CPU[wall]}" | median)
    awk -v p="$(basename "${command%% *}") ${command#* }" -v n="$none" -v c="$cpu" -v w="$wall" \
        -v s="$seconds" 'BEGIN { printf "| %s | %.1f | %.1f | %.1f | %.2f |\n", p, n, c, w, (w - c) / s }'
    unset CPU
done
