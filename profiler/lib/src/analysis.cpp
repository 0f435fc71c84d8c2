#include "hprof/analysis.h"

#include <algorithm>
#include <functional>
#include <map>

namespace hprof {
namespace {

// A value derived from the stack below each leaf node that samples point at, computed once per
// node: a million samples typically share a few thousand stacks.
template <class Value> class PerStackCache {
  public:
    template <class Compute>
    PerStackCache(const Profile& profile, Compute compute)
        : compute_(std::move(compute)), entries_(profile.stacks.size()) {}

    const Value& get(StackId leaf) {
        std::optional<Value>& entry = entries_[leaf.value];
        if (!entry)
            entry = compute_(leaf);
        return *entry;
    }

  private:
    std::function<Value(StackId)> compute_;
    std::vector<std::optional<Value>> entries_;
};

template <class T> void sortUnique(std::vector<T>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

FunctionId nodeFunction(const Profile& profile, StackId node) {
    return profile.frame(profile.stack(node).frame).function;
}

std::vector<FunctionId> distinctFunctions(const Profile& profile, StackId leaf) {
    std::vector<FunctionId> functions;
    for (StackId node = leaf; node.valid(); node = profile.stack(node).parent)
        functions.push_back(nodeFunction(profile, node));
    sortUnique(functions);
    return functions;
}

// Weights come from files; a forged one near INT64_MAX must not overflow a sum.
void addWeight(int64_t& sum, int64_t weight) {
    if (__builtin_add_overflow(sum, weight, &sum))
        sum = weight > 0 ? INT64_MAX : INT64_MIN;
}

// Keeps the entries of a table indexed by id that at least one accepted sample touched.
template <class Stats> std::vector<Stats> touched(std::vector<Stats> all) {
    std::erase_if(all, [](const Stats& stats) { return stats.samples == 0; });
    return all;
}

void addTime(std::optional<int64_t>& sum, std::optional<int64_t> ns) {
    if (ns)
        sum = sum.value_or(0) + *ns;
}

// Adds one thread's counts (a CallCount or a CallEdge) to function or edge statistics. The
// counts become known (0) even when the thread is filtered out: the function was instrumented.
template <class Stats, class Counts>
void addCounts(Stats& stats, const Counts& counts, bool thread_accepted) {
    stats.ncalls = stats.ncalls.value_or(0);
    stats.primitive_calls = stats.primitive_calls.value_or(0);
    if (!thread_accepted)
        return;
    *stats.ncalls += counts.calls;
    *stats.primitive_calls += counts.primitive_calls;
    addTime(stats.instrumented_tottime_ns, counts.tottime_ns);
    addTime(stats.instrumented_cumtime_ns, counts.cumtime_ns);
}

// Every function with counts gets ncalls, 0 if none of its calls were on an accepted thread.
void addCallCounts(const Profile& profile, const SampleFilter& filter,
                   std::vector<FunctionStats>& byId) {
    for (const CallCount& count : profile.call_counts)
        addCounts(byId[count.function.value], count, filter.acceptsThread(profile, count.thread));
}

struct CallPair {
    FunctionId caller;
    FunctionId callee;
    auto operator<=>(const CallPair&) const = default;
};

// The distinct adjacent (outer, inner) function pairs of the stack below `leaf` that `wanted`
// keeps; each pair once, however often it repeats (recursion).
template <class Wanted>
std::vector<CallPair> adjacentPairs(const Profile& profile, StackId leaf, const Wanted& wanted) {
    std::vector<CallPair> pairs;
    for (StackId node = leaf; profile.stack(node).parent.valid();
         node = profile.stack(node).parent) {
        CallPair pair{nodeFunction(profile, profile.stack(node).parent),
                      nodeFunction(profile, node)};
        if (wanted(pair))
            pairs.push_back(pair);
    }
    sortUnique(pairs);
    return pairs;
}

// The edge statistics of every pair that `wanted` keeps, keyed by pair; `side` picks the
// function an EdgeStats names (the caller for callers(), the callee for callees()).
template <class Wanted>
std::map<CallPair, EdgeStats> collectEdges(const Profile& profile, const SampleFilter& filter,
                                           const Wanted& wanted, FunctionId CallPair::*side) {
    std::map<CallPair, EdgeStats> edges;
    auto entry = [&](const CallPair& pair) -> EdgeStats& {
        EdgeStats& stats = edges[pair];
        stats.function = pair.*side;
        return stats;
    };
    for (const CallEdge& edge : profile.call_edges) {
        CallPair pair{edge.caller, edge.callee};
        if (!wanted(pair))
            continue;
        addCounts(entry(pair), edge, filter.acceptsThread(profile, edge.thread));
    }
    PerStackCache<std::vector<CallPair>> cache(
        profile, [&](StackId leaf) { return adjacentPairs(profile, leaf, wanted); });
    for (const Sample& sample : profile.samples) {
        if (!filter.accepts(profile, sample))
            continue;
        const StackNode& leaf = profile.stack(sample.stack);
        for (const CallPair& pair : cache.get(sample.stack)) {
            EdgeStats& stats = entry(pair);
            addWeight(stats.total_ns, sample.weight_ns);
            if (leaf.parent.valid() && pair.callee == nodeFunction(profile, sample.stack) &&
                pair.caller == nodeFunction(profile, leaf.parent))
                addWeight(stats.self_ns, sample.weight_ns);
        }
    }
    return edges;
}

// By name, then id; the "none" caller last.
std::vector<EdgeStats> sortedByName(const Profile& profile,
                                    const std::map<CallPair, EdgeStats>& edges) {
    std::vector<EdgeStats> sorted;
    for (const auto& [pair, stats] : edges)
        sorted.push_back(stats);
    std::sort(sorted.begin(), sorted.end(), [&](const EdgeStats& a, const EdgeStats& b) {
        if (a.function.valid() != b.function.valid())
            return a.function.valid();
        if (!a.function.valid())
            return false;
        const std::string& nameA = profile.function(a.function).name;
        const std::string& nameB = profile.function(b.function).name;
        return nameA != nameB ? nameA < nameB : a.function < b.function;
    });
    return sorted;
}

} // namespace

bool SampleFilter::accepts(const Profile& profile, const Sample& sample) const {
    if (from_ns && sample.time_ns < *from_ns)
        return false;
    if (to_ns && sample.time_ns >= *to_ns)
        return false;
    return acceptsThread(profile, sample.thread);
}

bool SampleFilter::acceptsThread(const Profile& profile, ThreadId id) const {
    if (!tid && !pid)
        return true;
    const Thread& thread = profile.thread(id);
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
    PerStackCache<std::vector<FunctionId>> cache(
        profile, [&](StackId leaf) { return distinctFunctions(profile, leaf); });
    for (const Sample& sample : profile.samples) {
        if (!filter.accepts(profile, sample))
            continue;
        FunctionStats& leaf = byId[nodeFunction(profile, sample.stack).value];
        ++leaf.self_samples;
        addWeight(leaf.self_ns, sample.weight_ns);
        for (FunctionId function : cache.get(sample.stack)) {
            ++byId[function.value].total_samples;
            addWeight(byId[function.value].total_ns, sample.weight_ns);
        }
    }
    addCallCounts(profile, filter, byId);
    std::vector<FunctionStats> result;
    for (size_t i = 0; i < byId.size(); ++i) {
        if (byId[i].total_samples == 0 && byId[i].ncalls.value_or(0) == 0)
            continue;
        byId[i].function = FunctionId(uint32_t(i));
        result.push_back(byId[i]);
    }
    return result;
}

std::optional<CallTotals> computeCallTotals(const Profile& profile, const SampleFilter& filter) {
    if (profile.run.instrumentation.empty() && profile.call_counts.empty())
        return std::nullopt;
    CallTotals totals;
    for (const CallCount& count : profile.call_counts) {
        if (!filter.acceptsThread(profile, count.thread))
            continue;
        totals.calls += count.calls;
        totals.primitive_calls += count.primitive_calls;
    }
    return totals;
}

std::vector<EdgeStats> computeCallers(const Profile& profile, FunctionId callee,
                                      const SampleFilter& filter) {
    auto wanted = [callee](const CallPair& pair) { return pair.callee == callee; };
    return sortedByName(profile, collectEdges(profile, filter, wanted, &CallPair::caller));
}

std::vector<EdgeStats> computeCallees(const Profile& profile, FunctionId caller,
                                      const SampleFilter& filter) {
    auto wanted = [caller](const CallPair& pair) { return pair.caller == caller; };
    return sortedByName(profile, collectEdges(profile, filter, wanted, &CallPair::callee));
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
