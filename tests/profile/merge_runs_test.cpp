#include "hprof/merge_runs.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hprof {
namespace {

using test::kMs;

// A run of callCountProfile() with its own pid, exit status, extra function and warning, so that
// the merge has something to tell apart.
Profile countRun(int32_t pid, int exit_status, const std::string& extra_function) {
    Profile profile = test::callCountProfile();
    profile.processes[0].pid = pid;
    profile.run.exit_status = exit_status;
    profile.run.cpu_ns = 30 * kMs;
    profile.run.wall_ns = 25 * kMs;
    profile.run.dropped_samples = 1;
    profile.run.warnings = {"same warning", "warning of " + extra_function};
    // A function only this run has, placed before the shared ones so that ids differ per run.
    profile.functions.insert(profile.functions.begin(), {extra_function, "x.c", 1, ModuleId(0)});
    for (Frame& frame : profile.frames)
        frame.function.value += 1;
    for (CallCount& count : profile.call_counts)
        count.function.value += 1;
    for (CallEdge& edge : profile.call_edges)
        if (edge.caller.valid())
            edge.caller.value += 1;
    for (CallEdge& edge : profile.call_edges)
        edge.callee.value += 1;
    return profile;
}

std::vector<Profile> threeRuns() {
    std::vector<Profile> runs;
    runs.push_back(countRun(100, 0, "only_first"));
    runs.push_back(countRun(200, 3, "only_second"));
    runs.push_back(countRun(300, 0, "only_third"));
    return runs;
}

TEST(MergeRuns, KeepsEachRunsProcessesAndThreadsApartInTimeOrder) {
    const Profile merged = mergeRuns(threeRuns());
    ASSERT_EQ(merged.processes.size(), 3u);
    ASSERT_EQ(merged.threads.size(), 6u);
    for (uint32_t run = 0; run < 3; ++run) {
        const Process& process = merged.processes[run];
        EXPECT_EQ(process.pid, int32_t(100 * (run + 1)));
        EXPECT_EQ(process.start_ns, run * 25 * kMs); // each run starts where the previous ended
        EXPECT_EQ(process.end_ns, run * 25 * kMs + 20 * kMs);
        EXPECT_EQ(merged.threads[2 * run].process, ProcessId(run));
        EXPECT_EQ(merged.threads[2 * run + 1].process, ProcessId(run));
    }
    ASSERT_EQ(merged.samples.size(), 15u);
    EXPECT_TRUE(
        std::is_sorted(merged.samples.begin(), merged.samples.end(),
                       [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; }));
    EXPECT_EQ(merged.samples[5].time_ns, 26 * kMs); // run 2's first sample, at 1 ms + 25 ms
    EXPECT_EQ(merged.samples[5].thread, ThreadId(2));
    EXPECT_EQ(merged.samples[14].thread, ThreadId(4)); // run 3's sample at 5 ms, on its main
}

TEST(MergeRuns, InternsSharedSymbolsOnceAndRemapsIds) {
    const Profile merged = mergeRuns(threeRuns());
    EXPECT_EQ(merged.modules.size(), 1u);
    EXPECT_EQ(merged.functions.size(), 7u); // main, A, B, D and one function of each run
    EXPECT_EQ(merged.frames.size(), 3u);    // main, A, B: D and the extra ones are never sampled
    EXPECT_EQ(merged.stacks.size(), test::callCountProfile().stacks.size());
    // Equal stacks of every run point at the same node.
    EXPECT_EQ(merged.samples[0].stack, merged.samples[5].stack);
    EXPECT_EQ(merged.samples[0].stack, merged.samples[10].stack);
    const std::map<std::string, FunctionStats> stats = test::statsByName(merged);
    EXPECT_EQ(stats.at("main").self_ns, 3 * 16 * kMs);
    EXPECT_EQ(stats.at("A").total_ns, 3 * 3 * kMs);
    for (const CallEdge& edge : merged.call_edges) {
        if (edge.caller.valid()) {
            EXPECT_NE(merged.function(edge.caller).name.rfind("only_", 0), 0u);
        }
    }
}

TEST(MergeRuns, KeepsCallCountsPerThreadAndSumsThemInReports) {
    const Profile merged = mergeRuns(threeRuns());
    ASSERT_EQ(merged.call_counts.size(), 18u);
    ASSERT_EQ(merged.call_edges.size(), 21u);
    EXPECT_EQ(merged.call_counts[6].thread, ThreadId(2)); // run 2's first count, its main thread
    EXPECT_EQ(merged.function(merged.call_counts[6].function).name, "main");
    const std::map<std::string, FunctionStats> stats = test::statsByName(merged);
    EXPECT_EQ(stats.at("A").ncalls, 9u);
    EXPECT_EQ(stats.at("A").primitive_calls, 3u);
    EXPECT_EQ(stats.at("D").ncalls, 21u);
}

TEST(MergeRuns, SumsTheRunInfoAndKeepsTheLastFailingExitStatus) {
    const Profile merged = mergeRuns(threeRuns());
    EXPECT_EQ(merged.run.runs, 3u);
    EXPECT_EQ(merged.run.command, std::vector<std::string>{"./m"});
    EXPECT_EQ(merged.run.instrumentation, "counts");
    EXPECT_EQ(merged.run.cpu_ns, 90 * kMs);
    EXPECT_EQ(merged.run.wall_ns, 75 * kMs);
    EXPECT_EQ(merged.run.dropped_samples, 3u);
    EXPECT_EQ(merged.run.exit_status, 3);
    EXPECT_EQ(merged.run.warnings,
              (std::vector<std::string>{"same warning", "warning of only_first",
                                        "warning of only_second", "warning of only_third"}));
}

TEST(MergeRuns, TextReportSaysHowManyRuns) {
    const std::string text = test::report(mergeRuns(threeRuns()), {});
    EXPECT_EQ(text.rfind("hprof: ./m (3 runs)\n", 0), 0u) << text;
    EXPECT_EQ(test::report(test::callCountProfile(), {}).rfind("hprof: ./m\n", 0), 0u);
}

TEST(MergeRuns, ExitStatusIsZeroWhenEveryRunSucceeded) {
    std::vector<Profile> runs;
    runs.push_back(countRun(100, 0, "f"));
    runs.push_back(countRun(200, 0, "g"));
    EXPECT_EQ(mergeRuns(std::move(runs)).run.exit_status, 0);
}

TEST(MergeRuns, OneRunIsUnchanged) {
    std::vector<Profile> runs;
    runs.push_back(test::timedCallCountProfile());
    runs.front().run.wall_ns = 20 * kMs; // as long as its process: the extent of the run
    runs.front().trace_events = {{ThreadId(0), FunctionId(1), 2 * kMs, kMs}};
    const Profile expected = runs.front();
    test::expectEqual(expected, mergeRuns(std::move(runs)));
}

// A forged profile's times near INT64_MAX: shifting the second run saturates, never wraps.
TEST(MergeRuns, ExtremeTimesSaturate) {
    std::vector<Profile> runs;
    runs.push_back(test::richProfile());
    runs.push_back(test::richProfile());
    const Profile merged = mergeRuns(std::move(runs));
    EXPECT_EQ(merged.run.runs, 6u); // each rich profile says it holds 3
    const size_t half = merged.processes.size() / 2;
    for (size_t k = 0; k < half; ++k) {
        EXPECT_GE(merged.processes[half + k].start_ns, merged.processes[k].start_ns) << k;
        EXPECT_GE(merged.processes[half + k].end_ns, merged.processes[k].end_ns) << k;
    }
    EXPECT_TRUE(
        std::is_sorted(merged.samples.begin(), merged.samples.end(),
                       [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; }));
}

TEST(MergeRuns, ShiftsTraceEventsAndKeepsThemSortedByThread) {
    std::vector<Profile> runs;
    runs.push_back(test::timedCallCountProfile());
    runs.push_back(test::timedCallCountProfile());
    for (Profile& run : runs)
        run.trace_events = {{ThreadId(1), FunctionId(1), 2 * kMs, kMs},
                            {ThreadId(0), FunctionId(2), 3 * kMs, kMs}};
    const Profile merged = mergeRuns(std::move(runs));
    ASSERT_EQ(merged.trace_events.size(), 4u);
    EXPECT_EQ(merged.trace_events[0].thread, ThreadId(0));
    EXPECT_EQ(merged.trace_events[3].thread, ThreadId(3));
    EXPECT_EQ(merged.trace_events[3].start_ns, 22 * kMs);
    EXPECT_EQ(*merged.call_counts[2 + 6].tottime_ns, 250 * kMs);
}

} // namespace
} // namespace hprof
