#!/usr/bin/env bash
# Measures what one instrumented call costs: hprof's call counting next to uftrace (which records
# every entry and exit) and gprof's mcount (-pg), on bench/programs/tiny_calls.cpp, a program of
# tiny functions making about 50 million calls.
#
# Usage: bench/instrument_cost.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
#
# The program is built three times with g++ -O2: plain, with -finstrument-functions and with
# -pg. The variants run in ONE interleaved loop, so slow drifts of the machine hit all alike:
#   plain         the plain build
#   instrumented  the -finstrument-functions build alone (glibc's hooks do nothing)
#   hprof         the same build under `hprof -q -F 1000 --instrument=counts`
#   hprof-run     the program's run inside that (the profile's wall_seconds: without collecting)
#   hprof-trace   the same build under `hprof -F 1000 --instrument=trace --min-duration=0`:
#                 every call is kept with its start and duration
#   hprof-trace-run  the program's run inside that
#   uftrace       the same build under `uftrace record`
#   gprof         the -pg build alone (mcount counts calls, the exit writes gmon.out)
# Prints a markdown table of median wall times, the cost per call ((median - plain median) /
# calls, in ns) and the bytes each tool wrote to disk per call, then the calls hprof-trace kept
# and its profile bytes per kept call (the raw stream holds 12 bytes per kept call, one
# raw::TraceEntry, plus chunk headers, and is removed after collection). A tool that is missing or does
# not work here is reported as n/a, with the reason on stderr.
set -euo pipefail

BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
# shellcheck source=common.sh
source "$(dirname "$(realpath "$0")")/common.sh"
FREQUENCY=1000
RUN_TIMEOUT=600

if ! [[ $REPETITIONS =~ ^[1-9][0-9]*$ ]]; then
    echo "instrument_cost.sh: repetitions must be a positive integer, not '$REPETITIONS'" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/hprof-instrument-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- the three builds -------------------------------------------------------------------

build_bench_program "$BUILD" tiny_calls
build_bench_program "$BUILD" tiny_calls _instrumented -finstrument-functions
build_bench_program "$BUILD" tiny_calls _pg -pg

# --- which tools can run here -----------------------------------------------------------

declare -A AVAILABLE=([plain]=1 [instrumented]=1) # variant -> 1 if usable
HPROF_OPTIONS=(-q -F "$FREQUENCY")
# Not quiet: hprof's summary line says how many calls the profile kept.
TRACE_OPTIONS=(-F "$FREQUENCY" --instrument=trace --min-duration=0)

check_tools() {
    if [[ -x $BUILD/bin/hprof ]]; then
        AVAILABLE[hprof]=1
        # Counting starts by itself when the program calls the hooks; say so where hprof can.
        if "$BUILD/bin/hprof" help record 2>&1 | grep -q -- --instrument; then
            HPROF_OPTIONS+=(--instrument=counts)
        fi
        if "$BUILD/bin/hprof" help record 2>&1 | grep -q -- --min-duration; then
            AVAILABLE[hprof-trace]=1
        else
            echo "hprof-trace: n/a (this hprof has no --instrument=trace)" >&2
        fi
    else
        echo "hprof: n/a ($BUILD/bin/hprof not built)" >&2
    fi
    # A uftrace that is installed but cannot run here fails its runs, with the reason on stderr.
    if command -v uftrace >/dev/null; then
        AVAILABLE[uftrace]=1
    else
        echo "uftrace: n/a (not installed: apt-get install uftrace)" >&2
    fi
    AVAILABLE[gprof]=1
}

# --- running one variant ----------------------------------------------------------------

# Runs variant $1 in $WORK/run (emptied first); prints its wall seconds.
run_variant() { # variant
    local -a command
    case $1 in
    plain) command=("$BUILD/bench/tiny_calls") ;;
    instrumented) command=("$BUILD/bench/tiny_calls_instrumented") ;;
    hprof)
        command=("$BUILD/bin/hprof" "${HPROF_OPTIONS[@]}" -o x.hprof --
            "$BUILD/bench/tiny_calls_instrumented")
        ;;
    hprof-trace)
        command=("$BUILD/bin/hprof" "${TRACE_OPTIONS[@]}" -o x.hprof --
            "$BUILD/bench/tiny_calls_instrumented")
        ;;
    uftrace) command=(uftrace record -d x.uftrace "$BUILD/bench/tiny_calls_instrumented") ;;
    gprof) command=("$BUILD/bench/tiny_calls_pg") ;; # writes gmon.out into the working dir
    esac
    rm -rf "$WORK/run" && mkdir "$WORK/run"
    local start end
    start=$(date +%s%N)
    if ! (cd "$WORK/run" && timeout "$RUN_TIMEOUT" "${command[@]}" >stdout 2>stderr); then
        echo "$1: failed: $(tail -n 3 "$WORK/run/stderr")" >&2
        return 1
    fi
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

# Bytes the variant's last run left on disk besides its output streams.
data_bytes() {
    du -sb --exclude=stdout --exclude=stderr "$WORK/run" | awk '{ print $1 }'
}

# --- the measurement loop and the table -------------------------------------------------

VARIANTS=(plain instrumented hprof hprof-trace uftrace gprof)
declare -A WALL BYTES # variant -> newline-separated values
CALLS=0
KEPT_CALLS=0 # by hprof-trace

measure() {
    local repetition variant wall
    for ((repetition = 1; repetition <= REPETITIONS; ++repetition)); do
        for variant in "${VARIANTS[@]}"; do
            [[ -n ${AVAILABLE[$variant]:-} ]] || continue
            wall=$(run_variant "$variant") || continue
            WALL[$variant]+="$wall"$'\n'
            CALLS=$(awk '/^calls / { print $2 }' "$WORK/run/stdout")
            [[ $variant == plain || $variant == instrumented ]] && continue
            BYTES[$variant]+="$(data_bytes)"$'\n'
            if [[ $variant == hprof || $variant == hprof-trace ]]; then
                "$BUILD/bin/hprof" report "$WORK/run/x.hprof" --format json >"$WORK/report.json"
                WALL[$variant-run]+="$(json_number wall_seconds "$WORK/report.json")"$'\n'
            fi
            if [[ $variant == hprof-trace ]]; then
                KEPT_CALLS=$(sed -n 's/.* \([0-9][0-9]*\) traced calls.*/\1/p' \
                    "$WORK/run/stderr" "$WORK/run/stdout" | head -n 1)
            fi
        done
        echo "repetition $repetition of $REPETITIONS done" >&2
    done
}

print_table() {
    echo "| variant | median wall (s) | ns per call | bytes on disk per call |"
    echo "|---|---:|---:|---:|"
    local plain_median variant wall_median per_call bytes
    plain_median=$(printf '%s' "${WALL[plain]}" | median)
    for variant in plain instrumented hprof-run hprof hprof-trace-run hprof-trace uftrace gprof; do
        if [[ -z ${WALL[$variant]:-} ]]; then
            echo "| $variant | n/a | n/a | n/a |"
            continue
        fi
        wall_median=$(printf '%s' "${WALL[$variant]}" | median)
        per_call=$(awk -v w="$wall_median" -v p="$plain_median" -v c="$CALLS" \
            'BEGIN { printf "%.1f", (w - p) * 1e9 / c }')
        bytes=-
        if [[ -n ${BYTES[$variant]:-} ]]; then
            bytes=$(printf '%s' "${BYTES[$variant]}" | median |
                awk -v c="$CALLS" '{ printf "%.3g", $1 / c }')
        fi
        printf '| %s | %.3f | %s | %s |\n' "$variant" "$wall_median" "$per_call" "$bytes"
    done
}

# hprof-trace's kept calls and its profile bytes per kept call.
print_trace_size() {
    if [[ -z ${BYTES[hprof-trace]:-} || -z $KEPT_CALLS || $KEPT_CALLS == 0 ]]; then
        echo "hprof-trace: n/a"
        return
    fi
    printf '%s' "${BYTES[hprof-trace]}" | median | awk -v k="$KEPT_CALLS" -v c="$CALLS" '{
        printf "hprof-trace kept %d of %d calls: %.2f profile bytes per kept call", k, c, $1 / k
        printf " (raw stream: 12 bytes per kept call)\n" }'
}

check_tools
measure
echo
echo "$REPETITIONS interleaved repetitions, $CALLS calls per run, $(nproc) cores, $(uname -r)"
echo "hprof options: ${HPROF_OPTIONS[*]}; hprof-trace options: ${TRACE_OPTIONS[*]}"
echo "hprof-run: the program's run under hprof (the profile's wall_seconds: start to exit);"
echo "hprof: the whole hprof command, including collecting and symbolizing after the exit."
echo
print_table
echo
print_trace_size
