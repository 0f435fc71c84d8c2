// Everything the views show for one filter, computed by the profile library off the GUI thread
// in one job (ProfileDocument). Plain data: the views and models only read it.
#pragma once

#include "hprof/analysis.h"
#include "hprof/call_tree.h"
#include "hprof/filter.h"
#include "hprof/function_labels.h"
#include "hprof/parallelism.h"
#include "hprof/profile.h"
#include "hprof/timeline.h"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace hprof::viewer {

// A source line by the CPU time whose leaf frame was on it (Frame::line of the samples' leaves).
struct HotLine {
    FunctionId function;
    uint32_t line = 0;
    int64_t weight_ns = 0;
};

struct Aggregation {
    std::shared_ptr<const Profile> profile;
    std::shared_ptr<const FunctionLabels> labels;
    SampleFilter filter;
    Totals totals;
    std::optional<CallTotals> calls;
    std::vector<FunctionStats> functions; // unsorted: the table model orders them
    // The first row of the call table (most self time) with its callers and callees: the table
    // opens on it with its panes filled.
    FunctionId hottest;
    std::vector<EdgeStats> hottest_callers;
    std::vector<EdgeStats> hottest_callees;
    std::shared_ptr<const CallTree> top_down;
    std::shared_ptr<const CallTree> bottom_up;
    std::vector<HotLine> hot_lines; // heaviest first
    std::vector<ThreadStats> threads;
    std::vector<ProcessStats> processes;
    Parallelism parallelism;
    Timeline timeline; // of the whole run (the filter without its time range)
};

// The bins of the timeline the document computes for the Timeline tab.
inline constexpr size_t kViewerTimelineBins = 1000;

// Aggregates `profile` under `filter`. `cancel`, when set, is polled between the steps: an
// outdated job stops early and returns nullopt.
std::optional<Aggregation> aggregate(std::shared_ptr<const Profile> profile,
                                     std::shared_ptr<const FunctionLabels> labels,
                                     const SampleFilter& filter,
                                     const std::atomic<bool>* cancel = nullptr);

// The function with the most self time, in the report's order; invalid when there is none.
FunctionId hottestFunction(const Profile& profile, std::vector<FunctionStats> functions);

// The source lines of the leaf frames, heaviest first, at most `limit`.
std::vector<HotLine> hottestLines(const Profile& profile, const StackCosts& costs, size_t limit);

} // namespace hprof::viewer
