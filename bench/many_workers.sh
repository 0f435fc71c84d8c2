#!/usr/bin/env bash
# What 200 short-lived processes cost: samples/many_workers (a driver forking 200 workers of
# 4-7 ms of CPU each, 8 at a time) bare and under `hprof -q -F 1000`, interleaved.
#
# Usage: bench/many_workers.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
#
# Prints the medians of: the bare wall time; the wall time of the whole hprof command and its
# ratio to bare; the program's own run under hprof (wall_seconds of the profile: start to
# exit) and its ratio to bare; the CPU time the workers measured on their own clocks, bare
# and under hprof (less sensitive to other load than wall times); the collection (the hprof
# command minus the program's run: reading 201 raw streams, symbolizing, writing the
# profile); the profile's size and samples.
set -euo pipefail

BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
SOURCE_DIR=$(dirname "$(realpath "$0")")
# shellcheck source=common.sh
source "$SOURCE_DIR/common.sh"
PROGRAM=$BUILD/bin/many_workers
WORKERS=200

if ! [[ $REPETITIONS =~ ^[1-9][0-9]*$ ]]; then
    echo "many_workers.sh: repetitions must be a positive integer, not '$REPETITIONS'" >&2
    exit 2
fi
for binary in "$PROGRAM" "$BUILD/bin/hprof"; do
    if [[ ! -x $binary ]]; then
        echo "many_workers.sh: $binary is not built" >&2
        exit 2
    fi
done

WORK=$(mktemp -d /tmp/hprof-many-workers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# Runs the command; prints its wall time in seconds.
wall_of() {
    local start end
    start=$(date +%s%N)
    "$@" >"$WORK/stdout" 2>"$WORK/stderr" || {
        echo "many_workers.sh: '$*' failed: $(tail -n 3 "$WORK/stderr")" >&2
        exit 1
    }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

# The sum of the CPU times the workers of the last run measured (their own clocks), in seconds.
worker_cpu_seconds() {
    sed -n 's/.*worker_cpu_ns=\([0-9]*\).*/\1/p' "$WORK/stdout" | awk '{ printf "%.4f\n", $1 / 1e9 }'
}

declare -A VALUES # measure -> newline-separated values
for ((repetition = 1; repetition <= REPETITIONS; ++repetition)); do
    VALUES[bare]+=$(wall_of "$PROGRAM" "$WORKERS")$'\n'
    VALUES[bare-cpu]+=$(worker_cpu_seconds)$'\n'
    rm -f "$WORK/x.hprof"
    hprof_wall=$(wall_of "$BUILD/bin/hprof" -q -F 1000 -o "$WORK/x.hprof" "$PROGRAM" "$WORKERS")
    "$BUILD/bin/hprof" report "$WORK/x.hprof" --format json >"$WORK/report.json"
    VALUES[hprof-cpu]+=$(worker_cpu_seconds)$'\n'
    run_wall=$(json_number wall_seconds "$WORK/report.json")
    VALUES[hprof]+=$hprof_wall$'\n'
    VALUES[run]+=$run_wall$'\n'
    VALUES[collect]+=$(awk -v h="$hprof_wall" -v r="$run_wall" 'BEGIN { printf "%.4f", h - r }')$'\n'
    VALUES[bytes]+=$(stat -c %s "$WORK/x.hprof")$'\n'
    VALUES[samples]+=$(json_number total_samples "$WORK/report.json")$'\n'
    echo "repetition $repetition of $REPETITIONS done" >&2
done

median_of() { printf '%s' "${VALUES[$1]}" | median; }
bare=$(median_of bare)
echo "$REPETITIONS interleaved repetitions, many_workers $WORKERS, 1000 Hz, $(nproc) cores, $(uname -r)"
echo
echo "| measure | median |"
echo "|---|---:|"
printf '| bare wall | %.3f s |\n' "$bare"
printf '| hprof command wall | %.3f s (%.2fx bare) |\n' "$(median_of hprof)" \
    "$(awk -v h="$(median_of hprof)" -v b="$bare" 'BEGIN { print h / b }')"
printf '| program run under hprof | %.3f s (%.2fx bare) |\n' "$(median_of run)" \
    "$(awk -v r="$(median_of run)" -v b="$bare" 'BEGIN { print r / b }')"
printf "| workers' CPU (their own clocks), bare | %.3f s |\n" "$(median_of bare-cpu)"
printf "| workers' CPU (their own clocks), under hprof | %.3f s (%.3fx bare) |\n" \
    "$(median_of hprof-cpu)" "$(awk -v h="$(median_of hprof-cpu)" -v b="$(median_of bare-cpu)" 'BEGIN { print h / b }')"
printf '| collection (command - run) | %.3f s |\n' "$(median_of collect)"
printf '| profile size | %d bytes |\n' "$(median_of bytes)"
printf '| samples | %d |\n' "$(median_of samples)"
