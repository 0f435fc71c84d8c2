#include "aggregation.h"

#include "hprof/queries.h"

#include <algorithm>
#include <map>

namespace hprof::viewer {

namespace {

bool cancelled(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace

FunctionId hottestFunction(const Profile& profile, std::vector<FunctionStats> functions) {
    sortFunctionStats(profile, functions, SortKey::TotTime);
    return functions.empty() ? FunctionId() : functions.front().function;
}

std::vector<HotLine> hottestLines(const Profile& profile, const StackCosts& costs, size_t limit) {
    std::map<std::pair<uint32_t, uint32_t>, int64_t> weights; // (function, line) -> ns
    for (StackId leaf : costs.leaves) {
        const Frame& frame = profile.frame(profile.stack(leaf).frame);
        if (frame.line != 0)
            weights[{frame.function.value, frame.line}] += costs.by_leaf[leaf.value].weight_ns;
    }
    std::vector<HotLine> lines;
    for (const auto& [key, weight] : weights)
        lines.push_back({FunctionId(key.first), key.second, weight});
    // Heaviest first; ties by function and line, so the order never depends on the map.
    std::stable_sort(lines.begin(), lines.end(),
                     [](const HotLine& a, const HotLine& b) { return a.weight_ns > b.weight_ns; });
    if (lines.size() > limit)
        lines.resize(limit);
    return lines;
}

std::optional<Aggregation> aggregate(std::shared_ptr<const Profile> profile,
                                     std::shared_ptr<const FunctionLabels> labels,
                                     const SampleFilter& filter, const std::atomic<bool>* cancel) {
    Aggregation result;
    result.profile = profile;
    result.labels = std::move(labels);
    result.filter = filter;
    const SampleSelector selector(*profile, filter);
    const StackCosts costs = computeStackCosts(selector);
    if (cancelled(cancel))
        return std::nullopt;
    result.top_down = std::make_shared<const CallTree>(buildTopDownTree(*profile, costs));
    result.bottom_up = std::make_shared<const CallTree>(buildBottomUpTree(*profile, costs));
    result.hot_lines = hottestLines(*profile, costs, 20);
    if (cancelled(cancel))
        return std::nullopt;
    result.totals = computeTotals(selector);
    result.calls = computeCallTotals(selector);
    result.functions = computeFunctionStats(selector);
    result.hottest = hottestFunction(*profile, result.functions);
    if (result.hottest.valid()) {
        result.hottest_callers = computeCallers(selector, result.hottest);
        result.hottest_callees = computeCallees(selector, result.hottest);
    }
    if (cancelled(cancel))
        return std::nullopt;
    result.threads = computeThreadStats(selector);
    result.processes = computeProcessStats(selector);
    result.parallelism = computeParallelism(selector);
    // The timeline spans the whole run: a time range is what it selects, not where it looks.
    SampleFilter wholeRun = filter;
    wholeRun.from_ns.reset();
    wholeRun.to_ns.reset();
    result.timeline = computeTimeline(SampleSelector(*profile, wholeRun), kViewerTimelineBins);
    return result;
}

} // namespace hprof::viewer
