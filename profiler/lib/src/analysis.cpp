#include "hprof/analysis.h"

#include "saturating.h"

#include <algorithm>
#include <map>

namespace hprof {
namespace {

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

// The sum a sample's weight goes to: on-CPU, off-CPU (blocked) or run queue.
template <class Stats> int64_t& sumFor(Stats& stats, const Sample& sample) {
    if (sample.off_cpu)
        return stats.off_cpu_ns;
    return sample.run_queue ? stats.run_queue_ns : stats.cpu_ns;
}

// Adds a sample's weight to the on- or off-CPU sum of a thread or process.
template <class Stats> void addSample(Stats& stats, const Sample& sample) {
    ++stats.samples;
    addSaturating(sumFor(stats, sample), sample.weight_ns);
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
void addCallCounts(const SampleSelector& selector, std::vector<FunctionStats>& byId) {
    for (const CallCount& count : selector.profile().call_counts)
        addCounts(byId[count.function.value], count, selector.acceptsThread(count.thread));
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
std::map<CallPair, EdgeStats> collectEdges(const SampleSelector& selector, const StackCosts& costs,
                                           const Wanted& wanted, FunctionId CallPair::*side) {
    const Profile& profile = selector.profile();
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
        addCounts(entry(pair), edge, selector.acceptsThread(edge.thread));
    }
    for (StackId leaf : costs.leaves) {
        const int64_t weight = costs.by_leaf[leaf.value].weight_ns;
        const StackNode& node = profile.stack(leaf);
        for (const CallPair& pair : adjacentPairs(profile, leaf, wanted)) {
            EdgeStats& stats = entry(pair);
            addSaturating(stats.total_ns, weight);
            if (node.parent.valid() && pair.callee == nodeFunction(profile, leaf) &&
                pair.caller == nodeFunction(profile, node.parent))
                addSaturating(stats.self_ns, weight);
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

// Parent links from `process` up to the run's first process (bounded: ids come from a file).
size_t depthOf(const Profile& profile, ProcessId process) {
    size_t depth = 0;
    for (ProcessId up = profile.process(process).parent;
         up.valid() && up.value < profile.processes.size() && depth < profile.processes.size();
         up = profile.process(up).parent)
        ++depth;
    return depth;
}

// In the order the processes started, a parent before the children that started with it: the
// run's first process leads, and an exec'd image follows the image it replaced.
void sortByStart(const Profile& profile, std::vector<ProcessStats>& rows) {
    std::vector<size_t> depth(profile.processes.size());
    for (const ProcessStats& row : rows)
        depth[row.process.value] = depthOf(profile, row.process);
    std::stable_sort(rows.begin(), rows.end(), [&](const ProcessStats& a, const ProcessStats& b) {
        const Process& first = profile.process(a.process);
        const Process& second = profile.process(b.process);
        if (first.start_ns != second.start_ns)
            return first.start_ns < second.start_ns;
        return depth[a.process.value] < depth[b.process.value];
    });
}

// An imported profile without samples (pstats) has the source's exact times per function: they
// take the place of the sampled times, so that sorting, shares, reports and the viewer use them.
void useExactTimes(std::vector<FunctionStats>& stats) {
    for (FunctionStats& function : stats) {
        function.self_ns = function.instrumented_tottime_ns.value_or(0);
        function.total_ns = function.instrumented_cumtime_ns.value_or(0);
    }
}

// Without samples, the total is what the functions' exact self times add up to (pstats' "in T
// seconds").
Totals exactTotals(const SampleSelector& selector) {
    Totals totals;
    for (const CallCount& count : selector.profile().call_counts) {
        if (selector.acceptsThread(count.thread))
            addSaturating(totals.weight_ns, count.tottime_ns.value_or(0));
    }
    totals.cpu_ns = totals.weight_ns;
    return totals;
}

} // namespace

Totals computeTotals(const SampleSelector& selector) {
    Totals totals;
    if (selector.profile().run.missing.samples)
        return exactTotals(selector);
    selector.forEach([&](const Sample& sample) {
        ++totals.samples;
        addSaturating(totals.weight_ns, sample.weight_ns);
        addSaturating(sumFor(totals, sample), sample.weight_ns);
    });
    return totals;
}

std::vector<FunctionStats> computeFunctionStats(const SampleSelector& selector,
                                                const StackCosts& costs) {
    const Profile& profile = selector.profile();
    std::vector<FunctionStats> byId(profile.functions.size());
    for (StackId stack : costs.leaves) {
        const Cost& cost = costs.by_leaf[stack.value];
        FunctionStats& leaf = byId[nodeFunction(profile, stack).value];
        leaf.self_samples += cost.samples;
        addSaturating(leaf.self_ns, cost.weight_ns);
        addSaturating(leaf.off_cpu_self_ns, cost.off_cpu_ns);
        for (FunctionId function : distinctFunctions(profile, stack)) {
            FunctionStats& stats = byId[function.value];
            stats.total_samples += cost.samples;
            addSaturating(stats.total_ns, cost.weight_ns);
            addSaturating(stats.off_cpu_total_ns, cost.off_cpu_ns);
        }
    }
    addCallCounts(selector, byId);
    if (profile.run.missing.samples)
        useExactTimes(byId);
    std::vector<FunctionStats> result;
    for (size_t i = 0; i < byId.size(); ++i) {
        if (byId[i].total_samples == 0 && byId[i].ncalls.value_or(0) == 0)
            continue;
        byId[i].function = FunctionId(uint32_t(i));
        result.push_back(byId[i]);
    }
    return result;
}

std::vector<FunctionStats> computeFunctionStats(const SampleSelector& selector) {
    return computeFunctionStats(selector, computeStackCosts(selector));
}

std::optional<CallTotals> computeCallTotals(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    if (profile.run.instrumentation.empty() && profile.call_counts.empty())
        return std::nullopt;
    CallTotals totals;
    for (const CallCount& count : profile.call_counts) {
        if (!selector.acceptsThread(count.thread))
            continue;
        totals.calls += count.calls;
        totals.primitive_calls += count.primitive_calls;
    }
    return totals;
}

std::vector<EdgeStats> computeCallers(const SampleSelector& selector, const StackCosts& costs,
                                      FunctionId callee) {
    auto wanted = [callee](const CallPair& pair) { return pair.callee == callee; };
    return sortedByName(selector.profile(),
                        collectEdges(selector, costs, wanted, &CallPair::caller));
}

std::vector<EdgeStats> computeCallees(const SampleSelector& selector, const StackCosts& costs,
                                      FunctionId caller) {
    auto wanted = [caller](const CallPair& pair) { return pair.caller == caller; };
    return sortedByName(selector.profile(),
                        collectEdges(selector, costs, wanted, &CallPair::callee));
}

std::vector<CallPairStats> computeCallPairs(const SampleSelector& selector,
                                            const StackCosts& costs) {
    auto every = [](const CallPair&) { return true; };
    std::vector<CallPairStats> pairs;
    for (const auto& [pair, stats] : collectEdges(selector, costs, every, &CallPair::caller))
        pairs.push_back({pair.caller, pair.callee, stats});
    return pairs;
}

std::vector<EdgeStats> computeCallers(const SampleSelector& selector, FunctionId callee) {
    return computeCallers(selector, computeStackCosts(selector), callee);
}

std::vector<EdgeStats> computeCallees(const SampleSelector& selector, FunctionId caller) {
    return computeCallees(selector, computeStackCosts(selector), caller);
}

std::vector<ThreadStats> computeThreadStats(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    std::vector<ThreadStats> byId(profile.threads.size());
    selector.forEach([&](const Sample& sample) { addSample(byId[sample.thread.value], sample); });
    std::vector<ThreadStats> listed;
    for (uint32_t i = 0; i < byId.size(); ++i) {
        const ThreadId id(i);
        const Thread& thread = profile.thread(id);
        if (!selector.acceptsThread(id) ||
            (byId[i].samples == 0 &&
             !selector.filter().overlapsTimeRange(thread.start_ns, thread.end_ns)))
            continue;
        byId[i].thread = id;
        listed.push_back(byId[i]);
    }
    return listed;
}

std::vector<ProcessStats> computeProcessStats(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    const SampleFilter& filter = selector.filter();
    std::vector<ProcessStats> byId(profile.processes.size());
    for (const ThreadStats& thread : computeThreadStats(selector)) {
        ProcessStats& process = byId[profile.thread(thread.thread).process.value];
        process.samples += thread.samples;
        addSaturating(process.cpu_ns, thread.cpu_ns);
        addSaturating(process.off_cpu_ns, thread.off_cpu_ns);
        addSaturating(process.run_queue_ns, thread.run_queue_ns);
        ++process.threads;
    }
    std::vector<bool> has_threads(profile.processes.size(), false);
    for (const Thread& thread : profile.threads)
        has_threads[thread.process.value] = true;
    std::vector<ProcessStats> listed;
    for (uint32_t i = 0; i < byId.size(); ++i) {
        const ProcessId id(i);
        const Process& process = profile.process(id);
        const bool lived_without_threads =
            !has_threads[i] && filter.overlapsTimeRange(process.start_ns, process.end_ns);
        if (!filter.acceptsProcess(profile, id) || (byId[i].threads == 0 && !lived_without_threads))
            continue;
        byId[i].process = id;
        listed.push_back(byId[i]);
    }
    sortByStart(profile, listed);
    return listed;
}

Totals computeTotals(const Profile& profile, const SampleFilter& filter) {
    return computeTotals(SampleSelector(profile, filter));
}

std::vector<FunctionStats> computeFunctionStats(const Profile& profile,
                                                const SampleFilter& filter) {
    return computeFunctionStats(SampleSelector(profile, filter));
}

std::optional<CallTotals> computeCallTotals(const Profile& profile, const SampleFilter& filter) {
    return computeCallTotals(SampleSelector(profile, filter));
}

std::vector<EdgeStats> computeCallers(const Profile& profile, FunctionId callee,
                                      const SampleFilter& filter) {
    return computeCallers(SampleSelector(profile, filter), callee);
}

std::vector<EdgeStats> computeCallees(const Profile& profile, FunctionId caller,
                                      const SampleFilter& filter) {
    return computeCallees(SampleSelector(profile, filter), caller);
}

std::vector<ThreadStats> computeThreadStats(const Profile& profile, const SampleFilter& filter) {
    return computeThreadStats(SampleSelector(profile, filter));
}

std::vector<ProcessStats> computeProcessStats(const Profile& profile, const SampleFilter& filter) {
    return computeProcessStats(SampleSelector(profile, filter));
}

} // namespace hprof
