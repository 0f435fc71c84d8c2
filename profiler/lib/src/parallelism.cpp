#include "hprof/parallelism.h"

#include "saturating.h"

#include <algorithm>
#include <utility>

namespace hprof {
namespace {

struct Interval {
    int64_t start = 0;
    int64_t end = 0; // exclusive
};

// The filter's time range cut to [0, end of the run). The run ends at RunInfo::wall_ns, or at
// the last sample when a descendant outlived the program (or the wall time is unknown).
Interval window(const Profile& profile, const SampleFilter& filter) {
    int64_t run_end = std::max<int64_t>(profile.run.wall_ns, 0);
    if (!profile.samples.empty()) // sorted by time
        run_end = std::max(run_end, profile.samples.back().time_ns);
    Interval range{std::clamp<int64_t>(filter.from_ns.value_or(0), 0, run_end),
                   std::clamp<int64_t>(filter.to_ns.value_or(run_end), 0, run_end)};
    range.end = std::max(range.end, range.start);
    return range;
}

// Each accepted thread's on-CPU intervals cut to the window, in sample order, and their CPU.
struct ThreadIntervals {
    std::vector<Interval> intervals;
    int64_t cpu_ns = 0;
};

// A sample before the selector's time range ends before the window starts; one after it may still
// have started inside the window, so the scan runs to the last sample.
std::vector<ThreadIntervals> onCpuIntervals(const SampleSelector& selector, Interval range) {
    const Profile& profile = selector.profile();
    std::vector<ThreadIntervals> threads(profile.threads.size());
    for (size_t i = selector.begin(); i < profile.samples.size(); ++i) {
        const Sample& sample = profile.samples[i];
        if (sample.off_cpu || sample.run_queue || sample.weight_ns <= 0 ||
            !selector.accepts(sample))
            continue;
        Interval cut{std::max(subtractSaturating(sample.time_ns, sample.weight_ns), range.start),
                     std::min(sample.time_ns, range.end)};
        if (cut.start >= cut.end)
            continue;
        ThreadIntervals& thread = threads[sample.thread.value];
        thread.intervals.push_back(cut);
        addSaturating(thread.cpu_ns, cut.end - cut.start);
    }
    return threads;
}

// Sorted, with overlapping and touching intervals joined: when the thread was on a CPU.
std::vector<Interval> merged(std::vector<Interval> intervals) {
    std::sort(intervals.begin(), intervals.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    std::vector<Interval> result;
    for (const Interval& interval : intervals) {
        if (!result.empty() && interval.start <= result.back().end)
            result.back().end = std::max(result.back().end, interval.end);
        else
            result.push_back(interval);
    }
    return result;
}

// The share of each of kTimelineBins equal parts of the window (part i covers
// [start + wall * i / bins, start + wall * (i + 1) / bins)) that the thread was busy.
std::vector<double> timeline(const std::vector<Interval>& busy, Interval range) {
    std::vector<int64_t> busy_ns(kTimelineBins, 0);
    const __int128 wall = range.end - range.start;
    auto bound = [&](size_t i) { return range.start + int64_t(wall * i / kTimelineBins); };
    for (const Interval& interval : busy) {
        size_t i = size_t(__int128(interval.start - range.start) * kTimelineBins / wall);
        for (; i < kTimelineBins && bound(i) < interval.end; ++i)
            busy_ns[i] += std::min(interval.end, bound(i + 1)) - std::max(interval.start, bound(i));
    }
    std::vector<double> shares(kTimelineBins, 0.0);
    for (size_t i = 0; i < kTimelineBins; ++i)
        shares[i] = share(busy_ns[i], bound(i + 1) - bound(i));
    return shares;
}

// Sweeps the threads' busy intervals: wall time with exactly k threads on a CPU.
std::vector<int64_t> concurrency(const std::vector<std::vector<Interval>>& busy, Interval range) {
    std::vector<std::pair<int64_t, int>> changes;
    for (const std::vector<Interval>& thread : busy) {
        for (const Interval& interval : thread) {
            changes.emplace_back(interval.start, +1);
            changes.emplace_back(interval.end, -1);
        }
    }
    std::sort(changes.begin(), changes.end());
    std::vector<int64_t> time_with(1, 0);
    int64_t now = range.start;
    size_t running = 0;
    for (const auto& [time, change] : changes) {
        time_with[running] += time - now;
        now = time;
        running += change;
        if (running >= time_with.size())
            time_with.resize(running + 1, 0);
    }
    time_with[0] += range.end - now;
    return time_with;
}

void addBusy(BusyStats& total, const BusyStats& part) {
    if (total.cpu_ns == 0 || part.busy_from_ns < total.busy_from_ns)
        total.busy_from_ns = part.busy_from_ns;
    total.busy_to_ns = std::max(total.busy_to_ns, part.busy_to_ns);
    addSaturating(total.cpu_ns, part.cpu_ns);
}

std::vector<ProcessParallelism> processRows(const Profile& profile,
                                            const std::vector<ThreadParallelism>& threads) {
    std::vector<ProcessParallelism> byId(profile.processes.size());
    for (const ThreadParallelism& thread : threads) {
        ProcessId process = profile.thread(thread.thread).process;
        byId[process.value].process = process;
        addBusy(byId[process.value].busy, thread.busy);
    }
    std::erase_if(byId, [](const ProcessParallelism& row) { return row.busy.cpu_ns == 0; });
    return byId;
}

} // namespace

double Parallelism::averageParallelism() const {
    return share(cpu_ns, wallNs());
}

double Parallelism::serialFraction() const {
    return share(serial_ns, busy_ns);
}

double Parallelism::serialWorkFraction() const {
    return share(serial_ns, cpu_ns);
}

std::optional<double> Parallelism::speedupBoundOverOneCore() const {
    if (serial_ns == 0)
        return std::nullopt;
    return share(cpu_ns, serial_ns);
}

std::optional<double> Parallelism::speedupBoundOverThisRun() const {
    const int64_t remaining = idleNs() + serial_ns;
    if (remaining == 0)
        return std::nullopt;
    return share(wallNs(), remaining);
}

Parallelism computeParallelism(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    Parallelism result;
    const Interval range = window(profile, selector.filter());
    result.from_ns = range.start;
    result.to_ns = range.end;
    std::vector<ThreadIntervals> threads = onCpuIntervals(selector, range);
    std::vector<std::vector<Interval>> busy(threads.size());
    for (uint32_t i = 0; i < threads.size(); ++i) {
        if (threads[i].intervals.empty())
            continue;
        busy[i] = merged(std::move(threads[i].intervals));
        const BusyStats stats{threads[i].cpu_ns, busy[i].front().start, busy[i].back().end};
        result.threads.push_back({ThreadId(i), stats, timeline(busy[i], range)});
        addSaturating(result.cpu_ns, stats.cpu_ns);
    }
    result.processes = processRows(profile, result.threads);
    result.concurrency_ns = concurrency(busy, range);
    for (size_t k = 1; k < result.concurrency_ns.size(); ++k)
        addSaturating(result.busy_ns, result.concurrency_ns[k]);
    if (result.concurrency_ns.size() > 1)
        result.serial_ns = result.concurrency_ns[1];
    return result;
}

Parallelism computeParallelism(const Profile& profile, const SampleFilter& filter) {
    return computeParallelism(SampleSelector(profile, filter));
}

} // namespace hprof
