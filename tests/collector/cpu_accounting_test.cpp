// The collector keeps CPU times honest: impossible sample weights are cut, a sampled CPU time far
// from the kernel's is named in one warning, a damaged stream is named, and the CPU time spent
// before the probe started is a frame of its own.
#include "hprof/analysis.h"
#include "hprof/collector.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace hprof::testing {
namespace {

using test::TempDir;

constexpr uint64_t kStart = 5'000'000'000; // CLOCK_MONOTONIC of the first process
constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kLeaf[] = {0x1000};

uint64_t at(uint64_t ms) {
    return kStart + ms * kMs;
}

std::vector<std::string> warningsContaining(const Profile& profile, const std::string& text) {
    std::vector<std::string> found;
    for (const std::string& warning : profile.run.warnings) {
        if (warning.find(text) != std::string::npos)
            found.push_back(warning);
    }
    return found;
}

int64_t sampledNs(const Profile& profile, int32_t tid) {
    int64_t total = 0;
    for (const Sample& sample : profile.samples) {
        if (profile.thread(sample.thread).tid == tid && !sample.off_cpu)
            total += sample.weight_ns;
    }
    return total;
}

class CpuAccountingTest : public ::testing::Test {
  protected:
    // Process `pid` (1 kHz) with one thread per entry: `samples` samples of 1 ms each, one per
    // ms, and a ThreadEnd saying the kernel counted `kernel_ms`.
    struct ThreadPlan {
        int32_t tid;
        std::string name;
        int samples;
        uint64_t kernel_ms;
    };
    void writeProcess(int32_t pid, const std::vector<ThreadPlan>& threads) {
        RawStreamWriter writer(dir.file(std::to_string(pid) + ".raw"),
                               {.pid = pid, .ppid = 1, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        for (const ThreadPlan& thread : threads) {
            writer.thread(raw::RecordType::ThreadStart, at(0), thread.tid, 0, thread.name);
            for (int i = 1; i <= thread.samples; ++i)
                writer.sample(at(uint64_t(i)), kMs, thread.tid, kLeaf);
            writer.thread(raw::RecordType::ThreadEnd, at(1000), thread.tid, thread.kernel_ms * kMs,
                          thread.name);
        }
        writer.processEnd(at(1000), 0);
    }
    Profile collectRun() { return collect({dir.path(), {}, {}}); }

    TempDir dir;
};

TEST_F(CpuAccountingTest, ImpossibleWeightIsCutAndNamed) {
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        writer.thread(raw::RecordType::ThreadStart, at(0), 100, 0, "prog");
        writer.sample(at(1), kMs, 100, kLeaf);
        writer.sample(at(2), 9'200'000'000'000'000'000ull, 100, kLeaf); // a damaged weight
        writer.sample(at(3), kMs, 100, kLeaf);
    }
    const Profile profile = collectRun();
    EXPECT_LE(sampledNs(profile, 100), int64_t(3 * kMs + kMs));
    EXPECT_GE(sampledNs(profile, 100), int64_t(3 * kMs));
    EXPECT_EQ(warningsContaining(profile, "claimed more time than their thread").size(), 1u);
}

TEST_F(CpuAccountingTest, ThreadsFarFromTheKernelCountAreNamedInOneWarning) {
    // 0 samples for 500 ms of CPU (a thread that could not be sampled); 100 of 300 ms; 97 of
    // 100 ms is within 5%.
    writeProcess(100, {{100, "main", 97, 100}, {101, "blocker", 0, 500}, {102, "lossy", 100, 300}});
    const Profile profile = collectRun();
    const auto warnings = warningsContaining(profile, "differs from the kernel's accounting");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("in 2 thread(s)"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("tid 101 (blocker, process 100 prog): kernel 0.500 s, sampled "
                               "0.000 s; tid 102 (lossy"),
              std::string::npos)
        << warnings[0];
    EXPECT_EQ(warnings[0].find("tid 100 "), std::string::npos) << warnings[0];
}

TEST_F(CpuAccountingTest, SmallDifferencesAreTolerated) {
    writeProcess(100, {{100, "main", 8, 18}}); // 10 ms short: 55%, but only 10 ms
    EXPECT_TRUE(warningsContaining(collectRun(), "kernel's accounting").empty());
}

// A record in the middle whose size is garbage: every record after it is lost.
TEST_F(CpuAccountingTest, DamagedStreamIsNamedWithWhatWasLost) {
    size_t damaged_at = 0;
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        damaged_at = writer.thread(raw::RecordType::ThreadStart, at(0), 100, 0, "prog");
        for (int i = 1; i <= 10; ++i)
            writer.sample(at(uint64_t(i)), kMs, 100, kLeaf);
    }
    {
        std::fstream file(dir.file("100.raw"), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(std::streamoff(damaged_at));
        const uint32_t garbage = 0xdeadbeef;
        file.write(reinterpret_cast<const char*>(&garbage), sizeof garbage);
    }
    const Profile profile = collectRun();
    EXPECT_TRUE(profile.samples.empty());
    const auto warnings = warningsContaining(profile, "damaged raw stream");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find(dir.file("100.raw")), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("bytes follow a record of impossible size"), std::string::npos)
        << warnings[0];
}

TEST_F(CpuAccountingTest, RecordFailingValidationIsCounted) {
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        writer.launch(raw::RecordType::Exec, at(1), 100, {"a"}, "x"); // made invalid below
        writer.sample(at(2), kMs, 100, kLeaf);
    }
    {
        std::fstream file(dir.file("100.raw"), std::ios::in | std::ios::out | std::ios::binary);
        // The ExecRecord's argc (after the process record) claims more strings than it has.
        const size_t process_size = raw::alignRecordSize(sizeof(raw::ProcessRecord) + 5 + 14);
        file.seekp(
            std::streamoff(raw::kRawHeaderSize + process_size + offsetof(raw::ExecRecord, argc)));
        const uint32_t argc = 100;
        file.write(reinterpret_cast<const char*>(&argc), sizeof argc);
    }
    const Profile profile = collectRun();
    EXPECT_EQ(profile.samples.size(), 1u); // the records after it are still read
    const auto warnings = warningsContaining(profile, "1 record(s) failed validation");
    EXPECT_EQ(warnings.size(), 1u) << ::testing::PrintToString(profile.run.warnings);
}

TEST_F(CpuAccountingTest, ProcessStartCostIsAFrameOfItsOwn) {
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        writer.processStart(at(0), 100, 7 * kMs);
        writer.thread(raw::RecordType::ThreadStart, at(0), 100, 7 * kMs, "prog");
        writer.sample(at(2), 2 * kMs, 100, kLeaf);
        writer.thread(raw::RecordType::ThreadEnd, at(3), 100, 9 * kMs, "prog");
        writer.processEnd(at(3), 0);
    }
    const Profile profile = collectRun();
    ASSERT_EQ(profile.samples.size(), 2u);
    const Sample& start = profile.samples.front();
    EXPECT_EQ(start.weight_ns, int64_t(7 * kMs));
    EXPECT_EQ(functionName(profile, leafFirstFrames(profile, start).front()),
              "[process start: exec, dynamic loading]");
    EXPECT_EQ(sampledNs(profile, 100), profile.threads.front().cpu_ns);
    EXPECT_TRUE(warningsContaining(profile, "kernel's accounting").empty());
}

// The thread CPU clock survives exec: the new image's start cost and CPU time leave out what
// the thread had used in the image it replaced.
TEST_F(CpuAccountingTest, ExecdImageDoesNotCountItsPredecessorsCpuAgain) {
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"shell"}, "/bin/sh");
        writer.processStart(at(0), 100, 1 * kMs);
        writer.thread(raw::RecordType::ThreadStart, at(0), 100, 1 * kMs, "sh");
        writer.sample(at(5), 4 * kMs, 100, kLeaf); // 5 ms of CPU by now
        writer.launch(raw::RecordType::Exec, at(6), 100, {"prog"}, "/usr/bin/prog");
    }
    {
        RawStreamWriter writer(dir.file("100-1.raw"), {.pid = 100, .start_monotonic_ns = at(7)});
        writer.process(at(7), {"prog"}, "/usr/bin/prog");
        writer.processStart(at(7), 100, 8 * kMs); // 3 ms of exec and loading
        writer.thread(raw::RecordType::ThreadStart, at(7), 100, 8 * kMs, "prog");
        writer.sample(at(10), 2 * kMs, 100, kLeaf);
        writer.thread(raw::RecordType::ThreadEnd, at(11), 100, 10 * kMs, "prog");
        writer.processEnd(at(11), 0);
    }
    const Profile profile = collectRun();
    int64_t total = 0;
    for (const Sample& sample : profile.samples)
        total += sample.weight_ns;
    EXPECT_EQ(total, int64_t(10 * kMs)); // what the kernel counted for the thread, once
    const auto prog = std::find_if(profile.threads.begin(), profile.threads.end(),
                                   [](const Thread& thread) { return thread.name == "prog"; });
    ASSERT_NE(prog, profile.threads.end());
    EXPECT_EQ(prog->cpu_ns, int64_t(5 * kMs));
}

// Wall-clock mode: on-CPU, blocked (seen or not) and run-queue time each have their place, and
// per thread they add up to what the stream recorded.
TEST_F(CpuAccountingTest, RunQueueAndUnseenWaitsAreTimesOfTheirOwn) {
    {
        RawStreamWriter writer(dir.file("100.raw"), {.pid = 100, .start_monotonic_ns = kStart});
        writer.process(at(0), {"prog"}, "/usr/bin/prog");
        writer.thread(raw::RecordType::ThreadStart, at(0), 100, 0, "prog");
        writer.sample(at(4), 2 * kMs, 100, kLeaf);
        writer.sample(at(8), 3 * kMs, 100, kLeaf, false, true); // blocked, seen
        writer.sample(at(12), 1 * kMs, 100, {}, false, true);   // blocked, not seen
        writer.runQueue(at(40), 100, 20 * kMs);                 // waiting for a CPU
        writer.thread(raw::RecordType::ThreadEnd, at(40), 100, 2 * kMs, "prog");
    }
    const Profile profile = collectRun();
    ASSERT_EQ(profile.samples.size(), 4u);
    std::map<std::string, const Sample*> by_leaf;
    for (const Sample& sample : profile.samples)
        by_leaf[functionName(profile, leafFirstFrames(profile, sample).front())] = &sample;
    const Sample* run_queue = by_leaf["[waiting for a CPU (run queue)]"];
    ASSERT_NE(run_queue, nullptr);
    EXPECT_TRUE(run_queue->run_queue);
    EXPECT_FALSE(run_queue->off_cpu);
    EXPECT_EQ(run_queue->weight_ns, int64_t(20 * kMs));
    const Sample* unseen = by_leaf["[blocked: waits between two wall samples]"];
    ASSERT_NE(unseen, nullptr);
    EXPECT_TRUE(unseen->off_cpu);
    EXPECT_EQ(unseen->weight_ns, int64_t(kMs));

    const std::vector<ThreadStats> threads = computeThreadStats(profile);
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_EQ(threads[0].cpu_ns, int64_t(2 * kMs));
    EXPECT_EQ(threads[0].off_cpu_ns, int64_t(4 * kMs));
    EXPECT_EQ(threads[0].run_queue_ns, int64_t(20 * kMs));
    const Totals totals = computeTotals(profile);
    EXPECT_EQ(totals.cpu_ns + totals.off_cpu_ns + totals.run_queue_ns, int64_t(26 * kMs));
    EXPECT_EQ(totals.weight_ns, int64_t(26 * kMs));
    // Waiting for a CPU is not CPU time: the thread's 2 ms match the kernel's.
    EXPECT_TRUE(warningsContaining(profile, "kernel's accounting").empty());
}

} // namespace
} // namespace hprof::testing
