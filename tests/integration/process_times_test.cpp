// Process times and CPU totals of real runs: a process killed by a signal ends when it died, not
// at its last sample; the CPU time a program spends before the probe starts (exec, dynamic
// loading) is in the profile as a frame of its own; a run whose threads were all sampled gets
// no CPU accounting warning.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <thread>

using namespace hprof::test;

namespace {

constexpr std::string_view kStartFrame = "[process start: exec, dynamic loading]";

double monotonicSeconds() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

// The process that ended with exit status `status` (one only).
const hprof::Process& endedWith(const hprof::Profile& profile, int status) {
    const hprof::Process* found = nullptr;
    for (const hprof::Process& process : profile.processes) {
        if (process.exit_status == status) {
            EXPECT_EQ(found, nullptr) << "two processes ended with " << status;
            found = &process;
        }
    }
    EXPECT_NE(found, nullptr) << "no process ended with " << status;
    return found ? *found : profile.processes.front();
}

// Runs `script` under hprof; its first line of output is the pid to kill (or "ready" for the
// script's own process); kills it with `signal` `delay` seconds after reading that line.
// Returns how long after the line the kill happened, and the profile.
std::pair<double, hprof::Profile> killAfter(const TempDir& dir, const std::string& script,
                                            int signal, std::chrono::milliseconds delay) {
    ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", "/bin/sh", "-c", script}),
                       {dir.path()});
    const std::string line = hprof.readLine();
    const double ready = monotonicSeconds();
    pid_t victim = -1;
    if (line == "ready") {
        const std::vector<pid_t> children = childrenOf(hprof.pid());
        EXPECT_EQ(children.size(), 1u);
        victim = children.empty() ? -1 : children.front();
    } else {
        victim = pid_t(std::stol(line));
    }
    // The scenario, not a synchronisation: the victim is known to be sleeping 10 s already.
    std::this_thread::sleep_for(delay);
    EXPECT_GT(victim, 0);
    EXPECT_EQ(kill(victim, signal), 0);
    const double killed_after = monotonicSeconds() - ready;
    const CommandResult run = hprof.finish();
    EXPECT_FALSE(run.timed_out);
    return {killed_after, recordedProfile(dir)};
}

} // namespace

// The case: `timeout 2 hprof -- sleeper` showed the process ending at 0.026 s.
TEST(ProcessTimes, FirstProcessKilledBySignalEndsWhenItDied) {
    const TempDir dir;
    const auto [killed_after, profile] =
        killAfter(dir, "echo ready; exec sleep 10", SIGTERM, std::chrono::milliseconds(1000));
    const hprof::Process& killed = endedWith(profile, 128 + SIGTERM);
    // "ready" was printed after the run started, so the kill is at least this far into it.
    EXPECT_GE(killed.end_ns, int64_t(killed_after * 1e9));
    EXPECT_LT(killed.end_ns, int64_t((killed_after + 5) * 1e9));
}

TEST(ProcessTimes, ChildKilledBySignalEndsWhenItsParentReapedIt) {
    const TempDir dir;
    const auto [killed_after, profile] =
        killAfter(dir, "sleep 10 & echo $!; wait", SIGKILL, std::chrono::milliseconds(1000));
    const hprof::Process& killed = endedWith(profile, 128 + SIGKILL);
    EXPECT_EQ(killed.command, "sleep 10");
    EXPECT_GE(killed.end_ns, int64_t(killed_after * 1e9));
}

// Every process of the run starts with the CPU time of its exec and dynamic loading, which no
// sample covers; it is a frame of its own, no larger than the process's CPU time.
TEST(ProcessTimes, ProcessStartCostIsAFrameOfItsOwn) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "split");
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    const std::optional<hprof::FunctionStats> start = statsOf(profile, kStartFrame);
    ASSERT_TRUE(start.has_value());
    EXPECT_EQ(start->self_samples, 1u); // one process, one start
    EXPECT_GT(start->self_ns, 0);
    int64_t kernel_cpu = 0;
    for (const hprof::Thread& thread : profile.threads)
        kernel_cpu += thread.cpu_ns;
    EXPECT_LE(start->self_ns, kernel_cpu);
    // exec and loading a small program take well under 50 ms of CPU
    EXPECT_LT(start->self_ns, 50'000'000);
}

// All threads of a multithreaded program are sampled: sampled CPU matches the kernel's within
// the tolerance, and no warning says otherwise.
TEST(ProcessTimes, FullySampledRunHasNoAccountingWarning) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "threads");
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    for (const std::string& warning : profile.run.warnings)
        EXPECT_EQ(warning.find("kernel's accounting"), std::string::npos) << warning;
}
