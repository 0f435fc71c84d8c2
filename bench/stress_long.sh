#!/usr/bin/env bash
# Soak test: runs the `stress` sample (8 threads of malloc/free, dlopen/dlclose, exceptions
# and short-lived threads) under hprof at 4000 Hz for 30 s, three times. A run passes when
# it finished before its timeout (no hang), exited 0 and wrote a non-empty profile.
#
# Usage: bench/stress_long.sh [BUILD_DIR (default ./build)]
# Exits 0 if all runs passed, 1 otherwise.
set -uo pipefail

BUILD=$(realpath "${1:-./build}")
RUNS=3
SECONDS_PER_RUN=30
TIMEOUT=120

for tool in "$BUILD/bin/hprof" "$BUILD/bin/stress"; do
    if [[ ! -x $tool ]]; then
        echo "stress_long.sh: $tool is not built" >&2
        exit 2
    fi
done

WORK=$(mktemp -d /tmp/hprof-stress.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

failures=0
for ((run = 1; run <= RUNS; ++run)); do
    profile=$WORK/stress-$run.hprof
    start=$(date +%s)
    timeout -k 10 "$TIMEOUT" "$BUILD/bin/hprof" -q -F 4000 -o "$profile" -- \
        "$BUILD/bin/stress" "$SECONDS_PER_RUN" >"$WORK/stdout" 2>"$WORK/stderr"
    status=$?
    elapsed=$(($(date +%s) - start))
    problems=()
    ((status == 124 || status == 137)) && problems+=("hung: killed after ${TIMEOUT}s")
    ((status != 0 && status != 124 && status != 137)) && problems+=("exit status $status")
    [[ -s $profile ]] || problems+=("no profile written")
    if ((${#problems[@]} == 0)); then
        echo "run $run: PASS in ${elapsed}s, $(cat "$WORK/stdout"), profile $(stat -c %s "$profile") bytes"
    else
        failures=$((failures + 1))
        reasons=$(printf '%s; ' "${problems[@]}")
        echo "run $run: FAIL in ${elapsed}s: ${reasons%; }"
        tail -n 5 "$WORK/stderr" | sed 's/^/    /'
    fi
done
echo "$((RUNS - failures)) passed, $failures failed"
((failures == 0))
