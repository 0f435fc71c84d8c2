// How many runs `hprof scaling` gives each size (scalingRunsPerSize); the rounds they run in are
// ScalingRunPlan's (scaling_replan_test.cpp).
#include "hprof/scaling.h"

#include <gtest/gtest.h>

namespace {

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

} // namespace
