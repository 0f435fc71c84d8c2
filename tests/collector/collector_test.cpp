// collect(): processes, threads, times, samples and run information from raw streams.
#include "hprof/collector.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace hprof::testing {
namespace {

using test::TempDir;

constexpr uint64_t kStart = 5'000'000'000; // CLOCK_MONOTONIC of the first process

const Thread& threadByTid(const Profile& profile, int32_t tid) {
    const auto found = std::find_if(profile.threads.begin(), profile.threads.end(),
                                    [&](const Thread& thread) { return thread.tid == tid; });
    EXPECT_NE(found, profile.threads.end()) << "no thread " << tid;
    return *found;
}

class CollectorTest : public ::testing::Test {
  protected:
    // Parent process 100 (two threads, exits with 3) and child 101 (starts 1 ms later, killed).
    // Sample weights stay below what the times allow (a thread cannot use more CPU than the
    // wall time since its previous sample, plus 1 ms).
    void writeTwoProcesses() {
        const uint64_t addresses[] = {0x1111, 0x2222, 0x3333}; // leaf first, outside any module
        {
            RawStreamWriter parent(dir.file("100.raw"), {.pid = 100,
                                                         .ppid = 1,
                                                         .start_monotonic_ns = kStart,
                                                         .dropped_samples = 2,
                                                         .frequency_hz = 250,
                                                         .trigger = raw::Trigger::CpuTimer});
            parent.process(kStart + 1, {"./prog", "-x", "in put"}, "/usr/bin/prog");
            parent.thread(raw::RecordType::ThreadStart, kStart + 2, 100, 0, "prog");
            parent.thread(raw::RecordType::ThreadStart, kStart + 3, 102, 0, "");
            parent.thread(raw::RecordType::ThreadName, kStart + 4, 102, 0, "worker");
            parent.sample(kStart + 50, 400'000, 102, addresses);
            parent.sample(kStart + 20, 100'000, 100, std::span(addresses).subspan(1));
            parent.warning(kStart + 21, "program owns SIGPROF");
            parent.warning(kStart + 22, "program owns SIGPROF");
            parent.thread(raw::RecordType::ThreadEnd, kStart + 60, 102, 1'000'000, "worker");
            parent.processEnd(kStart + 90, 3);
        }
        {
            RawStreamWriter child(dir.file("101.raw"), {.pid = 101,
                                                        .ppid = 100,
                                                        .start_monotonic_ns = kStart + 1'000'000,
                                                        .dropped_samples = 5,
                                                        .frequency_hz = 250,
                                                        .trigger = raw::Trigger::CpuTimer});
            child.process(kStart + 1'000'001, {"child"}, "/usr/bin/child");
            // Thread 103 only ever appears in a sample; the stack was cut by the probe.
            child.sample(kStart + 1'000'100, 200'000, 103, addresses, true);
            child.warning(kStart + 1'000'200, "program owns SIGPROF");
        }
    }

    TempDir dir;
};

TEST_F(CollectorTest, ProcessesCountTimeFromTheEarliestStream) {
    writeTwoProcesses();
    const Profile profile = collect({dir.path(), {}, {}});
    ASSERT_EQ(profile.processes.size(), 2u);
    const Process& parent = profile.processes[0];
    EXPECT_EQ(parent.pid, 100);
    EXPECT_EQ(parent.ppid, 1);
    EXPECT_EQ(parent.command, "./prog -x in put");
    EXPECT_EQ(parent.start_ns, 0);
    EXPECT_EQ(parent.end_ns, 90);
    EXPECT_EQ(parent.exit_status, 3);

    const Process& child = profile.processes[1];
    EXPECT_EQ(child.pid, 101);
    EXPECT_EQ(child.ppid, 100);
    EXPECT_EQ(child.command, "child");
    EXPECT_EQ(child.start_ns, 1'000'000);
    EXPECT_EQ(child.end_ns, 1'000'200); // no ProcessEnd: its last record
    EXPECT_FALSE(child.exit_status.has_value());
}

TEST_F(CollectorTest, ThreadsGetNamesTimesAndCpu) {
    writeTwoProcesses();
    const Profile profile = collect({dir.path(), {}, {}});
    ASSERT_EQ(profile.threads.size(), 3u);
    const Thread& main_thread = threadByTid(profile, 100);
    EXPECT_EQ(main_thread.name, "prog");
    EXPECT_EQ(main_thread.start_ns, 2);
    EXPECT_EQ(main_thread.end_ns, 90); // never ended: ends with its process

    const Thread& worker = threadByTid(profile, 102);
    EXPECT_EQ(worker.name, "worker");
    EXPECT_EQ(worker.start_ns, 3);
    EXPECT_EQ(worker.end_ns, 60);
    EXPECT_EQ(worker.cpu_ns, 1'000'000);
    EXPECT_EQ(profile.process(worker.process).pid, 100);

    const Thread& sampled_only = threadByTid(profile, 103);
    EXPECT_EQ(profile.process(sampled_only.process).pid, 101);
    EXPECT_EQ(sampled_only.start_ns, 1'000'100);
}

TEST_F(CollectorTest, SamplesAreSortedWeightedAndRootFirst) {
    writeTwoProcesses();
    const Profile profile = collect({dir.path(), {}, {}});
    ASSERT_EQ(profile.samples.size(), 3u);
    EXPECT_EQ(profile.samples[0].time_ns, 20);
    EXPECT_EQ(profile.samples[0].weight_ns, 100'000);
    EXPECT_EQ(profile.thread(profile.samples[0].thread).tid, 100);
    EXPECT_EQ(profile.samples[1].time_ns, 50);
    EXPECT_EQ(profile.samples[1].weight_ns, 400'000);

    const std::vector<Frame> leaf_first = leafFirstFrames(profile, profile.samples[1]);
    ASSERT_EQ(leaf_first.size(), 3u);
    EXPECT_EQ(functionName(profile, leaf_first[0]), "[unknown]+0x1111");
    EXPECT_EQ(functionName(profile, leaf_first[2]), "[unknown]+0x3333");
    // The shorter stack shares the outer part of the longer one.
    EXPECT_EQ(profile.stack(profile.samples[1].stack).parent, profile.samples[0].stack);
}

TEST_F(CollectorTest, TruncatedStackGetsASyntheticOutermostFrame) {
    writeTwoProcesses();
    const Profile profile = collect({dir.path(), {}, {}});
    const std::vector<Frame> leaf_first = leafFirstFrames(profile, profile.samples.at(2));
    ASSERT_EQ(leaf_first.size(), 4u);
    EXPECT_EQ(functionName(profile, leaf_first[0]), "[unknown]+0x1111");
    EXPECT_EQ(functionName(profile, leaf_first.back()), "[truncated]");
}

TEST_F(CollectorTest, RunInfoTakesHeaderFactsTheLauncherLeftOpen) {
    writeTwoProcesses();
    const Profile profile = collect({dir.path(), {}, {}});
    EXPECT_EQ(profile.run.frequency_hz, 250u);
    EXPECT_EQ(profile.run.trigger, "cpu-timer");
    EXPECT_EQ(profile.run.dropped_samples, 7u);
    EXPECT_EQ(profile.run.warnings, std::vector<std::string>{"program owns SIGPROF"});

    CollectOptions options{dir.path(), {}, {}};
    options.run.frequency_hz = 999;
    options.run.trigger = "perf-task-clock";
    options.run.warnings = {"from the launcher"};
    const Profile kept = collect(options);
    EXPECT_EQ(kept.run.frequency_hz, 999u);
    EXPECT_EQ(kept.run.trigger, "perf-task-clock");
    EXPECT_EQ(kept.run.warnings,
              (std::vector<std::string>{"from the launcher", "program owns SIGPROF"}));
}

TEST_F(CollectorTest, UnreadableStreamBesideGoodOnesBecomesAWarning) {
    writeTwoProcesses();
    std::ofstream(dir.file("99.raw")) << "garbage";
    const Profile profile = collect({dir.path(), {}, {}});
    EXPECT_EQ(profile.processes.size(), 2u);
    ASSERT_EQ(profile.run.warnings.size(), 2u);
    EXPECT_NE(profile.run.warnings[0].find("99.raw"), std::string::npos);
}

} // namespace
} // namespace hprof::testing
