// computeParallelism over synthetic runs whose answers are worked out by hand in the comments.
#include "hprof/parallelism.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

using test::addBusy;
using test::addSamples;
using test::kMs;
using test::threadsProfile;

std::vector<int64_t> ms(std::initializer_list<int64_t> values) {
    std::vector<int64_t> ns;
    for (int64_t value : values)
        ns.push_back(value * kMs);
    return ns;
}

// Two threads that ran side by side for the whole 10 ms.
TEST(Parallelism, TwoThreadsFullyParallel) {
    Profile profile = threadsProfile({2}, 10);
    addBusy(profile, 0, 0, 10);
    addBusy(profile, 1, 0, 10);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.wallNs(), 10 * kMs);
    EXPECT_EQ(p.cpu_ns, 20 * kMs);
    EXPECT_DOUBLE_EQ(p.averageParallelism(), 2.0);
    EXPECT_EQ(p.busy_ns, 10 * kMs);
    EXPECT_EQ(p.idleNs(), 0);
    EXPECT_EQ(p.serial_ns, 0);
    EXPECT_EQ(p.concurrency_ns, ms({0, 0, 10}));
    EXPECT_DOUBLE_EQ(p.serialFraction(), 0.0);
    EXPECT_EQ(p.speedupBoundOverOneCore(), std::nullopt); // nothing serial: no bound
    EXPECT_EQ(p.speedupBoundOverThisRun(), std::nullopt);
}

// Thread 0 runs 0..10 ms, thread 1 joins at 5 ms: 5 ms serial, 5 ms with two threads. One core
// would need the 15 ms of CPU; unlimited cores still the 5 serial ms: at most 3x over one core,
// 2x over this 10 ms run.
TEST(Parallelism, SerialPhaseThenParallel) {
    Profile profile = threadsProfile({2}, 10);
    addBusy(profile, 0, 0, 10);
    addBusy(profile, 1, 5, 10);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.cpu_ns, 15 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({0, 5, 5}));
    EXPECT_EQ(p.serial_ns, 5 * kMs);
    EXPECT_DOUBLE_EQ(p.averageParallelism(), 1.5);
    EXPECT_DOUBLE_EQ(p.serialFraction(), 0.5);
    EXPECT_DOUBLE_EQ(p.serialWorkFraction(), 1.0 / 3);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverOneCore().value(), 3.0);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverThisRun().value(), 2.0);
    ASSERT_EQ(p.threads.size(), 2u);
    EXPECT_EQ(p.threads[1].busy.busy_from_ns, 5 * kMs);
    EXPECT_EQ(p.threads[1].busy.busy_to_ns, 10 * kMs);
}

// 20 ms: thread 0 alone 0..4, nobody 4..10, both 10..16, nobody 16..20. CPU 4 + 2 * 6 = 16,
// busy 10, idle 10, serial 4: 16 / 4 = 4x over one core, 20 / (10 + 4) over this run.
TEST(Parallelism, IdleGapsAreNeitherSerialNorParallel) {
    Profile profile = threadsProfile({2}, 20);
    addBusy(profile, 0, 0, 4);
    addBusy(profile, 0, 10, 16);
    addBusy(profile, 1, 10, 16);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.cpu_ns, 16 * kMs);
    EXPECT_EQ(p.busy_ns, 10 * kMs);
    EXPECT_EQ(p.idleNs(), 10 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({10, 4, 6}));
    EXPECT_DOUBLE_EQ(p.averageParallelism(), 0.8);
    EXPECT_DOUBLE_EQ(p.serialFraction(), 0.4);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverOneCore().value(), 4.0);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverThisRun().value(), 20.0 / 14);
    // 20 parts of 1 ms each: thread 0 ran in parts 0-3 and 10-15.
    std::vector<double> expected(kDefaultTimelineBins, 0.0);
    for (size_t i : {0, 1, 2, 3, 10, 11, 12, 13, 14, 15})
        expected[i] = 1.0;
    EXPECT_EQ(p.threads[0].timeline, expected);
    EXPECT_EQ(p.threads[0].busy.busy_from_ns, 0);
    EXPECT_EQ(p.threads[0].busy.busy_to_ns, 16 * kMs);
    EXPECT_EQ(p.threads[0].busy.cpu_ns, 10 * kMs);
}

// Process 100 with threads 100 (0..10) and 101 (0..4), process 200 with thread 200 (6..10):
// two threads 0..4, one 4..6, two 6..10. CPU 18, serial 2: 9x over one core, 5x over the run.
Profile mixedProfile() {
    Profile profile = threadsProfile({2, 1}, 10);
    addBusy(profile, 0, 0, 10);
    addBusy(profile, 1, 0, 4);
    addBusy(profile, 2, 6, 10);
    return profile;
}

TEST(Parallelism, ProcessesAndThreadsCountAlike) {
    Parallelism p = computeParallelism(mixedProfile());
    EXPECT_EQ(p.cpu_ns, 18 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({0, 2, 8}));
    EXPECT_DOUBLE_EQ(p.speedupBoundOverOneCore().value(), 9.0);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverThisRun().value(), 5.0);
    ASSERT_EQ(p.processes.size(), 2u);
    EXPECT_EQ(p.processes[0].busy.cpu_ns, 14 * kMs);
    EXPECT_EQ(p.processes[0].busy.busy_from_ns, 0);
    EXPECT_EQ(p.processes[0].busy.busy_to_ns, 10 * kMs);
    EXPECT_EQ(p.processes[1].process, ProcessId(1));
    EXPECT_EQ(p.processes[1].busy.cpu_ns, 4 * kMs);
    EXPECT_EQ(p.processes[1].busy.busy_from_ns, 6 * kMs);
}

TEST(Parallelism, PidAndTidSelectTheThreadsThatCount) {
    Profile profile = mixedProfile();
    SampleFilter child = resolveFilter(profile, {.pids = {200}});
    Parallelism p = computeParallelism(profile, child);
    EXPECT_EQ(p.wallNs(), 10 * kMs); // the window stays the run
    EXPECT_EQ(p.cpu_ns, 4 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({6, 4}));
    EXPECT_DOUBLE_EQ(p.serialFraction(), 1.0);
    EXPECT_DOUBLE_EQ(p.speedupBoundOverOneCore().value(), 1.0);
    ASSERT_EQ(p.threads.size(), 1u);
    EXPECT_EQ(p.threads[0].thread, ThreadId(2));

    SampleFilter second = resolveFilter(profile, {.tids = {101}});
    EXPECT_EQ(computeParallelism(profile, second).cpu_ns, 4 * kMs);
}

// Window 2..8 ms: threads 100 (2..8), 101 (2..4), 200 (6..8); intervals cut at its edges.
TEST(Parallelism, TimeRangeIsTheWindow) {
    SampleFilter window;
    window.from_ns = 2 * kMs;
    window.to_ns = 8 * kMs;
    Parallelism p = computeParallelism(mixedProfile(), window);
    EXPECT_EQ(p.from_ns, 2 * kMs);
    EXPECT_EQ(p.wallNs(), 6 * kMs);
    EXPECT_EQ(p.cpu_ns, 10 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({0, 2, 4}));
    EXPECT_EQ(p.threads[0].busy.busy_from_ns, 2 * kMs);
    EXPECT_EQ(p.threads[0].busy.busy_to_ns, 8 * kMs);

    SampleFilter beyond; // cut to the end of the run
    beyond.from_ns = 5 * kMs;
    beyond.to_ns = 100 * kMs;
    p = computeParallelism(mixedProfile(), beyond);
    EXPECT_EQ(p.to_ns, 10 * kMs);
    EXPECT_EQ(p.cpu_ns, 5 * kMs + 4 * kMs);

    SampleFilter after;
    after.from_ns = 50 * kMs;
    p = computeParallelism(mixedProfile(), after);
    EXPECT_EQ(p.wallNs(), 0);
    EXPECT_EQ(p.cpu_ns, 0);
    EXPECT_DOUBLE_EQ(p.averageParallelism(), 0.0);
}

// Wall-clock mode: 5 ms blocked is wall time of the thread but no CPU.
TEST(Parallelism, OffCpuSamplesAreNeverCpu) {
    Profile profile = threadsProfile({1}, 10);
    profile.run.clock = "wall";
    addBusy(profile, 0, 0, 5);
    addSamples(profile, 0, {10}, 5, true);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.cpu_ns, 5 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({5, 5}));
    EXPECT_EQ(p.threads[0].busy.busy_to_ns, 5 * kMs);
}

// A thread is one thread, even when forged weights make its intervals overlap.
TEST(Parallelism, OverlappingSamplesOfOneThreadCountOnce) {
    Profile profile = threadsProfile({1}, 10);
    addSamples(profile, 0, {5}, 5);
    addSamples(profile, 0, {10}, 10);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.concurrency_ns, ms({0, 10}));
    EXPECT_EQ(p.cpu_ns, 15 * kMs);
}

// The run ends at the last sample when that is later than RunInfo::wall_ns (here unknown).
TEST(Parallelism, RunWithoutWallTimeEndsAtItsLastSample) {
    Profile profile = threadsProfile({1}, 0);
    EXPECT_EQ(computeParallelism(profile).wallNs(), 0);
    EXPECT_EQ(computeParallelism(profile).concurrency_ns, ms({0}));
    addBusy(profile, 0, 2, 4);
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.wallNs(), 4 * kMs);
    EXPECT_EQ(p.concurrency_ns, ms({2, 2}));
}

TEST(Parallelism, HostileTimesAndWeightsDoNotOverflow) {
    Profile profile = threadsProfile({2}, 10);
    addSamples(profile, 0, {1}, -5);
    profile.samples.push_back({INT64_MAX, ThreadId(0), StackId(0), INT64_MAX});
    profile.samples.push_back({INT64_MIN, ThreadId(1), StackId(0), INT64_MAX});
    profile.samples.push_back({INT64_MAX, ThreadId(1), StackId(0), 1});
    Parallelism p = computeParallelism(profile);
    EXPECT_EQ(p.to_ns, INT64_MAX);
    EXPECT_EQ(p.cpu_ns, INT64_MAX);
    EXPECT_EQ(p.serial_ns, INT64_MAX - 1);
    EXPECT_GE(p.averageParallelism(), 0.0);
}

} // namespace
} // namespace hprof
