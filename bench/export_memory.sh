#!/usr/bin/env bash
# Peak resident memory of `hprof export` per format on a synthetic profile of N samples
# (hprof_aggregation_bench --write: 8 threads, 5,000 stacks of depth 10-40), next to that of
# `hprof report` of the same file, which holds the profile in memory and aggregates it: the
# exports must stay under twice that (issue 12). Also the wall and CPU seconds and the size of
# what each format wrote.
#   bench/export_memory.sh [BUILD_DIR (default ./build)] [SAMPLES (default 10000000)] [FORMATS...]
# FORMATS default to every format `hprof export` knows.
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
SAMPLES=${2:-10000000}
shift $(($# < 2 ? $# : 2))
FORMATS=("$@")
[[ ${#FORMATS[@]} -gt 0 ]] || FORMATS=(pstats callgrind pprof folded speedscope chrome)
for tool in hprof hprof_aggregation_bench; do
    [[ -x $BUILD/bin/$tool ]] || { echo "export_memory.sh: $BUILD/bin/$tool is not built" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/hprof-export-memory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

"$BUILD/bin/hprof_aggregation_bench" --write "$WORK/big.hprof" "$SAMPLES"

# Runs a command under /usr/bin/time; prints "wall cpu peak_kB".
measure() {
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
        { echo "export_memory.sh: $* failed: $(cat "$WORK/stderr")" >&2; exit 1; }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time"
}

read -r base_wall base_cpu base_kb < <(measure "$BUILD/bin/hprof" report "$WORK/big.hprof" --limit 10)
echo "$SAMPLES samples; profile file $(($(stat -c %s "$WORK/big.hprof") / 1048576)) MB"
echo
echo "| command | wall (s) | CPU (s) | peak resident (MB) | vs report | output (MB) |"
echo "|---|---:|---:|---:|---:|---:|"
awk -v w="$base_wall" -v c="$base_cpu" -v k="$base_kb" \
    'BEGIN { printf "| hprof report | %.2f | %.2f | %.0f | 1.00 | - |\n", w, c, k / 1024 }'
for format in "${FORMATS[@]}"; do
    read -r wall cpu kb < <(measure "$BUILD/bin/hprof" export "$WORK/big.hprof" --format "$format" \
        -o "$WORK/out")
    awk -v f="$format" -v w="$wall" -v c="$cpu" -v k="$kb" -v b="$base_kb" \
        -v o="$(stat -c %s "$WORK/out")" \
        'BEGIN { printf "| hprof export --format %s | %.2f | %.2f | %.0f | %.2f | %.0f |\n",
                 f, w, c, k / 1024, k / b, o / 1048576 }'
    rm -f "$WORK/out"
done
