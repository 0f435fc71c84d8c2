// How parallel a run was: wall and CPU time, how many threads were on a CPU at each moment, the
// serial share and Amdahl's bound. Definitions in docs/report-formats.md ("Parallelism").
//
// Model: an on-CPU sample stands for the weight_ns of CPU time its thread used just before
// time_ns, so the thread was on a CPU during [time_ns - weight_ns, time_ns). The probe's weight
// is the thread's CPU time since its previous sample, so for a thread that ran without a break
// these intervals tile its running time. Off-CPU samples (wall-clock mode) are never CPU time.
#pragma once

#include "hprof/analysis.h"
#include "hprof/filter.h"
#include "hprof/profile.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

// The CPU over time strips of the report's thread table cut the window into this many equal
// parts unless told otherwise.
inline constexpr size_t kDefaultTimelineBins = 20;

// One thread or process inside the window. The busy span runs from the start of the first
// on-CPU interval to the end of the last, both cut to the window.
struct BusyStats {
    int64_t cpu_ns = 0; // on-CPU time inside the window
    int64_t busy_from_ns = 0;
    int64_t busy_to_ns = 0;
};

struct ThreadParallelism {
    ThreadId thread;
    BusyStats busy;
    // The share of each of Parallelism::bins equal parts of the window it was on a CPU, 0..1.
    std::vector<double> timeline;
};

struct ProcessParallelism {
    ProcessId process;
    BusyStats busy; // over its threads
};

struct Parallelism {
    int64_t from_ns = 0; // the window, relative to the run start
    int64_t to_ns = 0;
    size_t bins = 0;       // parts of the window in each ThreadParallelism::timeline
    int64_t cpu_ns = 0;    // on-CPU time of the accepted threads inside the window
    int64_t busy_ns = 0;   // wall time with at least one accepted thread on a CPU
    int64_t serial_ns = 0; // wall time with exactly one
    // [k]: wall time with exactly k accepted threads on a CPU; [0] is the idle time.
    std::vector<int64_t> concurrency_ns;
    // Threads and processes with on-CPU time inside the window, in profile order.
    std::vector<ThreadParallelism> threads;
    std::vector<ProcessParallelism> processes;

    int64_t wallNs() const { return to_ns - from_ns; }
    int64_t idleNs() const { return wallNs() - busy_ns; }
    // CPU / wall; 0 for an empty window.
    double averageParallelism() const;
    // Share of the busy (non-idle) wall time with exactly one thread on a CPU; 0 when never busy.
    double serialFraction() const;
    // Share of the CPU time that ran while no other thread did: Amdahl's s.
    double serialWorkFraction() const;
    // Amdahl's bound on the speed-up over running the same work on one core: 1 / s. Nullopt
    // when there is no serial time (no CPU at all, or no bound).
    std::optional<double> speedupBoundOverOneCore() const;
    // The bound over this run: the parallel phases shrink to nothing, the serial and idle time
    // stay. Nullopt when nothing would stay (no bound).
    std::optional<double> speedupBoundOverThisRun() const;
};

// The window is the filter's time range cut to the run's span, [0, max(RunInfo::wall_ns, time of
// the last sample)); the selector's accepted samples count (an on-CPU interval is cut to the
// window, so a sample just after the time range still counts for its part inside).
// `bins` cuts the window for the per-thread timelines (0 counts as 1).
Parallelism computeParallelism(const SampleSelector& selector, size_t bins = kDefaultTimelineBins);
Parallelism computeParallelism(const Profile& profile, const SampleFilter& filter = {},
                               size_t bins = kDefaultTimelineBins);

} // namespace hprof
