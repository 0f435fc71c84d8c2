#!/usr/bin/env bash
# Measures the run-time overhead of hprof next to gperftools and perf on two fixed-work
# programs (bench/programs/single.cpp and deep.cpp), all sampling at 1000 Hz.
#
# Usage: bench/run_overhead.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
#
# For each program the variants (bare, hprof, gperftools, perf) run in ONE interleaved loop,
# so slow drifts of the machine hit all of them alike. Prints a markdown table: the median
# wall time, its ratio to the bare median, the achieved sample rate (samples per CPU second
# of the profiled program) and the profile size per sample. A tool that is missing or does
# not work here is reported as n/a, with the reason on stderr.
set -euo pipefail

BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
SOURCE_DIR=$(dirname "$(realpath "$0")")
# shellcheck source=common.sh
source "$SOURCE_DIR/common.sh"
FREQUENCY=1000
GPERFTOOLS_LIB=/usr/lib/x86_64-linux-gnu/libprofiler.so
RUN_TIMEOUT=300

if ! [[ $REPETITIONS =~ ^[1-9][0-9]*$ ]]; then
    echo "run_overhead.sh: repetitions must be a positive integer, not '$REPETITIONS'" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/hprof-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- the benchmark programs -------------------------------------------------------------

# --- which tools can run here -----------------------------------------------------------

declare -A AVAILABLE # variant -> 1 if usable

check_tools() {
    AVAILABLE[bare]=1
    if [[ -x $BUILD/bin/hprof ]]; then
        AVAILABLE[hprof]=1
    else
        echo "hprof: n/a ($BUILD/bin/hprof not built)" >&2
    fi
    if [[ -e $GPERFTOOLS_LIB ]]; then
        AVAILABLE[gperftools]=1
    else
        echo "gperftools: n/a ($GPERFTOOLS_LIB missing: apt-get install libgoogle-perftools-dev)" >&2
    fi
    local perf_error
    if perf_error=$(perf record -q -F "$FREQUENCY" -g -o "$WORK/check.perf.data" -- true 2>&1); then
        AVAILABLE[perf]=1
    else
        echo "perf: n/a ($(echo "$perf_error" | head -n 1))" >&2
    fi
}

# --- running one variant ----------------------------------------------------------------

# Runs program $2 under variant $1; prints "wall_seconds cpu_seconds" on success.
# The CPU time is that of the program's process tree as seen by /usr/bin/time.
run_variant() { # variant program
    local variant=$1 program=$BUILD/bench/$2
    local -a command
    case $variant in
    bare) command=("$program") ;;
    hprof) command=("$BUILD/bin/hprof" -q -F "$FREQUENCY" -o "$WORK/x.hprof" -- "$program") ;;
    gperftools)
        command=(env LD_PRELOAD="$GPERFTOOLS_LIB" CPUPROFILE="$WORK/x.prof"
            CPUPROFILE_FREQUENCY="$FREQUENCY" "$program")
        ;;
    perf) command=(perf record -q -F "$FREQUENCY" -g -o "$WORK/x.perf.data" -- "$program") ;;
    esac
    rm -f "$WORK/x.hprof" "$WORK/x.prof" "$WORK/x.perf.data"
    local start end
    start=$(date +%s%N)
    if ! timeout "$RUN_TIMEOUT" /usr/bin/time -o "$WORK/time" -f "%U %S" "${command[@]}" \
        >"$WORK/stdout" 2>"$WORK/stderr"; then
        echo "$variant $2: failed: $(tail -n 3 "$WORK/stderr")" >&2
        return 1
    fi
    end=$(date +%s%N)
    awk -v ns=$((end - start)) '{ printf "%.4f %.4f\n", ns / 1e9, $1 + $2 }' "$WORK/time"
}

# --- counting samples in each profile format --------------------------------------------

# gperftools' CPU profile is a sequence of native 64-bit words: a 5-word header, then
# records (sample count, stack depth, that many addresses), then the trailer 0 1 0.
gperftools_samples() { # file
    od -An -v -t d8 "$1" | awk '
        { for (i = 1; i <= NF; ++i) word[n++] = $i }
        END {
            total = 0
            for (i = 5; i + 2 < n; i += 2 + word[i + 1]) {
                if (word[i] == 0 && word[i + 1] == 1 && word[i + 2] == 0) break
                total += word[i]
            }
            print total
        }'
}

perf_samples() { # file
    perf report -i "$1" --stats 2>/dev/null | awk '/SAMPLE events:/ { print $3; exit }'
}

# Prints "samples cpu_seconds bytes" for the profile the last run of $1 wrote.
profile_facts() { # variant cpu_seconds_of_run
    case $1 in
    hprof)
        "$BUILD/bin/hprof" report "$WORK/x.hprof" --format json >"$WORK/report.json"
        echo "$(json_number total_samples "$WORK/report.json")" \
            "$(json_number cpu_seconds "$WORK/report.json")" "$(stat -c %s "$WORK/x.hprof")"
        ;;
    gperftools) echo "$(gperftools_samples "$WORK/x.prof")" "$2" "$(stat -c %s "$WORK/x.prof")" ;;
    perf) echo "$(perf_samples "$WORK/x.perf.data")" "$2" "$(stat -c %s "$WORK/x.perf.data")" ;;
    esac
}

# --- the measurement loop and the table -------------------------------------------------

VARIANTS=(bare hprof gperftools perf)
declare -A WALL RATE BYTES # "program variant" -> newline-separated values

measure_program() { # program
    local program=$1 repetition variant result wall cpu samples profile_cpu bytes
    for ((repetition = 1; repetition <= REPETITIONS; ++repetition)); do
        for variant in "${VARIANTS[@]}"; do
            [[ -n ${AVAILABLE[$variant]:-} ]] || continue
            result=$(run_variant "$variant" "$program") || continue
            read -r wall cpu <<<"$result"
            WALL["$program $variant"]+="$wall"$'\n'
            [[ $variant == bare ]] && continue
            read -r samples profile_cpu bytes <<<"$(profile_facts "$variant" "$cpu")" || true
            if [[ $variant == hprof ]]; then # the program's own run, before hprof collects
                WALL["$program hprof-run"]+="$(json_number wall_seconds "$WORK/report.json")"$'\n'
            fi
            if [[ -n ${samples:-} && ${samples:-0} -gt 0 ]]; then
                RATE["$program $variant"]+=$(awk -v s="$samples" -v c="$profile_cpu" 'BEGIN { printf "%.1f", s / c }')$'\n'
                BYTES["$program $variant"]+=$(awk -v s="$samples" -v b="$bytes" 'BEGIN { printf "%.1f", b / s }')$'\n'
            fi
        done
        echo "$program: repetition $repetition of $REPETITIONS done" >&2
    done
}

print_table() {
    echo "| program | profiler | median wall (s) | vs bare | samples / CPU s | bytes / sample |"
    echo "|---|---|---:|---:|---:|---:|"
    local program variant bare_median wall_median ratio rate bytes
    for program in "$@"; do
        bare_median=$(printf '%s' "${WALL["$program bare"]:-}" | median)
        for variant in bare hprof-run hprof gperftools perf; do
            if [[ -z ${WALL["$program $variant"]:-} ]]; then
                echo "| $program | $variant | n/a | n/a | n/a | n/a |"
                continue
            fi
            wall_median=$(printf '%s' "${WALL["$program $variant"]}" | median)
            ratio=$(awk -v w="$wall_median" -v b="$bare_median" 'BEGIN { printf "%.3fx", w / b }')
            rate=n/a bytes=n/a
            if [[ -n ${RATE["$program $variant"]:-} ]]; then
                rate=$(printf '%s' "${RATE["$program $variant"]}" | median)
                bytes=$(printf '%s' "${BYTES["$program $variant"]}" | median)
            fi
            [[ $variant == bare || $variant == hprof-run ]] && rate=- bytes=-
            printf '| %s | %s | %.3f | %s | %s | %s |\n' "$program" "$variant" "$wall_median" \
                "$ratio" "$rate" "$bytes"
        done
    done
}

PROGRAMS=(single deep)
for program in "${PROGRAMS[@]}"; do
    build_bench_program "$BUILD" "$program"
done
check_tools
for program in "${PROGRAMS[@]}"; do
    measure_program "$program"
done
echo
echo "$REPETITIONS interleaved repetitions, $FREQUENCY Hz, $(nproc) cores, $(uname -r)"
echo "hprof-run: the program's run under hprof (wall_seconds of the profile: start to exit);"
echo "hprof: the whole hprof command, including collecting and symbolizing after the exit."
echo
print_table "${PROGRAMS[@]}"
