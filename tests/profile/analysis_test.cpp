#include "hprof/analysis.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <map>

namespace hprof {
namespace {

using test::kMs;
using test::statsByName;

TEST(Analysis, TotalsSumAcceptedSamples) {
    Profile profile = test::callTreeProfile();
    Totals totals = computeTotals(profile);
    EXPECT_EQ(totals.samples, 5u);
    EXPECT_EQ(totals.weight_ns, 15 * kMs);
}

TEST(Analysis, RecursionIsCountedOncePerSample) {
    auto stats = statsByName(test::callTreeProfile());
    EXPECT_EQ(stats["alpha(int)"].self_samples, 1u);
    EXPECT_EQ(stats["alpha(int)"].self_ns, 1 * kMs);
    EXPECT_EQ(stats["alpha(int)"].total_samples, 2u);
    EXPECT_EQ(stats["alpha(int)"].total_ns, 3 * kMs);
    EXPECT_EQ(stats["beta()"].self_ns, 2 * kMs);
    EXPECT_EQ(stats["beta()"].total_ns, 3 * kMs);
    EXPECT_EQ(stats["main"].self_ns, 4 * kMs);
    EXPECT_EQ(stats["main"].total_samples, 5u);
    EXPECT_EQ(stats["main"].total_ns, 15 * kMs);
}

TEST(Analysis, InlinedFramesAreFunctions) {
    auto stats = statsByName(test::callTreeProfile());
    ASSERT_TRUE(stats.count("gamma_inline"));
    EXPECT_EQ(stats["gamma_inline"].self_samples, 0u);
    EXPECT_EQ(stats["gamma_inline"].total_ns, 3 * kMs);
    EXPECT_EQ(stats["delta"].self_ns, 3 * kMs);
}

TEST(Analysis, SelfTimesAddUpAndCallCountsStayUnknown) {
    Profile profile = test::callTreeProfile();
    std::vector<FunctionStats> stats = computeFunctionStats(profile);
    EXPECT_EQ(stats.size(), profile.functions.size());
    int64_t self = 0;
    uint64_t self_samples = 0;
    for (const FunctionStats& function : stats) {
        self += function.self_ns;
        self_samples += function.self_samples;
        EXPECT_LE(function.self_ns, function.total_ns);
        EXPECT_FALSE(function.ncalls.has_value());
        EXPECT_FALSE(function.primitive_calls.has_value());
    }
    EXPECT_EQ(self, computeTotals(profile).weight_ns);
    EXPECT_EQ(self_samples, profile.samples.size());
}

TEST(Analysis, FiltersByPidTidAndTime) {
    Profile profile = test::callTreeProfile();
    SampleFilter child = resolveFilter(profile, {.pids = {200}});
    EXPECT_EQ(computeTotals(profile, child).weight_ns, 4 * kMs);
    auto childStats = statsByName(profile, child);
    EXPECT_EQ(childStats.size(), 1u);
    EXPECT_EQ(childStats["main"].self_ns, 4 * kMs);

    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    EXPECT_EQ(computeTotals(profile, worker).samples, 2u);
    EXPECT_EQ(statsByName(profile, worker)["main"].total_ns, 8 * kMs);

    SampleFilter window;
    window.from_ns = 2 * kMs; // inclusive
    window.to_ns = 4 * kMs;   // exclusive
    Totals windowTotals = computeTotals(profile, window);
    EXPECT_EQ(windowTotals.samples, 2u);
    EXPECT_EQ(windowTotals.weight_ns, 5 * kMs);
    auto windowStats = statsByName(profile, window);
    EXPECT_EQ(windowStats["alpha(int)"].self_samples, 0u);
    EXPECT_EQ(windowStats["alpha(int)"].total_ns, 2 * kMs);
    EXPECT_EQ(windowStats["delta"].self_ns, 3 * kMs);
    EXPECT_FALSE(windowStats.count("std::map<int, int>::find"));

    SampleFilter nobody = resolveFilter(profile, {.pids = {100}, .tids = {200}});
    EXPECT_EQ(computeTotals(profile, nobody).samples, 0u);
    EXPECT_TRUE(computeFunctionStats(profile, nobody).empty());
}

TEST(Analysis, ThreadAndProcessStats) {
    Profile profile = test::callTreeProfile();
    std::vector<ThreadStats> threads = computeThreadStats(profile);
    ASSERT_EQ(threads.size(), 3u);
    EXPECT_EQ(threads[0].samples, 2u);
    EXPECT_EQ(threads[0].cpu_ns, 3 * kMs);
    EXPECT_EQ(threads[1].cpu_ns, 8 * kMs);
    EXPECT_EQ(threads[2].cpu_ns, 4 * kMs);
    std::vector<ProcessStats> processes = computeProcessStats(profile);
    ASSERT_EQ(processes.size(), 2u);
    EXPECT_EQ(processes[0].samples, 4u);
    EXPECT_EQ(processes[0].cpu_ns, 11 * kMs);
    EXPECT_EQ(processes[1].cpu_ns, 4 * kMs);

    SampleFilter worker = resolveFilter(profile, {.tids = {101}});
    threads = computeThreadStats(profile, worker);
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_EQ(profile.thread(threads[0].thread).tid, 101);
    ASSERT_EQ(computeProcessStats(profile, worker).size(), 1u);
}

TEST(Analysis, HugeWeightsSaturateInsteadOfOverflowing) {
    Profile profile = test::callTreeProfile();
    for (Sample& sample : profile.samples)
        sample.weight_ns = INT64_MAX;
    EXPECT_EQ(computeTotals(profile).weight_ns, INT64_MAX);
    EXPECT_EQ(statsByName(profile)["main"].total_ns, INT64_MAX);
    EXPECT_EQ(computeProcessStats(profile)[0].cpu_ns, INT64_MAX);
}

TEST(Analysis, RepeatedStacksGiveProportionalStats) {
    Profile once = test::callTreeProfile();
    Profile many = once;
    for (int copy = 1; copy < 1000; ++copy)
        many.samples.insert(many.samples.end(), once.samples.begin(), once.samples.begin() + 5);
    auto single = statsByName(once);
    auto repeated = statsByName(many);
    for (const auto& [name, stats] : single) {
        EXPECT_EQ(repeated[name].self_ns, 1000 * stats.self_ns) << name;
        EXPECT_EQ(repeated[name].total_samples, 1000 * stats.total_samples) << name;
    }
}

} // namespace
} // namespace hprof
