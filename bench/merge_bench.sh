#!/usr/bin/env bash
# `hprof merge` of an MPI job's rank profiles (issue 14: 256 ranks of 100,000 samples each in
# under 10 s, memory proportional to the result). Writes RANKS synthetic rank profiles
# (hprof_rank_profiles: 2 threads, 2,000 stacks of depth 10-30, 32 ranks per host), merges them
# RUNS times under /usr/bin/time, and prints the median wall time, the CPU time and the peak
# resident memory, next to the peak of `hprof report` of the merged profile (which holds the
# result in memory and aggregates it): the merge should stay near it, not grow with RANKS copies.
#   bench/merge_bench.sh [BUILD_DIR (default ./build)] [RANKS (default 256)] [SAMPLES (default 100000)] [RUNS (default 3)]
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
RANKS=${2:-256}
SAMPLES=${3:-100000}
RUNS=${4:-3}
for tool in hprof hprof_rank_profiles; do
    [[ -x $BUILD/bin/$tool ]] || { echo "merge_bench.sh: $BUILD/bin/$tool is not built" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/hprof-merge-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/ranks"
"$BUILD/bin/hprof_rank_profiles" "$WORK/ranks" "$RANKS" "$SAMPLES"

# Runs a command under /usr/bin/time; prints "wall cpu peak_kB".
measure() {
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
        { echo "merge_bench.sh: $* failed: $(cat "$WORK/stderr")" >&2; exit 1; }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time"
}

inputs_mb=$(du -sm "$WORK/ranks" | cut -f1)
for run in $(seq "$RUNS"); do
    measure "$BUILD/bin/hprof" merge "$WORK"/ranks/rank-*.hprof -o "$WORK/job.hprof" >>"$WORK/runs"
    rm -f "$WORK/job.hprof.old"
done
read -r report_wall report_cpu report_kb < <(measure "$BUILD/bin/hprof" report "$WORK/job.hprof" --limit 5)
echo "$RANKS ranks x $SAMPLES samples; inputs $inputs_mb MB, merged profile" \
    "$(($(stat -c %s "$WORK/job.hprof") / 1048576)) MB"
echo
echo "| command | wall (s) | CPU (s) | peak resident (MB) |"
echo "|---|---:|---:|---:|"
sort -n "$WORK/runs" | awk -v runs="$RUNS" '
    { wall[NR] = $1; cpu[NR] = $2; kb[NR] = $3 }
    END { m = int((runs + 1) / 2); all = ""
          for (i = 1; i <= NR; i++) all = all (i > 1 ? ", " : "") wall[i]
          printf "| hprof merge (median of %d: %s) | %s | %s | %.0f |\n", runs, all, wall[m], cpu[m], kb[m] / 1024 }'
awk -v w="$report_wall" -v c="$report_cpu" -v k="$report_kb" \
    'BEGIN { printf "| hprof report of the merged profile | %s | %s | %.0f |\n", w, c, k / 1024 }'
