// compareProfiles on profiles with exact times and no samples (imported from pstats): shares from
// the exact tottime/cumtime, no interval with one profile per side, a t-interval over the runs
// with several, and no mixing with sampled profiles.
#include "hprof/compare.h"
#include "hprof/profile_builder.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace hprof {
namespace {

// Exact times of one run in ms: main() calls work(), which calls hot(), and warm().
struct ExactRun {
    int64_t main_ms = 40;
    int64_t work_ms = 10;
    int64_t hot_ms = 100;
    int64_t warm_ms = 50;
    uint64_t hot_calls = 1000;
};

Profile exactRun(const ExactRun& run) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.source = "pstats";
    profile.run.missing = {.samples = true, .timestamps = true, .threads = true};
    profile.processes.push_back(Process{});
    profile.threads.push_back({ProcessId(0), 0, "all threads", 0, 0, 0});
    const auto count = [&](const char* name, uint32_t line, uint64_t calls, int64_t self_ms,
                           int64_t total_ms) {
        const FunctionId function = builder.internFunction({name, "prog.py", line, ModuleId()});
        profile.call_counts.push_back(
            {ThreadId(0), function, calls, calls, self_ms * test::kMs, total_ms * test::kMs});
    };
    count("main", 1, 1, run.main_ms, run.main_ms + run.work_ms + run.hot_ms + run.warm_ms);
    count("work", 10, 1, run.work_ms, run.work_ms + run.hot_ms);
    count("hot", 20, run.hot_calls, run.hot_ms, run.hot_ms);
    count("warm", 30, 1, run.warm_ms, run.warm_ms);
    return builder.take();
}

const FunctionChange& find(const ProfileComparison& comparison, const std::string& name) {
    for (const FunctionChange& change : comparison.functions)
        if (change.name == name)
            return change;
    throw std::runtime_error("no function " + name);
}

TEST(CompareExact, SameTimesAreUnchangedWithoutAnInterval) {
    const Profile before = exactRun({});
    const Profile after = exactRun({});
    const ProfileComparison comparison = compareProfiles({&before}, {&after});
    EXPECT_TRUE(comparison.exact_times);
    EXPECT_EQ(comparison.before_samples, 0u);
    EXPECT_NEAR(comparison.before_seconds, 0.2, 1e-12);
    EXPECT_NEAR(comparison.before_cpu_s, 0.2, 1e-12);
    ASSERT_EQ(comparison.functions.size(), 4u);
    for (const FunctionChange& change : comparison.functions) {
        EXPECT_EQ(change.verdict, Verdict::Unchanged) << change.name;
        EXPECT_EQ(change.inclusive.low, change.inclusive.high) << change.name;
        EXPECT_FALSE(change.inclusive.seconds_needed) << change.name;
    }
    const FunctionChange& hot = find(comparison, "hot");
    EXPECT_NEAR(hot.self.before, 0.5, 1e-12); // 100 of 200 ms
    EXPECT_NEAR(find(comparison, "work").inclusive.before, 0.55, 1e-12);
    EXPECT_NEAR(hot.before_cpu_s, 0.1, 1e-12);
    EXPECT_EQ(hot.before_ncalls, 1000u);
}

TEST(CompareExact, DoubledFunctionIsARegressionListedFirst) {
    const Profile before = exactRun({});
    const Profile after = exactRun({.hot_ms = 200});
    const ProfileComparison comparison = compareProfiles({&before}, {&after});
    const FunctionChange& first = comparison.functions.front();
    EXPECT_EQ(first.name, "hot");
    EXPECT_EQ(first.verdict, Verdict::Regression);
    EXPECT_NEAR(first.self.after, 200.0 / 300.0, 1e-12);
    EXPECT_DOUBLE_EQ(first.self.low, first.self.change());
    EXPECT_DOUBLE_EQ(first.self.high, first.self.change());
    // One run per side says nothing of how a run's seconds vary: no CPU verdict.
    EXPECT_EQ(first.cpu.verdict, Verdict::NotChecked);
    EXPECT_NEAR(first.cpu.change(), 0.1, 1e-12); // exactly 100 ms more per run, shown
    EXPECT_EQ(find(comparison, "warm").verdict, Verdict::Improvement); // shares are zero-sum
}

TEST(CompareExact, ChangedCallCountIsARegression) {
    const Profile before = exactRun({});
    const Profile after = exactRun({.hot_calls = 1001});
    const ProfileComparison comparison = compareProfiles({&before}, {&after});
    EXPECT_EQ(comparison.functions.front().name, "hot");
    EXPECT_TRUE(comparison.functions.front().ncalls_changed);
    EXPECT_EQ(comparison.functions.front().verdict, Verdict::Regression);
}

// Three runs per side, hot's self share 30, 32, 34% before and 60, 62, 64% after (totals equal):
// pooled variance 0.0004, standard error 0.02 x sqrt(2/3), t(0.975, 4 degrees) = 2.7764.
TEST(CompareExact, SeveralRunsPerSideGetATIntervalFromTheirSpread) {
    std::vector<Profile> runs;
    for (int64_t hot_ms : {300, 320, 340, 600, 620, 640})
        runs.push_back(exactRun(
            {.main_ms = 1000 - hot_ms - 110, .work_ms = 10, .hot_ms = hot_ms, .warm_ms = 100}));
    const ProfileComparison comparison =
        compareProfiles({&runs[0], &runs[1], &runs[2]}, {&runs[3], &runs[4], &runs[5]});
    const FunctionChange& hot = find(comparison, "hot");
    EXPECT_NEAR(hot.self.change(), 0.30, 1e-12);
    const double half_width = 2.7764 * 0.02 * std::sqrt(2.0 / 3.0);
    EXPECT_NEAR(hot.self.low, 0.30 - half_width, 1e-4);
    EXPECT_NEAR(hot.self.high, 0.30 + half_width, 1e-4);
    EXPECT_EQ(hot.self.verdict, Verdict::Regression);
    EXPECT_EQ(comparison.before_runs, 3u);
}

// The whole run's seconds spread too: main's inclusive seconds 1.0, 1.2, 1.4 before and 1.6,
// 1.8, 2.0 after (every share the same) give the t-interval 0.6 -/+ 2.7764 x 0.2 x sqrt(2/3) s.
TEST(CompareExact, CpuSecondsGetTheSpreadOfTheRunsTotals) {
    std::vector<Profile> runs;
    for (int64_t scale : {5, 6, 7, 8, 9, 10})
        runs.push_back(exactRun({.main_ms = 40 * scale,
                                 .work_ms = 10 * scale,
                                 .hot_ms = 100 * scale,
                                 .warm_ms = 50 * scale}));
    const ProfileComparison comparison =
        compareProfiles({&runs[0], &runs[1], &runs[2]}, {&runs[3], &runs[4], &runs[5]});
    const FunctionChange& main = find(comparison, "main");
    EXPECT_EQ(main.inclusive.verdict, Verdict::Unchanged);
    EXPECT_NEAR(main.cpu.change(), 0.6, 1e-12);
    const double half_width = 2.7764 * 0.2 * std::sqrt(2.0 / 3.0);
    EXPECT_NEAR(main.cpu.low, 0.6 - half_width, 1e-4);
    EXPECT_NEAR(main.cpu.high, 0.6 + half_width, 1e-4);
    // The threshold is 0.3 s and the interval 0.15..1.05 s reaches across it; taking the totals
    // as exact (as for samples, where the kernel counts them) would have said "regression".
    EXPECT_EQ(main.cpu.verdict, Verdict::Inconclusive);
    EXPECT_FALSE(main.cpu.seconds_needed);
}

TEST(CompareExact, RunsThatDifferTooMuchAreInconclusive) {
    std::vector<Profile> runs;
    for (int64_t hot_ms : {200, 500, 350, 250, 550, 400}) // after: +50 ms, spread 150 ms
        runs.push_back(exactRun({.main_ms = 1000 - hot_ms - 60, .hot_ms = hot_ms}));
    const ProfileComparison comparison =
        compareProfiles({&runs[0], &runs[1], &runs[2]}, {&runs[3], &runs[4], &runs[5]});
    const FunctionChange& hot = find(comparison, "hot");
    EXPECT_LT(hot.self.low, -hot.self.threshold);
    EXPECT_GT(hot.self.high, hot.self.threshold);
    EXPECT_EQ(hot.self.verdict, Verdict::Inconclusive);
    EXPECT_FALSE(hot.self.seconds_needed); // more samples would not help, more runs would
}

TEST(CompareExact, ProfileWithoutTimeIsRefused) {
    const Profile before = exactRun({});
    const Profile empty = exactRun({.main_ms = 0, .work_ms = 0, .hot_ms = 0, .warm_ms = 0});
    EXPECT_THROW(compareProfiles({&before}, {&empty}), Error);
}

TEST(CompareExact, SampledAndExactProfilesAreNotMixed) {
    const Profile exact = exactRun({});
    const Profile sampled = test::smallProfile();
    for (const auto& [before, after] :
         {std::pair{std::vector{&sampled}, std::vector{&exact}},
          std::pair{std::vector{&exact}, std::vector{&sampled}},
          std::pair{std::vector{&exact, &sampled}, std::vector{&exact}}}) {
        try {
            compareProfiles(before, after);
            ADD_FAILURE() << "a sampled profile was compared with an exact one";
        } catch (const Error& error) {
            EXPECT_NE(std::string(error.what()).find("cannot compare a sampled profile"),
                      std::string::npos)
                << error.what();
        }
    }
}

} // namespace
} // namespace hprof
