// --clock=wall: blocked threads are sampled where they wait (off-CPU samples), without a signal
// ever cutting their sleeps short; CPU mode stays as it was, without off-CPU samples.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <set>

using namespace hprof::test;

namespace {

struct OnOffCpu {
    int64_t on_cpu_ns = 0;
    int64_t off_cpu_ns = 0;
    size_t off_cpu_samples = 0;
    // Run-queue time of the threads the function was seen in: those samples carry only the frame
    // "[waiting for a CPU (run queue)]", not the stack that woke up.
    int64_t run_queue_ns = 0;
};

bool stackContains(const hprof::Profile& profile, hprof::StackId stack, std::string_view plain) {
    for (; stack.valid(); stack = profile.stack(stack).parent) {
        const hprof::Frame& frame = profile.frame(profile.stack(stack).frame);
        if (plainName(profile.function(frame.function).name) == plain)
            return true;
    }
    return false;
}

// Weights of the samples whose stacks contain `plain` (all functions when empty), split into
// on- and off-CPU, for the threads of process `pid` (all when 0).
OnOffCpu timesOf(const hprof::Profile& profile, std::string_view plain, int32_t pid = 0) {
    OnOffCpu times;
    std::set<hprof::ThreadId> seen_in;
    for (const hprof::Sample& sample : profile.samples) {
        const hprof::Thread& thread = profile.thread(sample.thread);
        if (pid != 0 && profile.process(thread.process).pid != pid)
            continue;
        if (sample.run_queue || (!plain.empty() && !stackContains(profile, sample.stack, plain)))
            continue;
        seen_in.insert(sample.thread);
        (sample.off_cpu ? times.off_cpu_ns : times.on_cpu_ns) += sample.weight_ns;
        times.off_cpu_samples += sample.off_cpu ? 1 : 0;
    }
    for (const hprof::Sample& sample : profile.samples)
        if (sample.run_queue && seen_in.contains(sample.thread))
            times.run_queue_ns += sample.weight_ns;
    return times;
}

// The off-CPU time sampled in a wait against what the program measured around it. On a loaded
// machine the program's measure also holds the wait for a CPU after each wake-up, which hprof
// keeps apart as run-queue time (measured: 1.25 s blocked + run queue for 1.43 s at a load of
// 9): the lower bound allows for the run queue of the function's threads.
void expectWithin(const OnOffCpu& sampled, int64_t measured_ns, double tolerance) {
    EXPECT_GT(measured_ns, 0);
    const auto message = [&] {
        return "sampled " + std::to_string(sampled.off_cpu_ns) + " ns off-CPU and " +
               std::to_string(sampled.run_queue_ns) + " ns in the run queue, the program " +
               "measured " + std::to_string(measured_ns) + " ns";
    };
    EXPECT_LE(double(sampled.off_cpu_ns), (1 + tolerance) * double(measured_ns)) << message();
    EXPECT_GE(double(sampled.off_cpu_ns + sampled.run_queue_ns),
              (1 - tolerance) * double(measured_ns))
        << message();
}

} // namespace

TEST(WallClock, WaitsAreSampledWhereTheyHappenAndSleepsAreNotCutShort) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {"--clock=wall"}, "wall_sleeper", {"100"});
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_EQ(valueAfter(run.out, "cut_short"), 0) << run.out;
    const hprof::Profile profile = recordedProfile(dir);
    EXPECT_EQ(profile.run.clock, "wall");

    const OnOffCpu sleeping = timesOf(profile, "sleep_in_function");
    expectWithin(sleeping, valueAfter(run.out, "sleep_ns"), 0.10);
    EXPECT_LT(sleeping.on_cpu_ns, 20'000'000) << "100 nanosleep calls use next to no CPU";
    expectWithin(timesOf(profile, "wait_for_lock"), valueAfter(run.out, "lock_wait_ns"), 0.15);
    expectWithin(timesOf(profile, "read_from_pipe"), valueAfter(run.out, "read_wait_ns"), 0.15);
    // The helpers' own sleeps, on their threads.
    EXPECT_GT(timesOf(profile, "hold_lock").off_cpu_ns, 150'000'000);
    EXPECT_GT(timesOf(profile, "write_later").off_cpu_ns, 150'000'000);

    const OnOffCpu burning = timesOf(profile, "burn_cpu");
    EXPECT_GT(burning.on_cpu_ns, 150'000'000); // 200 ms of CPU
    EXPECT_LT(burning.off_cpu_ns, burning.on_cpu_ns / 4);
}

TEST(WallClock, CpuModeHasNoOffCpuSamples) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "wall_sleeper", {"20"});
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    EXPECT_EQ(profile.run.clock, "cpu");
    const OnOffCpu all = timesOf(profile, "");
    EXPECT_EQ(all.off_cpu_samples, 0u);
    EXPECT_GT(timesOf(profile, "burn_cpu").on_cpu_ns, 150'000'000);
}

TEST(WallClock, ForkChildIsSampledOffCpuToo) {
    const TempDir dir;
    const CommandResult run = runHprof(
        {"-o", "profile.hprof", "--clock=wall", samplePath("wall_sleeper"), "40", "--fork"}, dir);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_EQ(linesContaining(run.err, "wall-clock mode: times include off-CPU").size(), 1u)
        << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    ASSERT_EQ(profile.processes.size(), 2u);
    const int32_t child = profile.processes[1].pid;
    EXPECT_NE(child, profile.processes[0].pid);
    const OnOffCpu child_sleeps = timesOf(profile, "sleep_in_function", child);
    expectWithin(child_sleeps, valueAfter(run.out, "child_sleep_ns"), 0.10);
    expectWithin(timesOf(profile, "sleep_in_function", profile.processes[0].pid),
                 valueAfter(run.out, "sleep_ns"), 0.10);
}

TEST(WallClock, BlockedCallsOfSleeperSeeNoEintr) {
    for (const char* hz : {"1000", "10000"}) {
        SCOPED_TRACE(std::string("-F ") + hz);
        const TempDir dir;
        const CommandResult run = recordSample(dir, {"--clock=wall", "-F", hz}, "sleeper");
        EXPECT_EQ(run.status, 0) << run.err;
        EXPECT_EQ(run.out, "eintr=0\n");
        EXPECT_GT(timesOf(recordedProfile(dir), "count_interrupted_polls").off_cpu_samples, 0u);
    }
}
