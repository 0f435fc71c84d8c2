// How many runs `hprof scaling` gives each size (scalingRunsPerSize) and in which rounds.
#include "hprof/scaling.h"

#include <gtest/gtest.h>

namespace {

using hprof::scalingRunsInRound;
using hprof::scalingRunsPerSize;

TEST(ScalingPlan, ShortRunsGetRunsUntilTheyLastAQuarterSecondPerRunAskedFor) {
    // A quadratic program at 10 kHz: 12 ms, 50 ms, 0.2 s and 0.8 s per run, two asked for:
    // 2 x 0.25 s = 0.5 s together, at most 8 runs.
    EXPECT_EQ(scalingRunsPerSize({0.012, 0.05, 0.2, 0.8}, 2), (std::vector<uint32_t>{8, 8, 3, 2}));
    EXPECT_EQ(scalingRunsPerSize({0.1, 0.2, 0.4, 0.8}, 1), (std::vector<uint32_t>{3, 2, 1, 1}));
    // All runs short: as long together as the longest size's runs.
    EXPECT_EQ(scalingRunsPerSize({0.01, 0.02, 0.04, 0.08}, 2), (std::vector<uint32_t>{8, 8, 4, 2}));
}

TEST(ScalingPlan, LongRunsAndRunsWithoutSamplesKeepTheRepeatAskedFor) {
    EXPECT_EQ(scalingRunsPerSize({0.25, 1, 2, 4}, 3), (std::vector<uint32_t>{3, 3, 3, 3}));
    // An instrumented run too short to sample: its exact counts need no repeats.
    EXPECT_EQ(scalingRunsPerSize({0, 0, 0, 0}, 1), (std::vector<uint32_t>{1, 1, 1, 1}));
}

TEST(ScalingPlan, RunsSpreadEvenlyOverTheRoundsFirstRoundIncluded) {
    const auto rounds_of = [](uint32_t runs, uint32_t rounds) {
        std::vector<uint32_t> in;
        for (uint32_t round = 1; round <= rounds; ++round)
            if (scalingRunsInRound(runs, rounds, round))
                in.push_back(round);
        return in;
    };
    EXPECT_EQ(rounds_of(2, 8), (std::vector<uint32_t>{1, 5}));
    EXPECT_EQ(rounds_of(3, 8), (std::vector<uint32_t>{1, 3, 6}));
    EXPECT_EQ(rounds_of(8, 8), (std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(rounds_of(1, 1), (std::vector<uint32_t>{1}));
    EXPECT_FALSE(scalingRunsInRound(2, 8, 0));
    EXPECT_FALSE(scalingRunsInRound(2, 8, 9));
}

} // namespace
