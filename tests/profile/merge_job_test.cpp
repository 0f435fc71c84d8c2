#include "hprof/merge_job.h"
#include "rank_profiles.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hprof {
namespace {

using test::kMs;
using test::rankProfile;
using test::RankShape;

constexpr int64_t kStart = 1'700'000'000'000'000'000;

// Ranks 0-2 on one host, started 0, 5 and 2 ms after kStart, with 10, 20 and 30 ms of compute.
std::vector<Profile> threeRanks() {
    std::vector<Profile> ranks;
    ranks.push_back(rankProfile({.rank = 0, .start_unix_ns = kStart, .compute_ms = 10}));
    ranks.push_back(rankProfile({.rank = 1, .start_unix_ns = kStart + 5 * kMs, .compute_ms = 20}));
    ranks.push_back(rankProfile({.rank = 2, .start_unix_ns = kStart + 2 * kMs, .compute_ms = 30}));
    return ranks;
}

bool hasWarning(const Profile& profile, const std::string& part) {
    return std::any_of(profile.run.warnings.begin(), profile.run.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

TEST(MergeJob, EveryInputsProcessIsAProcessOfTheResultWithItsRankAndHost) {
    const Profile job = mergeJob(threeRanks());
    ASSERT_EQ(job.processes.size(), 3u);
    ASSERT_EQ(job.threads.size(), 3u);
    for (int32_t rank = 0; rank < 3; ++rank) {
        const Process& process = job.processes[size_t(rank)];
        EXPECT_EQ(process.rank, rank);
        EXPECT_EQ(process.pid, 1000 + rank);
        EXPECT_EQ(process.host, "node1"); // from the input's RunInfo::host
        EXPECT_EQ(job.threads[size_t(rank)].process, ProcessId(uint32_t(rank)));
    }
    EXPECT_EQ(job.samples.size(), 60u);
}

TEST(MergeJob, AlignsTimesOnTheRecordedStartsWithTheEarliestAtZero) {
    const Profile job = mergeJob(threeRanks());
    EXPECT_EQ(job.run.start_time_unix_ns, kStart);
    EXPECT_EQ(job.processes[0].start_ns, 0);
    EXPECT_EQ(job.processes[1].start_ns, 5 * kMs);
    EXPECT_EQ(job.processes[1].end_ns, 25 * kMs);
    EXPECT_EQ(job.processes[2].start_ns, 2 * kMs);
    EXPECT_EQ(job.threads[2].end_ns, 32 * kMs);
    EXPECT_EQ(job.run.wall_ns, 32 * kMs); // from the earliest start to rank 2's end
    EXPECT_TRUE(
        std::is_sorted(job.samples.begin(), job.samples.end(),
                       [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; }));
    // Rank 1's first sample, 1 ms into its run, lands 1 ms after its start.
    const auto first_of_rank1 =
        std::find_if(job.samples.begin(), job.samples.end(),
                     [](const Sample& s) { return s.thread == ThreadId(1); });
    ASSERT_NE(first_of_rank1, job.samples.end());
    EXPECT_EQ(first_of_rank1->time_ns, 6 * kMs);
}

TEST(MergeJob, InternsSymbolsOnceAndKeepsEachRanksFunctionTimes) {
    const Profile job = mergeJob(threeRanks());
    const Profile one = rankProfile({});
    EXPECT_EQ(job.modules.size(), one.modules.size());
    EXPECT_EQ(job.functions.size(), one.functions.size());
    EXPECT_EQ(job.stacks.size(), one.stacks.size());
    EXPECT_EQ(test::statsByName(job).at("compute").self_ns, 60 * kMs);
}

TEST(MergeJob, RunInfoSumsCpuKeepsTheJobAndCollectsWarningsOnce) {
    std::vector<Profile> ranks = threeRanks();
    for (Profile& rank : ranks)
        rank.run.warnings = {"shared warning"};
    ranks[1].run.exit_status = 3;
    ranks[2].run.dropped_samples = 7;
    const Profile job = mergeJob(std::move(ranks));
    EXPECT_EQ(job.run.cpu_ns, 60 * kMs);
    EXPECT_EQ(job.run.job_id, "42");
    EXPECT_EQ(job.run.world_size, 4);
    EXPECT_EQ(job.run.host, "node1");
    EXPECT_EQ(job.run.exit_status, 3);
    EXPECT_EQ(job.run.dropped_samples, 7u);
    EXPECT_EQ(job.run.runs, 1u);
    EXPECT_EQ(std::count(job.run.warnings.begin(), job.run.warnings.end(), "shared warning"), 1);
    // World size 4, ranks 0-2 given: rank 3 is missing.
    EXPECT_TRUE(hasWarning(job, "ranks 3 of 4 have no profile"));
    EXPECT_FALSE(hasWarning(job, "jobs"));
    EXPECT_FALSE(hasWarning(job, "hosts"));
}

TEST(MergeJob, WarnsAboutInputsOfOtherJobsAndRanksGivenTwice) {
    std::vector<Profile> ranks = threeRanks();
    ranks[2].run.job_id = "77";
    ranks[2].processes[0].rank = 1;
    const Profile job = mergeJob(std::move(ranks));
    EXPECT_TRUE(hasWarning(job, "the inputs come from 2 jobs: 42, 77"));
    EXPECT_TRUE(hasWarning(job, "rank 1 is in 2 inputs: input 2, input 3"));
    EXPECT_TRUE(hasWarning(job, "ranks 2, 3 of 4"));
}

TEST(MergeJob, SeveralHostsAreNamedPerProcessAndTheAlignmentCaveatIsSaid) {
    std::vector<Profile> ranks = threeRanks();
    ranks[1].run.host = "node2";
    ranks[2].processes[0].host = "own-host"; // a process's own host wins over its input's
    JobMerger merger;
    for (size_t index = 0; index < ranks.size(); ++index)
        merger.add(std::move(ranks[index]), "rank" + std::to_string(index) + ".hprof");
    const JobSummary summary = merger.summary();
    const Profile job = merger.finish();
    EXPECT_EQ(job.processes[1].host, "node2");
    EXPECT_EQ(job.processes[2].host, "own-host");
    EXPECT_EQ(job.run.host, "node1, node2");
    EXPECT_TRUE(hasWarning(job, "aligned only as well as the hosts' clocks agree"));
    EXPECT_EQ(summary.inputs, 3u);
    EXPECT_EQ(summary.startSpreadNs(), 5 * kMs);
    const std::string text = describeAlignment(summary);
    EXPECT_NE(text.find("3 inputs on 2 hosts"), std::string::npos) << text;
    EXPECT_NE(text.find("spread over 0.005 s"), std::string::npos) << text;
    EXPECT_NE(text.find("clocks agree"), std::string::npos) << text;
}

TEST(MergeJob, AnInputWithoutAStartTimeIsPlacedAtTheStartAndSaidSo) {
    std::vector<Profile> ranks = threeRanks();
    ranks[0].run.start_time_unix_ns = 0; // e.g. imported: the source had no start time
    const Profile job = mergeJob(std::move(ranks));
    EXPECT_EQ(job.run.start_time_unix_ns, kStart + 2 * kMs); // the earliest known start
    EXPECT_EQ(job.processes[0].start_ns, 0);
    EXPECT_EQ(job.processes[1].start_ns, 3 * kMs);
    EXPECT_EQ(job.processes[2].start_ns, 0);
    EXPECT_TRUE(hasWarning(job, "no start time in input 1"));
}

TEST(MergeJob, TaskFarmInputsOfDifferentProgramsMergeAlike) {
    std::vector<Profile> tasks = threeRanks();
    tasks[1].run.command = {"/bin/other"};
    for (Profile& task : tasks) {
        task.processes[0].rank = -1; // tasks of GNU parallel have no rank
        task.run.world_size = 0;
        task.run.job_id.clear();
    }
    JobMerger merger;
    for (Profile& task : tasks)
        merger.add(std::move(task), "task");
    EXPECT_EQ(merger.summary().programs, (std::vector<std::string>{"/app/solver", "/bin/other"}));
    const Profile job = merger.finish();
    EXPECT_EQ(job.processes.size(), 3u);
    EXPECT_EQ(job.run.command[0], "/app/solver");
    EXPECT_TRUE(job.run.warnings.empty());
}

TEST(MergeJob, LongListsInWarningsStayOneShortLine) {
    std::vector<Profile> tasks; // a job array: every task is rank 0 of a job of its own
    for (int task = 0; task < 20; ++task) {
        tasks.push_back(rankProfile({.rank = 0}));
        tasks.back().run.job_id = "array_" + std::to_string(task);
        tasks.back().run.world_size = 1;
    }
    const Profile job = mergeJob(std::move(tasks));
    EXPECT_TRUE(hasWarning(job, "the inputs come from 20 jobs: array_0, array_1, array_2, array_3, "
                                "array_4, array_5, array_6, array_7 and 12 more"));
    EXPECT_TRUE(hasWarning(job, "rank 0 is in 20 inputs: input 1, input 2, input 3, input 4, "
                                "input 5, input 6, input 7, input 8 and 12 more"));
}

TEST(MergeJob, NothingGivesAnEmptyProfile) {
    const Profile job = mergeJob({});
    EXPECT_TRUE(job.processes.empty());
    EXPECT_TRUE(job.samples.empty());
    EXPECT_EQ(job.run.wall_ns, 0);
}

} // namespace
} // namespace hprof
