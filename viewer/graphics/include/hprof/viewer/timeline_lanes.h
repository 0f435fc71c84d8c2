// The timeline's lanes as plain data: one per process (its threads summed) followed by one per
// thread, with the activity per bin that the widget paints.
#pragma once

#include "hprof/profile.h"
#include "hprof/timeline.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hprof::viewer {

struct TimelineLane {
    enum class Kind { Process, Thread };
    Kind kind = Kind::Process;
    ProcessId process;
    ThreadId thread; // invalid for a process lane
    std::string title;
    int64_t start_ns = 0; // when the process or thread existed
    int64_t end_ns = 0;
    // Per bin of the timeline, summed over the lane's threads.
    std::vector<int64_t> cpu_ns;
    std::vector<int64_t> off_cpu_ns;
    std::vector<int64_t> run_queue_ns;
    // The largest number of threads busy (on CPU, blocked or queued) at once in one bin, at
    // least 1: bar heights are drawn relative to it.
    double peak_threads = 1;
};

// Processes in profile order, each followed by its threads in profile order; only the processes
// with at least one thread in the timeline.
std::vector<TimelineLane> buildTimelineLanes(const Profile& profile, const Timeline& timeline);

} // namespace hprof::viewer
