// Activity of every thread over time, in a given number of equal bins, for the viewer's timeline
// and the report's CPU strips. Model as in parallelism.h: an on-CPU sample covers
// [time_ns - weight_ns, time_ns) of its thread; off-CPU and run-queue samples likewise cover the
// time they stand for.
#pragma once

#include "hprof/filter.h"
#include "hprof/profile.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

struct ThreadActivity {
    ThreadId thread;
    // Per bin, the nanoseconds of the bin the thread spent on a CPU, blocked, waiting for a CPU.
    std::vector<int64_t> cpu_ns;
    std::vector<int64_t> off_cpu_ns;
    std::vector<int64_t> run_queue_ns;
};

struct Timeline {
    int64_t from_ns = 0; // the window, relative to the run start
    int64_t to_ns = 0;
    size_t bins = 0;
    // Every thread the filter's process and thread selections accept that lived in the window,
    // in profile order (empty bins for threads without accepted samples).
    std::vector<ThreadActivity> threads;
    int64_t binNs() const; // (to_ns - from_ns) / bins, at least 1
};

// The window is the filter's time range cut to [0, max(RunInfo::wall_ns, last sample time)).
// `bins`: the number of equal parts of the window (0 counts as 1).
Timeline computeTimeline(const SampleSelector& selector, size_t bins);

// The accepted sample of `thread` nearest to `time_ns` within `tolerance_ns` (the timeline's
// hover), as an index into Profile::samples; nullopt when there is none.
std::optional<size_t> sampleNear(const SampleSelector& selector, ThreadId thread, int64_t time_ns,
                                 int64_t tolerance_ns);

} // namespace hprof
