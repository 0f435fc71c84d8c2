#!/usr/bin/env bash
# How often `hprof check` cries wolf and how often it catches a slowdown, at its default settings
# (issue 11's evidence):
#   bench/check_calibration.sh [BUILD_DIR (default ./build)] [UNCHANGED (default 100)] [TRIALS (default 20)] [REPEAT (default 1)] [BASELINES (default 1)] [CURRENTS (default 1)]
#
# CURRENTS > 1: each check records that many current profiles (`hprof record`) and checks them
# all (`hprof check c1 c2 ... --baseline ...`) instead of `hprof check -- PROGRAM`.
# BASELINES > 1: that many baseline profiles, all given to every check (`--baseline a b c`): with
# three or more profiles in all, the interval covers the spread between runs (design.md).
# REPEAT > 1: the baseline is `hprof record --repeat REPEAT` and every check `hprof check --repeat
# REPEAT` (each side REPEAT runs of the program). The output of every false alarm (an unchanged
# rerun that exited 1) is kept in BUILD_DIR/check-alarms/ and its regressed rows are printed.
#
# Workload: bench/programs/check_workload.cpp, hot_path holding 10% of about 2 s of CPU (fixed
# iteration counts: it never reads a clock, so its profile does not change with the load).
# Every check is held against fresh baselines: recorded before the first check of each case and
# again every BASELINE_EVERY checks (default 10).
# 1. UNCHANGED unchanged reruns, on a quiet machine and again while a CPU-bound process (a shell
# loop) shares the machine: false alarms = exit 1.
# 2. TRIALS runs each with hot_path 1.2x, 1.5x and 2x slower: detections = exit 1.
# 3. The workload built with -finstrument-functions (exact call counts): TRIALS unchanged reruns
# (false alarms) and TRIALS runs whose hot_path does the same work in two calls per round
# (ncalls 1000 -> 2000, the time unchanged): detections = exit 1.
# Prints the counts of exit 0 (pass; "inconclusive" included) and exit 1 per case.
# To measure one case alone: UNCHANGED 0 skips step 1; SLOWDOWNS="1.2" (default "1.2 1.5 2")
# in the environment picks the factors of step 2, INSTRUMENTED=0 skips step 3. FREQUENCY (default
# 2000: what `hprof check -- PROGRAM` records at, and what docs/ci.md records baselines at) is the
# sampling rate of every run: baselines with `hprof record -F`, checks with `hprof check -F`.
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
UNCHANGED=${2:-100}
TRIALS=${3:-20}
REPEAT=${4:-1}
BASELINES=${5:-1}
CURRENTS=${6:-1}
FREQUENCY=${FREQUENCY:-2000}
HERE=$(dirname "$(realpath "$0")")
source "$HERE/common.sh"
HPROF=$BUILD/bin/hprof
[[ -x $HPROF ]] || { echo "check_calibration.sh: $HPROF is not built" >&2; exit 2; }
build_bench_program "$BUILD" check_workload
PROGRAM=$BUILD/bench/check_workload
WORK=$(mktemp -d /tmp/hprof-check-calibration.XXXXXX)
LOAD_PID=
cleanup() {
    [[ -n $LOAD_PID ]] && kill "$LOAD_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# Records BASELINES baseline profiles of PROGRAM into BASELINE_FILES. Every case records its own
# baselines, and records them again every BASELINE_EVERY checks: checks held against one baseline
# share its error (one baseline 2 points off made 12 of 50 alarms, docs/performance.md), so
# their false alarms and detections would not be independent trials.
BASELINE_EVERY=${BASELINE_EVERY:-10}
record_baselines() {
    BASELINE_FILES=()
    for ((b = 1; b <= BASELINES; ++b)); do
        "$HPROF" record -q -F "$FREQUENCY" --repeat "$REPEAT" -o "$WORK/baseline-$b.hprof" -- "$PROGRAM" \
            >/dev/null 2>&1
        BASELINE_FILES+=("$WORK/baseline-$b.hprof")
    done
}

ALARMS=$BUILD/check-alarms
rm -rf "$ALARMS"
mkdir -p "$ALARMS"

# Runs `hprof check --baseline` on COUNT fresh runs of PROGRAM with FACTOR (and CALLS of hot_path
# per round, default 1); prints "passed failed inconclusive".
check_runs() { # count factor [calls]
    local arguments=("$2" "${3:-1}")
    local passed=0 failed=0 inconclusive=0 status
    for ((run = 1; run <= $1; ++run)); do
        (((run - 1) % BASELINE_EVERY == 0)) && record_baselines
        status=0
        if ((CURRENTS == 1)); then
            "$HPROF" check -F "$FREQUENCY" --repeat "$REPEAT" -o "$WORK/current.hprof" \
                --baseline "${BASELINE_FILES[@]}" -- "$PROGRAM" "${arguments[@]}" >"$WORK/out" 2>&1 ||
                status=$?
        else
            local currents=()
            for ((c = 1; c <= CURRENTS; ++c)); do
                "$HPROF" record -q -F "$FREQUENCY" --repeat "$REPEAT" -o "$WORK/current-$c.hprof" -- "$PROGRAM" "${arguments[@]}" \
                    >/dev/null 2>&1
                currents+=("$WORK/current-$c.hprof")
            done
            "$HPROF" check "${currents[@]}" --baseline "${BASELINE_FILES[@]}" >"$WORK/out" 2>&1 ||
                status=$?
            cp "$WORK/current-1.hprof" "$WORK/current.hprof"
        fi
        case $status in
        0) passed=$((passed + 1)) ;;
        1)
            failed=$((failed + 1))
            if [[ ${arguments[*]} == "1 1" ]]; then # a false alarm: keep what it said
                local name
                name=$ALARMS/alarm-$(date +%H%M%S)-$run
                cp "$WORK/out" "$name.txt"
                cp "$WORK/current.hprof" "$name.hprof"
                for ((b = 1; b <= BASELINES; ++b)); do
                    cp "$WORK/baseline-$b.hprof" "$name-baseline-$b.hprof"
                done
            fi
            ;;
        *) echo "check_calibration.sh: hprof check exited $status:" >&2; cat "$WORK/out" >&2; exit 1 ;;
        esac
        grep -qi inconclusive "$WORK/out" && inconclusive=$((inconclusive + 1))
    done
    echo "$passed $failed $inconclusive"
}

row() { # label count factor [calls]
    read -r passed failed inconclusive < <(check_runs "$2" "$3" "${4:-}")
    echo "| $1 | $2 | $passed | $failed | $inconclusive |"
}

echo "| case | runs | exit 0 (pass) | exit 1 (regression) | said inconclusive |"
echo "|---|---:|---:|---:|---:|"
if ((UNCHANGED > 0)); then
    row "unchanged, quiet" "$UNCHANGED" 1
    (while :; do :; done) &
    LOAD_PID=$!
    row "unchanged, one CPU-bound process alongside" "$UNCHANGED" 1
    kill "$LOAD_PID"
    LOAD_PID=
fi
for factor in ${SLOWDOWNS:-1.2 1.5 2}; do
    row "hot_path ${factor}x slower" "$TRIALS" "$factor"
done

if [[ ${INSTRUMENTED:-1} != 0 ]]; then
    build_bench_program "$BUILD" check_workload -instrumented -finstrument-functions
    PROGRAM=$BUILD/bench/check_workload-instrumented
    row "instrumented, unchanged" "$TRIALS" 1 1
    row "instrumented, hot_path in 2 calls per round (ncalls 1000 -> 2000)" "$TRIALS" 1 2
fi
for alarm in "$ALARMS"/alarm-*.txt; do
    [[ -e $alarm ]] || continue
    echo "false alarm $(basename "$alarm"):"
    sed -n '/^Regressions:/,/^$/p' "$alarm" | sed 's/^/    /'
done
