// computeTimeline, sampleNear and the bins of computeParallelism over synthetic runs (helpers in
// test_support.h: threadsProfile, addSamples, addBusy; times and weights in ms).
#include "hprof/parallelism.h"
#include "hprof/timeline.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <numeric>

namespace hprof {
namespace {

using test::kMs;

std::vector<int64_t> ms(std::initializer_list<int64_t> values) {
    std::vector<int64_t> ns;
    for (int64_t value : values)
        ns.push_back(value * kMs);
    return ns;
}

// Thread 0 (tid 100) busy 0..10 ms; thread 1 (tid 101) busy 2..4 ms, then blocked 6..8 ms; a
// 10 ms run.
Profile twoThreads() {
    Profile profile = test::threadsProfile({2}, 10);
    test::addBusy(profile, 0, 0, 10);
    test::addBusy(profile, 1, 2, 4);
    test::addSamples(profile, 1, {8}, 2, true);
    return profile;
}

TEST(Timeline, SpreadsEachSampleOverTheBinsItCovers) {
    Profile profile = twoThreads();
    Timeline timeline = computeTimeline(SampleSelector(profile, {}), 5);
    EXPECT_EQ(timeline.from_ns, 0);
    EXPECT_EQ(timeline.to_ns, 10 * kMs);
    EXPECT_EQ(timeline.bins, 5u);
    EXPECT_EQ(timeline.binNs(), 2 * kMs);
    ASSERT_EQ(timeline.threads.size(), 2u);
    EXPECT_EQ(timeline.threads[0].thread, ThreadId(0));
    EXPECT_EQ(timeline.threads[0].cpu_ns, ms({2, 2, 2, 2, 2}));
    EXPECT_EQ(timeline.threads[1].cpu_ns, ms({0, 2, 0, 0, 0}));
    EXPECT_EQ(timeline.threads[1].off_cpu_ns, ms({0, 0, 0, 2, 0}));
    EXPECT_EQ(timeline.threads[1].run_queue_ns, ms({0, 0, 0, 0, 0}));
}

TEST(Timeline, UnevenBinsSplitASampleAndKeepTheSum) {
    Profile profile = test::threadsProfile({1}, 10);
    test::addSamples(profile, 0, {10}, 10); // one sample for the whole run
    Timeline timeline = computeTimeline(SampleSelector(profile, {}), 3);
    const std::vector<int64_t>& cpu = timeline.threads.at(0).cpu_ns;
    EXPECT_EQ(cpu, (std::vector<int64_t>{3'333'333, 3'333'333, 3'333'334}));
    EXPECT_EQ(std::accumulate(cpu.begin(), cpu.end(), int64_t(0)), 10 * kMs);
}

TEST(Timeline, TheFilterSetsTheWindowAndTheThreads) {
    Profile profile = twoThreads();
    SampleFilter filter = resolveFilter(profile, {.from_ns = 3 * kMs, .to_ns = 7 * kMs});
    Timeline timeline = computeTimeline(SampleSelector(profile, filter), 2);
    EXPECT_EQ(timeline.from_ns, 3 * kMs);
    EXPECT_EQ(timeline.to_ns, 7 * kMs);
    EXPECT_EQ(timeline.threads.at(0).cpu_ns, ms({2, 2}));
    // The 8 ms off-CPU sample covers 6..8 ms: its part inside the window counts.
    EXPECT_EQ(timeline.threads.at(1).off_cpu_ns, ms({0, 1}));
    EXPECT_EQ(timeline.threads.at(1).cpu_ns, ms({1, 0}));

    Timeline one =
        computeTimeline(SampleSelector(profile, resolveFilter(profile, {.tids = {101}})), 1);
    ASSERT_EQ(one.threads.size(), 1u);
    EXPECT_EQ(one.threads[0].thread, ThreadId(1));
    EXPECT_EQ(one.threads[0].cpu_ns, ms({2}));
}

TEST(Timeline, ThreadsWithoutSamplesInTheWindowStillHaveALane) {
    Profile profile = test::threadsProfile({3}, 10);
    test::addBusy(profile, 0, 0, 10);
    profile.threads[2].start_ns = 20 * kMs; // starts after the run's window: no lane
    profile.threads[2].end_ns = 30 * kMs;
    Timeline timeline = computeTimeline(SampleSelector(profile, {}), 4);
    ASSERT_EQ(timeline.threads.size(), 2u);
    EXPECT_EQ(timeline.threads[1].thread, ThreadId(1));
    EXPECT_EQ(timeline.threads[1].cpu_ns, ms({0, 0, 0, 0}));
}

TEST(Timeline, ParallelismUsesTheSameBins) {
    Profile profile = twoThreads();
    Parallelism p = computeParallelism(profile, {}, 5);
    EXPECT_EQ(p.bins, 5u);
    ASSERT_EQ(p.threads.size(), 2u);
    EXPECT_EQ(p.threads[1].timeline, (std::vector<double>{0, 1, 0, 0, 0}));
    EXPECT_EQ(computeParallelism(profile).threads[0].timeline.size(), kDefaultTimelineBins);
    EXPECT_EQ(computeParallelism(profile, {}, 7).threads[0].timeline, std::vector<double>(7, 1.0));
    // No bins is one bin, not a division by zero.
    EXPECT_EQ(computeParallelism(profile, {}, 0).threads[0].timeline, std::vector<double>{1.0});
    EXPECT_EQ(computeTimeline(SampleSelector(profile, {}), 0).threads[0].cpu_ns, ms({10}));
}

TEST(Timeline, SampleNearFindsTheClosestAcceptedSampleOfTheThread) {
    Profile profile = twoThreads();
    SampleSelector all(profile, {});
    std::optional<size_t> near = sampleNear(all, ThreadId(1), 3'400'000, kMs);
    ASSERT_TRUE(near);
    EXPECT_EQ(profile.samples[*near].time_ns, 3 * kMs);
    EXPECT_EQ(profile.samples[*near].thread, ThreadId(1));
    EXPECT_EQ(sampleNear(all, ThreadId(1), 6 * kMs, kMs / 2), std::nullopt); // none within 0.5 ms
    near = sampleNear(all, ThreadId(1), 7'800'000, kMs);
    ASSERT_TRUE(near);
    EXPECT_TRUE(profile.samples[*near].off_cpu);
    SampleSelector early(profile, resolveFilter(profile, {.to_ns = 4 * kMs}));
    near = sampleNear(early, ThreadId(1), 4 * kMs, kMs); // 4 ms is outside the time range
    ASSERT_TRUE(near);
    EXPECT_EQ(profile.samples[*near].time_ns, 3 * kMs);
}

} // namespace
} // namespace hprof
