#include "hprof/viewer/timeline_lanes.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>

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
    std::string rank = process.rank >= 0 ? "rank " + std::to_string(process.rank) + "  " : "";
    return rank + std::to_string(process.pid) + "  " + command;
}

TimelineLane threadLane(const Profile& profile, const ThreadActivity& activity,
                        const std::string& host) {
    const Thread& thread = profile.thread(activity.thread);
    TimelineLane lane;
    lane.kind = TimelineLane::Kind::Thread;
    lane.host = host;
    lane.process = thread.process;
    lane.thread = activity.thread;
    lane.title = std::to_string(thread.tid) + "  " + thread.name;
    lane.start_ns = thread.start_ns;
    lane.end_ns = thread.end_ns;
    addActivity(lane, activity);
    return lane;
}

using ActivitiesByProcess = std::map<uint32_t, std::vector<const ThreadActivity*>>;

// A process lane (its threads summed) followed by its thread lanes.
void addProcessLanes(const Profile& profile, const Timeline& timeline, uint32_t process_index,
                     const std::vector<const ThreadActivity*>& activities, const std::string& host,
                     std::vector<TimelineLane>& lanes) {
    const Process& process = profile.processes[process_index];
    TimelineLane lane;
    lane.host = host;
    lane.process = ProcessId(process_index);
    lane.title = processTitle(process);
    lane.start_ns = process.start_ns;
    lane.end_ns = process.end_ns;
    for (const ThreadActivity* activity : activities)
        addActivity(lane, *activity);
    lane.peak_threads = peakThreads(lane, timeline.binNs());
    lanes.push_back(std::move(lane));
    for (const ThreadActivity* activity : activities)
        lanes.push_back(threadLane(profile, *activity, host));
}

// "node3  (4 ranks)" or "node3  (2 processes)".
std::string hostTitle(const Profile& profile, const std::string& host,
                      const std::vector<uint32_t>& processes) {
    const bool ranks = std::all_of(processes.begin(), processes.end(),
                                   [&](uint32_t p) { return profile.processes[p].rank >= 0; });
    const std::string what = ranks ? " rank" : " process";
    return host + "  (" + std::to_string(processes.size()) + what +
           (processes.size() == 1 ? ")" : "s)");
}

void addHostLanes(const Profile& profile, const Timeline& timeline,
                  const ActivitiesByProcess& by_process, std::vector<TimelineLane>& lanes) {
    std::vector<std::string> hosts; // in the order of their first process
    std::map<std::string, std::vector<uint32_t>> processes_of;
    for (const auto& [process_index, activities] : by_process) {
        const std::string& host = hostOf(profile, ProcessId(process_index));
        if (processes_of[host].empty())
            hosts.push_back(host);
        processes_of[host].push_back(process_index);
    }
    for (const std::string& host : hosts) {
        TimelineLane lane;
        lane.kind = TimelineLane::Kind::Host;
        lane.host = host;
        lane.title = hostTitle(profile, host, processes_of[host]);
        lane.start_ns = INT64_MAX;
        lane.end_ns = INT64_MIN;
        for (uint32_t process_index : processes_of[host]) {
            const Process& process = profile.processes[process_index];
            lane.start_ns = std::min(lane.start_ns, process.start_ns);
            lane.end_ns = std::max(lane.end_ns, process.end_ns);
            for (const ThreadActivity* activity : by_process.at(process_index))
                addActivity(lane, *activity);
        }
        lane.peak_threads = peakThreads(lane, timeline.binNs());
        lanes.push_back(std::move(lane));
        for (uint32_t process_index : processes_of[host])
            addProcessLanes(profile, timeline, process_index, by_process.at(process_index), host,
                            lanes);
    }
}

} // namespace

const std::string& hostOf(const Profile& profile, ProcessId process) {
    const Process& p = profile.process(process);
    return p.host.empty() ? profile.run.host : p.host;
}

bool groupsByHost(const Profile& profile) {
    std::set<std::string> hosts;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].rank >= 0)
            return true;
        hosts.insert(hostOf(profile, ProcessId(i)));
    }
    return hosts.size() > 1;
}

std::vector<TimelineLane> buildTimelineLanes(const Profile& profile, const Timeline& timeline) {
    ActivitiesByProcess by_process;
    for (const ThreadActivity& activity : timeline.threads)
        by_process[profile.thread(activity.thread).process.value].push_back(&activity);
    std::vector<TimelineLane> lanes;
    if (groupsByHost(profile)) {
        addHostLanes(profile, timeline, by_process, lanes);
        return lanes;
    }
    for (const auto& [process_index, activities] : by_process)
        addProcessLanes(profile, timeline, process_index, activities, "", lanes);
    return lanes;
}

} // namespace hprof::viewer
