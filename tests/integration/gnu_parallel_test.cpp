// GNU parallel as a real task farmer (issue 14): `hprof parallel -j 2 phases ::: ...` profiles
// every task as a process of its own with its CPU, and the parallelism report's average
// parallelism is what the kernel accounted: CPU time over wall time.
#include "hprof_runs.h"

#include "hprof/parallelism.h"
#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

using namespace hprof::test;

namespace {

constexpr double kTaskCpuS = 0.1; // `phases 0.05`: two phases of 0.05 s of CPU

int64_t childrenCpuNs() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return (int64_t(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1'000'000'000 +
           (int64_t(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) * 1000;
}

TEST(GnuParallel, EveryTaskIsAProcessAndTheParallelismIsTheKernels) {
    TempDir dir;
    const std::string phases = samplePath("phases");
    const int64_t cpu_before_ns = childrenCpuNs();
    const CommandResult result = runHprof({"-q", "-o", "farm.hprof", PARALLEL, "--will-cite", "-j",
                                           "2", phases, ":::", "0.05", "0.05", "0.05", "0.05"},
                                          dir);
    const int64_t test_measured_cpu_ns = childrenCpuNs() - cpu_before_ns;
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(linesContaining(result.out, "phases: 2 x 0.050 s").size(), 4u) << result.out;

    const hprof::Profile profile = hprof::readProfile(dir.file("farm.hprof"));
    size_t tasks = 0;
    for (uint32_t id = 0; id < profile.processes.size(); ++id) {
        if (profile.processes[id].command != phases + " 0.05")
            continue;
        ++tasks;
        hprof::SampleFilter filter;
        filter.processes.include(hprof::ProcessId(id));
        const auto one = statsOf(profile, "phase_one", filter);
        const auto two = statsOf(profile, "phase_two", filter);
        ASSERT_TRUE(one && two) << "task process " << profile.processes[id].pid;
        // The task's CPU as the kernel accounted it (its one thread), and as sampled: the
        // samples lose the process's tail (half a period) and the probe's start.
        int64_t kernel_cpu_ns = 0;
        for (const hprof::Thread& thread : profile.threads)
            if (thread.process == hprof::ProcessId(id))
                kernel_cpu_ns += thread.cpu_ns;
        EXPECT_GE(kernel_cpu_ns, int64_t(0.9 * kTaskCpuS * 1e9));
        const int64_t sampled_ns = one->total_ns + two->total_ns;
        EXPECT_GT(sampled_ns, int64_t(0.8 * double(kernel_cpu_ns))) << kernel_cpu_ns;
        EXPECT_LE(sampled_ns, kernel_cpu_ns + 2'000'000) << kernel_cpu_ns;
    }
    EXPECT_EQ(tasks, 4u);

    // The kernel's accounting: the CPU of the profiled processes (hprof's rusage of them; the
    // test's own rusage of hprof includes them, and hprof's work) over the run's wall time.
    ASSERT_GT(profile.run.cpu_ns, 0);
    ASSERT_GT(profile.run.wall_ns, 0);
    EXPECT_LE(profile.run.cpu_ns, test_measured_cpu_ns);
    const double kernel_parallelism = double(profile.run.cpu_ns) / double(profile.run.wall_ns);
    const double reported = hprof::computeParallelism(profile).averageParallelism();
    // Samples miss the tail of each of parallel's ~40 short processes and the probe's start in
    // them: a few percent below the kernel's figure.
    EXPECT_GT(reported, 0.75 * kernel_parallelism) << "kernel " << kernel_parallelism;
    EXPECT_LT(reported, 1.05 * kernel_parallelism) << "kernel " << kernel_parallelism;
}

} // namespace
