// Call counts and caller/callee edges in the aggregations: counts from Profile::call_counts and
// call_edges, times from the samples (fixture: test::callCountProfile()).
#include "hprof/analysis.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <map>

namespace hprof {
namespace {

using test::kMs;
using test::statsByName;

FunctionId functionNamed(const Profile& profile, const std::string& name) {
    for (size_t i = 0; i < profile.functions.size(); ++i) {
        if (profile.functions[i].name == name)
            return FunctionId(uint32_t(i));
    }
    ADD_FAILURE() << "no function " << name;
    return FunctionId();
}

// An edge as "name calls/primitive tottime_ms cumtime_ms", "-" for unknown counts and
// "<none>" for the caller that is not instrumented.
std::vector<std::string> describe(const Profile& profile, const std::vector<EdgeStats>& edges) {
    std::vector<std::string> lines;
    for (const EdgeStats& edge : edges) {
        std::string name = edge.function.valid() ? profile.function(edge.function).name : "<none>";
        std::string calls = edge.ncalls ? std::to_string(*edge.ncalls) + "/" +
                                              std::to_string(edge.primitive_calls.value())
                                        : "-";
        lines.push_back(name + " " + calls + " " + std::to_string(edge.self_ns / kMs) + " " +
                        std::to_string(edge.total_ns / kMs));
    }
    return lines;
}

TEST(CallAnalysis, CountsSumOverThreads) {
    auto stats = statsByName(test::callCountProfile());
    EXPECT_EQ(stats["main"].ncalls, 1u);
    EXPECT_EQ(stats["A"].ncalls, 3u);
    EXPECT_EQ(stats["A"].primitive_calls, 1u);
    EXPECT_EQ(stats["A"].self_ns, 3 * kMs);
    EXPECT_EQ(stats["B"].ncalls, 3u);
    EXPECT_EQ(stats["B"].primitive_calls, 3u);
    EXPECT_EQ(stats["B"].total_ns, 12 * kMs);
}

TEST(CallAnalysis, CalledButNeverSampledFunctionsAppear) {
    auto stats = statsByName(test::callCountProfile());
    ASSERT_EQ(stats.size(), 4u);
    ASSERT_TRUE(stats.count("D"));
    EXPECT_EQ(stats["D"].ncalls, 7u);
    EXPECT_EQ(stats["D"].primitive_calls, 7u);
    EXPECT_EQ(stats["D"].self_samples, 0u);
    EXPECT_EQ(stats["D"].total_ns, 0);
}

TEST(CallAnalysis, ThreadFiltersSelectCountsButTimeRangesDoNot) {
    Profile profile = test::callCountProfile();
    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    auto stats = statsByName(profile, worker);
    EXPECT_EQ(stats.size(), 2u); // B (sampled and called) and D (called); A and main neither
    EXPECT_EQ(stats["B"].ncalls, 1u);
    EXPECT_EQ(stats["B"].self_ns, 8 * kMs);
    EXPECT_EQ(stats["D"].ncalls, 2u);
    EXPECT_EQ(computeCallTotals(profile, worker)->calls, 3u);

    SampleFilter window;
    window.from_ns = 5 * kMs; // only the main sample
    stats = statsByName(profile, window);
    EXPECT_EQ(stats["A"].ncalls, 3u);
    EXPECT_EQ(stats["A"].total_ns, 0);
    EXPECT_EQ(stats["D"].ncalls, 7u);

    SampleFilter otherProcess; // a process the profile does not have
    otherProcess.processes.include(ProcessId(999));
    EXPECT_TRUE(computeFunctionStats(profile, otherProcess).empty());
    EXPECT_EQ(computeCallTotals(profile, otherProcess)->calls, 0u);
}

TEST(CallAnalysis, SampledFunctionWithoutCountsOnTheThreadHasZeroCalls) {
    Profile profile = test::callCountProfile();
    profile.samples.push_back({6 * kMs, ThreadId(1), profile.samples.back().stack, 1 * kMs});
    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    auto stats = statsByName(profile, worker);
    EXPECT_EQ(stats["main"].ncalls, 0u); // instrumented, sampled, but not called on 101
    EXPECT_EQ(stats["main"].self_ns, 1 * kMs);
}

TEST(CallAnalysis, CallTotalsFollowPstats) {
    std::optional<CallTotals> totals = computeCallTotals(test::callCountProfile());
    ASSERT_TRUE(totals.has_value());
    EXPECT_EQ(totals->calls, 14u);
    EXPECT_EQ(totals->primitive_calls, 12u);
    EXPECT_FALSE(computeCallTotals(test::callTreeProfile()).has_value());
}

TEST(CallAnalysis, Callers) {
    Profile profile = test::callCountProfile();
    // A is called by main (leaf A under main at t=2; main right outside A at t=1 and t=2) and
    // by itself (t=1, counted once although the pair repeats).
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "A"))),
              (std::vector<std::string>{"A 2/1 1 1", "main 1/1 2 3"}));
    // B: main on thread 100; uninstrumented code on thread 101, whose sample has no caller.
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "B"))),
              (std::vector<std::string>{"main 2/2 4 4", "<none> 1/1 0 0"}));
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "D"))),
              (std::vector<std::string>{"B 7/7 0 0"}));
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "main"))),
              (std::vector<std::string>{"<none> 1/1 0 0"}));
}

TEST(CallAnalysis, Callees) {
    Profile profile = test::callCountProfile();
    EXPECT_EQ(describe(profile, computeCallees(profile, functionNamed(profile, "main"))),
              (std::vector<std::string>{"A 1/1 2 3", "B 2/2 4 4"}));
    EXPECT_EQ(describe(profile, computeCallees(profile, functionNamed(profile, "A"))),
              (std::vector<std::string>{"A 2/1 1 1"}));
    EXPECT_EQ(describe(profile, computeCallees(profile, functionNamed(profile, "D"))),
              std::vector<std::string>{});
}

TEST(CallAnalysis, EdgesFollowTheThreadFilter) {
    Profile profile = test::callCountProfile();
    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    // The main -> B edge exists, only not on thread 101: 0 calls rather than unknown.
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "B"), worker)),
              (std::vector<std::string>{"main 0/0 0 0", "<none> 1/1 0 0"}));
    EXPECT_EQ(describe(profile, computeCallees(profile, functionNamed(profile, "B"), worker)),
              (std::vector<std::string>{"D 2/2 0 0"}));
}

TEST(CallAnalysis, InstrumentedTimesSumOverTheAcceptedThreads) {
    Profile profile = test::timedCallCountProfile();
    auto stats = statsByName(profile);
    EXPECT_EQ(stats["B"].instrumented_tottime_ns, 250 * kMs);
    EXPECT_EQ(stats["B"].instrumented_cumtime_ns, 1500 * kMs);
    EXPECT_FALSE(stats["A"].instrumented_tottime_ns || stats["A"].instrumented_cumtime_ns);
    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    stats = statsByName(profile, worker);
    EXPECT_EQ(stats["B"].ncalls, 1u);
    EXPECT_FALSE(stats["B"].instrumented_tottime_ns || stats["B"].instrumented_cumtime_ns);

    std::vector<EdgeStats> callees = computeCallees(profile, functionNamed(profile, "B"));
    ASSERT_EQ(callees.size(), 1u);
    EXPECT_EQ(callees[0].instrumented_tottime_ns, 125 * kMs);
    EXPECT_EQ(callees[0].instrumented_cumtime_ns, 125 * kMs);
    callees = computeCallees(profile, functionNamed(profile, "B"), worker);
    ASSERT_EQ(callees.size(), 1u);
    EXPECT_EQ(callees[0].instrumented_tottime_ns, 25 * kMs);
    std::vector<EdgeStats> callers = computeCallers(profile, functionNamed(profile, "B"));
    ASSERT_EQ(callers.size(), 2u);
    EXPECT_EQ(callers[0].instrumented_cumtime_ns, 1500 * kMs); // main
    EXPECT_FALSE(callers[1].instrumented_tottime_ns);          // uninstrumented caller
}

TEST(CallAnalysis, SamplingOnlyEdgesHaveTimesButNoCounts) {
    Profile profile = test::callTreeProfile();
    // t=1 main->alpha->beta->alpha (1 ms), t=2 main->alpha->beta (2 ms).
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "alpha(int)"))),
              (std::vector<std::string>{"beta() - 1 1", "main - 0 3"}));
    EXPECT_EQ(describe(profile, computeCallees(profile, functionNamed(profile, "alpha(int)"))),
              (std::vector<std::string>{"beta() - 2 3"}));
    // Inlined frames are callers like any other: main -> [gamma_inline] -> delta.
    EXPECT_EQ(describe(profile, computeCallers(profile, functionNamed(profile, "delta"))),
              (std::vector<std::string>{"gamma_inline - 3 3"}));
}

} // namespace
} // namespace hprof
