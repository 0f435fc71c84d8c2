#!/usr/bin/env bash
# The viewer on big profiles: time from start to the first paint of the summary (load,
# aggregate, paint, write the PNG, exit) and the peak resident memory, for synthetic profiles of
# 1,000,000 and 10,000,000 samples (hprof_aggregation_bench --write: 8 threads, 5,000 stacks of
# depth 10-40). The CPU seconds (user + system) are printed too: on a loaded machine the wall
# time mostly measures the wait for a core.
#   bench/viewer_first_paint.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 3)]
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-3}
HERE=$(dirname "$(realpath "$0")")
source "$HERE/common.sh"
for tool in hprof-viewer hprof_aggregation_bench; do
    [[ -x $BUILD/bin/$tool ]] || { echo "viewer_first_paint.sh: $BUILD/bin/$tool is not built" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/hprof-first-paint.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "| samples | first paint of the summary, wall (median of $REPETITIONS, s) | CPU (s) | peak resident (MB) | bytes per sample |"
echo "|---:|---:|---:|---:|---:|"
for samples in 1000000 10000000; do
    "$BUILD/bin/hprof_aggregation_bench" --write "$WORK/big.hprof" "$samples"
    : >"$WORK/seconds"
    : >"$WORK/kilobytes"
    : >"$WORK/cpu"
    for ((run = 1; run <= REPETITIONS; ++run)); do
        QT_QPA_PLATFORM=offscreen /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
            "$BUILD/bin/hprof-viewer" "$WORK/big.hprof" --view summary \
            --screenshot "$WORK/summary.png" >/dev/null 2>&1
        read -r seconds user system kilobytes <"$WORK/time"
        echo "$seconds" >>"$WORK/seconds"
        awk -v u="$user" -v s="$system" 'BEGIN { print u + s }' >>"$WORK/cpu"
        echo "$kilobytes" >>"$WORK/kilobytes"
    done
    seconds=$(median <"$WORK/seconds")
    kilobytes=$(median <"$WORK/kilobytes")
    cpu=$(median <"$WORK/cpu")
    awk -v n="$samples" -v s="$seconds" -v c="$cpu" -v k="$kilobytes" \
        'BEGIN { printf "| %d | %.2f | %.2f | %.0f | %.0f |\n", n, s, c, k / 1024, k * 1024 / n }'
done
