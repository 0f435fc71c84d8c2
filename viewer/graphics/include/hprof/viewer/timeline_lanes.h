// The timeline's lanes as plain data: one per process (its threads summed) followed by one per
// thread, with the activity per bin that the widget paints. A profile of a job (ranks, or
// processes of several hosts: `hprof merge`) gets one lane per host first, its processes after
// it, then their threads.
#pragma once

#include "hprof/profile.h"
#include "hprof/timeline.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hprof::viewer {

struct TimelineLane {
    enum class Kind { Host, Process, Thread };
    Kind kind = Kind::Process;
    ProcessId process; // invalid for a host lane
    ThreadId thread;   // invalid for a host or process lane
    // In a job's profile the host the lane belongs to (a host lane's own), else "".
    std::string host;
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
// with at least one thread in the timeline. In a job's profile (groupsByHost) each host's lane
// (its processes summed) comes first, in the order of its first process, then its processes.
std::vector<TimelineLane> buildTimelineLanes(const Profile& profile, const Timeline& timeline);

// Whether the lanes are grouped by host: some process has an MPI rank, or the processes ran on
// more than one host.
bool groupsByHost(const Profile& profile);

// The host `process` ran on: Process::host, or RunInfo::host when that is "".
const std::string& hostOf(const Profile& profile, ProcessId process);

} // namespace hprof::viewer
