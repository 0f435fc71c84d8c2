// A multi-threaded program: every thread is in the profile under its own name, and the
// samples are shared in proportion to each thread's work.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <map>

using namespace hprof::test;

TEST(Multithreaded, WorkersNamedAndSampledInProportion) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "threads");
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    EXPECT_GE(profile.threads.size(), 5u);

    std::map<std::string, uint64_t> samples_by_name;
    for (const hprof::ThreadStats& stats : hprof::computeThreadStats(profile))
        samples_by_name[profile.thread(stats.thread).name] += stats.samples;
    constexpr int kWorkers = 4; // worker k does k + 1 units of work: 1:2:3:4 of 10 units
    uint64_t worker_samples = 0;
    for (int k = 0; k < kWorkers; ++k)
        worker_samples += samples_by_name["worker-" + std::to_string(k)];
    ASSERT_GT(worker_samples, 0u);
    uint64_t previous = 0;
    for (int k = 0; k < kWorkers; ++k) {
        const std::string name = "worker-" + std::to_string(k);
        SCOPED_TRACE(name);
        const uint64_t samples = samples_by_name[name];
        EXPECT_GT(samples, previous);
        EXPECT_NEAR(double(samples) / double(worker_samples), (k + 1) / 10.0, 0.04);
        previous = samples;
    }
}
