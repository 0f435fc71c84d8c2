#include "hprof/viewer/timeline_lanes.h"

#include <algorithm>
#include <map>

namespace hprof::viewer {

namespace {

void addActivity(TimelineLane& lane, const ThreadActivity& activity) {
    // All three series as long as the longest, so that painting indexes them alike.
    size_t bins = std::max({lane.cpu_ns.size(), activity.cpu_ns.size(), activity.off_cpu_ns.size(),
                            activity.run_queue_ns.size()});
    auto add = [bins](std::vector<int64_t>& sum, const std::vector<int64_t>& part) {
        sum.resize(bins);
        for (size_t i = 0; i < part.size(); ++i)
            sum[i] += part[i];
    };
    add(lane.cpu_ns, activity.cpu_ns);
    add(lane.off_cpu_ns, activity.off_cpu_ns);
    add(lane.run_queue_ns, activity.run_queue_ns);
}

double peakThreads(const TimelineLane& lane, int64_t bin_ns) {
    double peak = 1;
    for (size_t i = 0; i < lane.cpu_ns.size(); ++i) {
        int64_t busy = lane.cpu_ns[i] + lane.off_cpu_ns[i] + lane.run_queue_ns[i];
        peak = std::max(peak, double(busy) / double(bin_ns));
    }
    return peak;
}

std::string processTitle(const Process& process) {
    std::string command = process.command.empty() ? process.executable : process.command;
    return std::to_string(process.pid) + "  " + command;
}

TimelineLane threadLane(const Profile& profile, const ThreadActivity& activity) {
    const Thread& thread = profile.thread(activity.thread);
    TimelineLane lane;
    lane.kind = TimelineLane::Kind::Thread;
    lane.process = thread.process;
    lane.thread = activity.thread;
    lane.title = std::to_string(thread.tid) + "  " + thread.name;
    lane.start_ns = thread.start_ns;
    lane.end_ns = thread.end_ns;
    addActivity(lane, activity);
    return lane;
}

} // namespace

std::vector<TimelineLane> buildTimelineLanes(const Profile& profile, const Timeline& timeline) {
    std::map<uint32_t, std::vector<const ThreadActivity*>> by_process;
    for (const ThreadActivity& activity : timeline.threads)
        by_process[profile.thread(activity.thread).process.value].push_back(&activity);
    std::vector<TimelineLane> lanes;
    for (const auto& [process_index, activities] : by_process) {
        const Process& process = profile.processes[process_index];
        TimelineLane lane;
        lane.process = ProcessId(process_index);
        lane.title = processTitle(process);
        lane.start_ns = process.start_ns;
        lane.end_ns = process.end_ns;
        for (const ThreadActivity* activity : activities)
            addActivity(lane, *activity);
        lane.peak_threads = peakThreads(lane, timeline.binNs());
        lanes.push_back(std::move(lane));
        for (const ThreadActivity* activity : activities)
            lanes.push_back(threadLane(profile, *activity));
    }
    return lanes;
}

} // namespace hprof::viewer
