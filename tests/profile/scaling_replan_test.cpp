// ScalingRunPlan (hprof/scaling.h): the runs of `hprof scaling` round by round, planned from the
// fastest run of each size seen so far, not from the first round's runs alone.
#include "hprof/scaling.h"

#include <gtest/gtest.h>

#include <functional>

namespace hprof {
namespace {

// Runs a plan to its end; secondsOf(size index, run number from 1) is a run's CPU seconds.
// Returns the runs per size, and each size's rounds in `rounds_of` when given.
std::vector<uint32_t> runPlan(size_t sizes, uint32_t repeat,
                              const std::function<double(size_t, uint32_t)>& secondsOf,
                              std::vector<std::vector<uint32_t>>* rounds_of = nullptr) {
    ScalingRunPlan plan(sizes, repeat);
    if (rounds_of)
        rounds_of->assign(sizes, {});
    uint32_t round = 0;
    for (std::vector<size_t> due = plan.nextRound(); !due.empty(); due = plan.nextRound()) {
        EXPECT_LT(++round, 100u) << "the plan does not end";
        if (round >= 100)
            break;
        for (size_t s : due) {
            plan.recorded(s, secondsOf(s, plan.runsDone()[s] + 1));
            if (rounds_of)
                (*rounds_of)[s].push_back(round);
        }
    }
    return plan.runsDone();
}

const std::vector<double> kQuadratic{0.012, 0.05, 0.2, 0.8}; // seconds per run, unloaded

TEST(ScalingReplan, RunsAsTheFirstRoundSaysWhenItsRunsAreTheFastest) {
    std::vector<std::vector<uint32_t>> rounds;
    EXPECT_EQ(runPlan(
                  4, 2, [](size_t s, uint32_t) { return kQuadratic[s]; }, &rounds),
              (std::vector<uint32_t>{8, 8, 3, 2}));
    // Each size's runs spread evenly over the rounds, the first round included.
    EXPECT_EQ(rounds[0], (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(rounds[2], (std::vector<uint32_t>{1, 3, 6}));
    EXPECT_EQ(rounds[3], (std::vector<uint32_t>{1, 5}));
}

TEST(ScalingReplan, LongRunsAskedForOnceRunOnceInTheFirstRound) {
    std::vector<std::vector<uint32_t>> rounds;
    EXPECT_EQ(runPlan(
                  2, 1, [](size_t s, uint32_t) { return 1.0 + double(s); }, &rounds),
              (std::vector<uint32_t>{1, 1}));
    EXPECT_EQ(rounds, (std::vector<std::vector<uint32_t>>{{1}, {1}}));
}

TEST(ScalingReplan, AFirstRunSlowedByTheLoadDoesNotAskForTooFewRuns) {
    // The first run of the smallest size took 0.1 s instead of 12 ms (a slow spell): planned
    // from it, the size would get ceil(0.5 / 0.1) = 5 runs; its fastest run asks for 8.
    const auto loadedFirst = [](size_t s, uint32_t run) {
        return s == 0 && run == 1 ? 0.1 : kQuadratic[s];
    };
    EXPECT_EQ(runPlan(4, 2, loadedFirst), (std::vector<uint32_t>{8, 8, 3, 2}));
    // The same for the second size, slowed in its first run to 0.25 s: 2 runs planned, 8 due.
    const auto loadedSecond = [](size_t s, uint32_t run) {
        return s == 1 && run == 1 ? 0.25 : kQuadratic[s];
    };
    EXPECT_EQ(runPlan(4, 2, loadedSecond), (std::vector<uint32_t>{8, 8, 3, 2}));
}

TEST(ScalingReplan, RunsStayWithinFourTimesTheRepeatAndRunsWithoutSamplesKeepIt) {
    EXPECT_EQ(runPlan(4, 1, [](size_t, uint32_t run) { return 0.001 * run; }),
              (std::vector<uint32_t>{1, 1, 1, 1}));
    EXPECT_EQ(runPlan(4, 3, [](size_t, uint32_t) { return 0.0; }),
              (std::vector<uint32_t>{3, 3, 3, 3}));
    const std::vector<uint32_t> runs =
        runPlan(4, 2, [](size_t s, uint32_t run) { return s == 3 ? 1.0 : 0.3 / (run + 10); });
    for (uint32_t r : runs)
        EXPECT_LE(r, 8u);
    EXPECT_EQ(runs.back(), 2u);
}

} // namespace
} // namespace hprof
