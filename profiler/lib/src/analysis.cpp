#include "hprof/analysis.h"

#include <algorithm>

namespace hprof {
namespace {

// The distinct functions on each stack, computed once per leaf node that samples point at:
// a million samples typically share a few thousand stacks.
class DistinctFunctionCache {
  public:
    explicit DistinctFunctionCache(const Profile& profile)
        : profile_(profile), entries_(profile.stacks.size()) {}

    const std::vector<FunctionId>& functions(StackId leaf) {
        Entry& entry = entries_[leaf.value];
        if (!entry.computed) {
            entry.functions = collect(leaf);
            entry.computed = true;
        }
        return entry.functions;
    }

  private:
    struct Entry {
        bool computed = false;
        std::vector<FunctionId> functions;
    };

    std::vector<FunctionId> collect(StackId leaf) const {
        std::vector<FunctionId> functions;
        for (StackId node = leaf; node.valid(); node = profile_.stack(node).parent)
            functions.push_back(profile_.frame(profile_.stack(node).frame).function);
        std::sort(functions.begin(), functions.end());
        functions.erase(std::unique(functions.begin(), functions.end()), functions.end());
        return functions;
    }

    const Profile& profile_;
    std::vector<Entry> entries_;
};

// Weights come from files; a forged one near INT64_MAX must not overflow a sum.
void addWeight(int64_t& sum, int64_t weight) {
    if (__builtin_add_overflow(sum, weight, &sum))
        sum = weight > 0 ? INT64_MAX : INT64_MIN;
}

FunctionId leafFunction(const Profile& profile, StackId leaf) {
    return profile.frame(profile.stack(leaf).frame).function;
}

// Keeps the entries of a table indexed by id that at least one accepted sample touched.
template <class Stats> std::vector<Stats> touched(std::vector<Stats> all) {
    std::erase_if(all, [](const Stats& stats) { return stats.samples == 0; });
    return all;
}

} // namespace

bool SampleFilter::accepts(const Profile& profile, const Sample& sample) const {
    if (from_ns && sample.time_ns < *from_ns)
        return false;
    if (to_ns && sample.time_ns >= *to_ns)
        return false;
    if (!tid && !pid)
        return true;
    const Thread& thread = profile.thread(sample.thread);
    if (tid && thread.tid != *tid)
        return false;
    return !pid || profile.process(thread.process).pid == *pid;
}

Totals computeTotals(const Profile& profile, const SampleFilter& filter) {
    Totals totals;
    for (const Sample& sample : profile.samples) {
        if (!filter.accepts(profile, sample))
            continue;
        ++totals.samples;
        addWeight(totals.weight_ns, sample.weight_ns);
    }
    return totals;
}

std::vector<FunctionStats> computeFunctionStats(const Profile& profile,
                                                const SampleFilter& filter) {
    std::vector<FunctionStats> byId(profile.functions.size());
    DistinctFunctionCache cache(profile);
    for (const Sample& sample : profile.samples) {
        if (!filter.accepts(profile, sample))
            continue;
        FunctionStats& leaf = byId[leafFunction(profile, sample.stack).value];
        ++leaf.self_samples;
        addWeight(leaf.self_ns, sample.weight_ns);
        for (FunctionId function : cache.functions(sample.stack)) {
            ++byId[function.value].total_samples;
            addWeight(byId[function.value].total_ns, sample.weight_ns);
        }
    }
    std::vector<FunctionStats> result;
    for (size_t i = 0; i < byId.size(); ++i) {
        if (byId[i].total_samples == 0)
            continue;
        byId[i].function = FunctionId(uint32_t(i));
        result.push_back(byId[i]);
    }
    return result;
}

std::vector<ThreadStats> computeThreadStats(const Profile& profile, const SampleFilter& filter) {
    std::vector<ThreadStats> byId(profile.threads.size());
    for (size_t i = 0; i < byId.size(); ++i)
        byId[i].thread = ThreadId(uint32_t(i));
    for (const Sample& sample : profile.samples) {
        if (!filter.accepts(profile, sample))
            continue;
        ++byId[sample.thread.value].samples;
        addWeight(byId[sample.thread.value].cpu_ns, sample.weight_ns);
    }
    return touched(std::move(byId));
}

std::vector<ProcessStats> computeProcessStats(const Profile& profile, const SampleFilter& filter) {
    std::vector<ProcessStats> byId(profile.processes.size());
    for (size_t i = 0; i < byId.size(); ++i)
        byId[i].process = ProcessId(uint32_t(i));
    for (const ThreadStats& thread : computeThreadStats(profile, filter)) {
        ProcessStats& process = byId[profile.thread(thread.thread).process.value];
        process.samples += thread.samples;
        addWeight(process.cpu_ns, thread.cpu_ns);
    }
    return touched(std::move(byId));
}

} // namespace hprof
