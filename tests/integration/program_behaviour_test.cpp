// The probe must not change what the program does: its own SIGPROF use keeps working, blocking
// calls are not interrupted, and a program that hammers threads, dlopen, malloc and exceptions
// neither hangs nor crashes.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <csignal>
#include <set>

using namespace hprof::test;

TEST(ProgramBehaviour, ProgramOwningSigprofKeepsWorking) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {"-F", "1000"}, "owns_sigprof");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_GT(valueAfter(run.out, "sigprof_received"), 0) << run.out;
    // One warning, whatever else hprof says ("profile written to ...").
    EXPECT_EQ(linesContaining(run.err, "signal").size(), 1u) << run.err;
    EXPECT_EQ(linesContaining(run.err, "uses signal " + std::to_string(SIGPROF)).size(), 1u)
        << run.err;

    const hprof::Profile profile = recordedProfile(dir);
    const double expected_samples = 1000 * double(profile.run.cpu_ns) * 1e-9;
    EXPECT_GT(expected_samples, 900); // it burns about 1 s
    EXPECT_GE(double(profile.samples.size()), 0.8 * expected_samples);
    const std::optional<hprof::FunctionStats> burn = statsOf(profile, "burn_with_own_timer");
    ASSERT_TRUE(burn.has_value());
    EXPECT_GE(double(burn->total_samples), 0.8 * expected_samples);
}

TEST(ProgramBehaviour, BlockedThreadsSeeNoEintr) {
    for (const char* hz : {"1000", "10000"}) {
        SCOPED_TRACE(std::string("-F ") + hz);
        const TempDir dir;
        const CommandResult run = recordSample(dir, {"-F", hz}, "sleeper");
        EXPECT_EQ(run.status, 0) << run.err;
        EXPECT_EQ(run.out, "eintr=0\n");
        const std::optional<hprof::FunctionStats> burn =
            statsOf(recordedProfile(dir), "burn_while_main_sleeps");
        ASSERT_TRUE(burn.has_value()) << "the signals must have been sent while main slept";
        EXPECT_GT(burn->total_samples, 100u);
    }
}

// Two rounds: CPU mode, then wall-clock mode (its sampler thread reads the stress threads'
// stacks from outside while they come and go).
TEST(ProgramBehaviour, StressNoHangNoCrash) {
    for (const char* clock : {"--clock=cpu", "--clock=wall"}) {
        SCOPED_TRACE(clock);
        const TempDir dir;
        const CommandResult run = recordSample(dir, {"-F", "4000", clock}, "stress", {"5"});
        ASSERT_FALSE(run.timed_out) << "hprof did not finish";
        EXPECT_EQ(run.status, 0) << run.err;
        EXPECT_GT(valueAfter(run.out, "iterations"), 0) << run.out;

        const hprof::Profile profile = recordedProfile(dir);
        std::set<uint32_t> sampled_threads;
        for (const hprof::ThreadStats& thread : hprof::computeThreadStats(profile)) {
            if (thread.samples > 0)
                sampled_threads.insert(thread.thread.value);
        }
        EXPECT_GE(sampled_threads.size(), 8u); // the 8 stress threads, each busy for 5 s
        // Every fork and spawn child is a process of the profile: /bin/true children too.
        const auto spawned = std::count_if(
            profile.processes.begin(), profile.processes.end(),
            [](const hprof::Process& process) { return process.command == "/bin/true"; });
        EXPECT_GT(spawned, 0);
        // Fork children fork again without exec: their great-grandchildren are processes too.
        const hprof::ProcessId root = rootOf(profile);
        size_t nested = 0;
        for (uint32_t i = 0; i < profile.processes.size(); ++i)
            nested += linksUpTo(profile, hprof::ProcessId(i), root).value_or(0) >= 3;
        EXPECT_GT(nested, 0u);
    }
}
