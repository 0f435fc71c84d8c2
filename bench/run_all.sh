#!/usr/bin/env bash
# Every benchmark behind docs/performance.md, in one command:
#   bench/run_all.sh [BUILD_DIR (default ./build)] [REPETITIONS (default 5)]
# 1. run-time overhead of hprof, gperftools and perf (run_overhead.sh),
# 2. the collector on 1,000,000 synthetic samples (hprof_collector_bench, median of 3), and
#    the viewer-side aggregation on 1,000,000 and 10,000,000 (hprof_aggregation_bench, median
#    of 5),
# 3. the floor: what a 1000 Hz signal to an empty handler costs here (signal_floor.sh),
# 4. the cost per call of call counting next to uftrace and gprof (instrument_cost.sh),
# 5. 200 short-lived processes: overhead, collection time, profile size (many_workers.sh),
# 6. what wall-clock mode adds over CPU mode (wall_cost.sh),
# 7. what one clock read costs here, the reason counts mode reads none (clock_cost.sh),
# 8. real programs (bzip2, xz -T2, python3, sqlite3, g++, make -j2, sh) next to perf
#    (real_programs.py),
# 9. the viewer's first paint on 1,000,000 and 10,000,000 samples (viewer_first_paint.sh) and
#    its time to results next to perf + hotspot (viewer_vs_hotspot.sh).
# The stress soak (stress_long.sh) is separate: it is a survival test, not a measurement.
set -euo pipefail
BUILD=$(realpath "${1:-./build}")
REPETITIONS=${2:-5}
HERE=$(dirname "$(realpath "$0")")

echo "## Overhead (medians of $REPETITIONS interleaved runs)"
bash "$HERE/run_overhead.sh" "$BUILD" "$REPETITIONS"
echo
echo "## Collector, 1,000,000 samples"
"$BUILD/bin/hprof_collector_bench"
echo
echo "## Viewer-side aggregation, 1,000,000 and 10,000,000 samples"
"$BUILD/bin/hprof_aggregation_bench"
echo
echo "## Signal floor at 1000 Hz (medians of $REPETITIONS)"
bash "$HERE/signal_floor.sh" "$BUILD" "$REPETITIONS"
echo
echo "## Call counting, cost per call (medians of $REPETITIONS)"
bash "$HERE/instrument_cost.sh" "$BUILD" "$REPETITIONS"
echo
echo "## 200 short-lived processes (medians of $REPETITIONS)"
bash "$HERE/many_workers.sh" "$BUILD" "$REPETITIONS"
echo
echo "## Wall-clock mode over CPU mode (medians of $REPETITIONS)"
bash "$HERE/wall_cost.sh" "$BUILD" "$REPETITIONS"
echo
echo "## Clock reads (medians of $REPETITIONS)"
bash "$HERE/clock_cost.sh" "$BUILD" "$REPETITIONS"
echo
echo "## Real programs next to perf (medians of $REPETITIONS)"
python3 "$HERE/real_programs.py" "$BUILD" "$REPETITIONS"
echo
echo "## The viewer: first paint on 1,000,000 and 10,000,000 samples (medians of $REPETITIONS)"
bash "$HERE/viewer_first_paint.sh" "$BUILD" "$REPETITIONS"
echo
echo "## The viewer next to perf + hotspot (medians of $REPETITIONS)"
bash "$HERE/viewer_vs_hotspot.sh" "$BUILD" "$REPETITIONS"
