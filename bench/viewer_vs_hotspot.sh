#!/usr/bin/env bash
# Time to results in a GUI, hprof next to perf + hotspot, on the same workload in one
# interleaved loop:
#   bench/viewer_vs_hotspot.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 3)]
#
# hprof:   `hprof record -q` (runs and symbolizes) + `hprof-viewer FILE --screenshot` (loads,
#          aggregates, paints the summary and exits: the time to first paint, plus start-up).
# hotspot: `perf record --call-graph dwarf` + hotspot-perfparser, the program hotspot runs to
#          unwind and symbolize perf.data before it shows anything. hotspot's own GUI work comes
#          on top, so its figure is a lower bound and the ratio favours hotspot.
# Both sample at 1000 Hz. The workload is bench/programs/deep.cpp: four threads, stacks of more
# than 100 frames, about 4 s of CPU.
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-3}
HERE=$(dirname "$(realpath "$0")")
source "$HERE/common.sh"
PERFPARSER=/usr/lib/x86_64-linux-gnu/libexec/hotspot-perfparser

for tool in "$BUILD/bin/hprof" "$BUILD/bin/hprof-viewer"; do
    [[ -x $tool ]] || { echo "viewer_vs_hotspot.sh: $tool is not built" >&2; exit 2; }
done
[[ -x $PERFPARSER ]] || { echo "viewer_vs_hotspot.sh: hotspot is not installed (apt-get install hotspot)" >&2; exit 2; }
command -v perf >/dev/null || { echo "viewer_vs_hotspot.sh: perf is not installed (apt-get install linux-perf)" >&2; exit 2; }

build_bench_program "$BUILD" deep
PROGRAM=$BUILD/bench/deep
WORK=$(mktemp -d /tmp/hprof-viewer-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

for ((run = 1; run <= REPETITIONS; ++run)); do
    start=$(now)
    "$BUILD/bin/hprof" record -q -F 1000 -o "$WORK/deep.hprof" -- "$PROGRAM" >/dev/null 2>&1
    recorded=$(now)
    QT_QPA_PLATFORM=offscreen "$BUILD/bin/hprof-viewer" "$WORK/deep.hprof" --view summary \
        --screenshot "$WORK/summary.png" >/dev/null 2>&1
    shown=$(now)
    elapsed "$start" "$recorded" >>"$WORK/hprof.record"
    elapsed "$recorded" "$shown" >>"$WORK/hprof.show"

    start=$(now)
    perf record -q -F 1000 --call-graph dwarf -o "$WORK/perf.data" -- "$PROGRAM" >/dev/null 2>&1
    recorded=$(now)
    "$PERFPARSER" --input "$WORK/perf.data" --output "$WORK/perf.parsed" >/dev/null 2>&1
    shown=$(now)
    elapsed "$start" "$recorded" >>"$WORK/hotspot.record"
    elapsed "$recorded" "$shown" >>"$WORK/hotspot.show"
done

for variant in hprof hotspot; do
    record=$(median <"$WORK/$variant.record")
    show=$(median <"$WORK/$variant.show")
    declare "${variant}_record=$record" "${variant}_show=$show"
done
hprof_size=$(stat -c %s "$WORK/deep.hprof")
perf_size=$(stat -c %s "$WORK/perf.data")
echo "| step (median of $REPETITIONS, s) | hprof | perf + hotspot | ratio |"
echo "|---|---|---|---|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", b / a }'; }
echo "| record | $hprof_record | $hotspot_record | $(ratio "$hprof_record" "$hotspot_record") |"
echo "| results shown (viewer first paint / perfparser) | $hprof_show | $hotspot_show | $(ratio "$hprof_show" "$hotspot_show") |"
total_hprof=$(awk -v a="$hprof_record" -v b="$hprof_show" 'BEGIN { print a + b }')
total_hotspot=$(awk -v a="$hotspot_record" -v b="$hotspot_show" 'BEGIN { print a + b }')
echo "| total | $total_hprof | $total_hotspot | $(ratio "$total_hprof" "$total_hotspot") |"
echo "| data file (bytes) | $hprof_size | $perf_size | $(ratio "$hprof_size" "$perf_size") |"
