#include "profile_counts.h"

namespace {

bool inProcess(const hprof::Profile& profile, hprof::ThreadId thread, std::optional<int> pid) {
    return !pid || profile.process(profile.thread(thread).process).pid == *pid;
}

std::string nameOf(const hprof::Profile& profile, hprof::FunctionId function) {
    return function.valid() ? profile.function(function).name : std::string();
}

} // namespace

std::map<std::string, CallTotals> callTotalsByName(const hprof::Profile& profile,
                                                   std::optional<int> pid) {
    std::map<std::string, CallTotals> totals;
    for (const hprof::CallCount& count : profile.call_counts) {
        if (!inProcess(profile, count.thread, pid))
            continue;
        CallTotals& total = totals[nameOf(profile, count.function)];
        total.calls += count.calls;
        total.primitive_calls += count.primitive_calls;
    }
    return totals;
}

CallTotals edgeTotals(const hprof::Profile& profile, const std::string& caller,
                      const std::string& callee) {
    CallTotals total;
    for (const hprof::CallEdge& edge : profile.call_edges) {
        if (nameOf(profile, edge.caller) != caller || nameOf(profile, edge.callee) != callee)
            continue;
        total.calls += edge.calls;
        total.primitive_calls += edge.primitive_calls;
    }
    return total;
}
