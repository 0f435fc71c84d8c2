// `hprof record --repeat N`: N runs of the program, one after the other, in one profile.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>

using namespace hprof::test;

namespace {

constexpr const char* kSplitSeconds = "0.3"; // about 300 samples a run at 1000 Hz

bool sortedByTime(const hprof::Profile& profile) {
    return std::is_sorted(
        profile.samples.begin(), profile.samples.end(),
        [](const hprof::Sample& a, const hprof::Sample& b) { return a.time_ns < b.time_ns; });
}

} // namespace

TEST(Repeat, ThreeRunsOfSplitMakeOneProfileWithThreeTimesTheRuns) {
    const TempDir once_dir;
    const CommandResult once = recordSample(once_dir, {}, "split", {kSplitSeconds});
    ASSERT_EQ(once.status, 0) << once.err;
    const hprof::Profile one = recordedProfile(once_dir);

    const TempDir dir;
    const CommandResult run = recordSample(dir, {"--repeat", "3"}, "split", {kSplitSeconds});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, once.out + once.out + once.out); // the program's output, three times
    EXPECT_EQ(linesContaining(run.err, "(3 runs, ").size(), 1u) << run.err;
    const hprof::Profile three = recordedProfile(dir);
    EXPECT_EQ(three.run.runs, 3u);
    EXPECT_EQ(three.run.exit_status, 0);
    ASSERT_EQ(three.processes.size(), 3 * one.processes.size());
    for (size_t k = 1; k < three.processes.size(); ++k) {
        EXPECT_NE(three.processes[k].pid, three.processes[k - 1].pid);
        EXPECT_GE(three.processes[k].start_ns, three.processes[k - 1].end_ns) << k;
    }
    EXPECT_EQ(three.threads.size(), 3 * one.threads.size());
    EXPECT_TRUE(sortedByTime(three));
    // The samples stand for the CPU time of all three runs, as each run measured its four parts
    // on its own CPU clock (not a count of samples: a loaded VM's clock can jump by 100 ms in one
    // sample, so the counts of unchanged runs differ), and one function row gathers the three
    // runs: spend_half's share is what the runs measured (about 45%).
    const std::vector<std::string> measured_lines = linesContaining(run.err, "split measured:");
    ASSERT_EQ(measured_lines.size(), 3u) << run.err;
    double measured_s = 0, measured_half_s = 0;
    for (const std::string& line : measured_lines)
        for (const auto& [part, seconds] : parseSplit(line, "split measured:")) {
            measured_s += seconds;
            measured_half_s += part == "spend_half" ? seconds : 0;
        }
    const double sampled_s = double(sampledCpuNs(three)) * 1e-9;
    EXPECT_NEAR(sampled_s, measured_s, 0.15 * measured_s + 0.03);
    EXPECT_NEAR(sampledSecondsOf(three, "spend_half") / sampled_s, measured_half_s / measured_s,
                0.05);

    const CommandResult report = runHprof({"report", "profile.hprof", "--by", "process"}, dir);
    EXPECT_EQ(report.status, 0) << report.err;
    for (const hprof::Process& process : three.processes)
        EXPECT_NE(report.out.find(std::to_string(process.pid)), std::string::npos)
            << process.pid << "\n"
            << report.out;
}

TEST(Repeat, ExitsWithTheFailingRunsStatus) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {"--repeat", "2"}, "exit_status", {"3"});
    EXPECT_EQ(run.status, 3) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    EXPECT_EQ(profile.run.runs, 2u);
    EXPECT_EQ(profile.run.exit_status, 3);
    EXPECT_EQ(profile.processes.size(), 2u);
}

// A run stopped by the user (here SIGINT to the program) ends the repetition: the runs so far are
// written, and hprof exits as the program did.
TEST(Repeat, ARunStoppedByTheUserEndsTheRepetition) {
    const TempDir dir;
    ChildProcess hprof(
        hprofCommand({"-q", "--repeat", "5", "-o", "profile.hprof", samplePath("spin_forever")}),
        {dir.path()});
    ASSERT_EQ(hprof.readLine(), "ready");
    const std::vector<pid_t> children = childrenOf(hprof.pid());
    ASSERT_EQ(children.size(), 1u) << "the program must be hprof's only child";
    ASSERT_TRUE(waitForCpuTime(children.front(), 0.1));
    ASSERT_EQ(kill(children.front(), SIGINT), 0);
    const CommandResult run = hprof.finish();
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.status, 128 + SIGINT) << run.err;
    EXPECT_EQ(linesContaining(run.err, "run 1 of 5 was stopped").size(), 1u) << run.err;
    EXPECT_EQ(run.out, "ready\n"); // the program ran once
    const hprof::Profile profile = recordedProfile(dir);
    EXPECT_EQ(profile.run.runs, 1u);
    EXPECT_EQ(profile.processes.size(), 1u);
    EXPECT_FALSE(profile.samples.empty());
}
