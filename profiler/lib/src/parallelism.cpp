#include "hprof/parallelism.h"

#include "activity.h"
#include "saturating.h"

#include <algorithm>
#include <utility>

namespace hprof {
namespace {

// Each accepted thread's on-CPU intervals cut to the window, in sample order, and their CPU.
struct ThreadIntervals {
    std::vector<Interval> intervals;
    int64_t cpu_ns = 0;
};

std::vector<ThreadIntervals> onCpuIntervals(const SampleSelector& selector, Interval range) {
    std::vector<ThreadIntervals> threads(selector.profile().threads.size());
    forEachInterval(selector, range, [&](const Sample& sample, Interval cut) {
        if (sample.off_cpu || sample.run_queue)
            return;
        ThreadIntervals& thread = threads[sample.thread.value];
        thread.intervals.push_back(cut);
        addSaturating(thread.cpu_ns, cut.end - cut.start);
    });
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

// The share of each of the bins of the window that the thread was busy.
std::vector<double> timeline(const std::vector<Interval>& busy, const Bins& bins, size_t count) {
    std::vector<int64_t> busy_ns(count, 0);
    for (const Interval& interval : busy)
        bins.spread(interval, busy_ns);
    std::vector<double> shares(count, 0.0);
    for (size_t i = 0; i < count; ++i)
        shares[i] = share(busy_ns[i], bins.width(i));
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

Parallelism computeParallelism(const SampleSelector& selector, size_t bins) {
    bins = std::max<size_t>(bins, 1); // as computeTimeline: no bins would divide by zero
    const Profile& profile = selector.profile();
    Parallelism result;
    const Interval range = runWindow(profile, selector.filter());
    const Bins timeline_bins(range, bins);
    result.from_ns = range.start;
    result.to_ns = range.end;
    result.bins = bins;
    std::vector<ThreadIntervals> threads = onCpuIntervals(selector, range);
    std::vector<std::vector<Interval>> busy(threads.size());
    for (uint32_t i = 0; i < threads.size(); ++i) {
        if (threads[i].intervals.empty())
            continue;
        busy[i] = merged(std::move(threads[i].intervals));
        const BusyStats stats{threads[i].cpu_ns, busy[i].front().start, busy[i].back().end};
        result.threads.push_back({ThreadId(i), stats, timeline(busy[i], timeline_bins, bins)});
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

Parallelism computeParallelism(const Profile& profile, const SampleFilter& filter, size_t bins) {
    return computeParallelism(SampleSelector(profile, filter), bins);
}

} // namespace hprof
