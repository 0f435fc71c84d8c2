// A real MPI job merged (issue 14): Open MPI's mpirun runs samples/mpi/imbalance.c (rank 2 does
// 3x the work in compute_share) with 4 ranks, each under hprof; `hprof merge` makes one profile
// with the four ranks as processes, and the parallelism report names rank 2 as the one the
// others wait for. Built with mpi_test.cpp when CMake finds mpirun and MPI.
#include "hprof/profile_io.h"
#include "hprof_runs.h"
#include "imbalance_job.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <unistd.h>

namespace hprof::test {
namespace {

constexpr int kRanks = 4;
// Million loop steps per share: ~50 ms, well above each rank's start (loading Open MPI's
// libraries), so that compute_share dominates each rank's compute.
const std::string kUnits = "50";

TEST(MpiMerge, RankProfilesMergeIntoOneJobThatNamesTheSlowRank) {
    const TempDir dir;
    std::vector<std::string> argv = {MPIRUN, "--oversubscribe", "-np", std::to_string(kRanks)};
    if (geteuid() == 0)
        argv.insert(argv.begin() + 1, "--allow-run-as-root");
    for (const std::string& arg : hprofCommand({"-q", "-o", "job-%r.hprof", IMBALANCE, kUnits}))
        argv.push_back(arg);
    const CommandResult job =
        ChildProcess(argv, {.working_dir = dir.path(), .seconds_to_finish = 60}).finish();
    ASSERT_EQ(job.status, 0) << job.err;

    std::vector<std::string> merge = {"merge", "-o", "job.hprof"};
    for (int rank = 0; rank < kRanks; ++rank)
        merge.push_back("job-" + std::to_string(rank) + ".hprof");
    const CommandResult merged = runHprof(merge, dir);
    ASSERT_EQ(merged.status, 0) << merged.err;
    EXPECT_EQ(linesContaining(merged.err, "4 inputs on 1 host").size(), 1u) << merged.err;

    const Profile profile = readProfile(dir.file("job.hprof"));
    std::set<int32_t> ranks;
    for (uint32_t id = 0; id < profile.processes.size(); ++id) {
        const Process& process = profile.processes[id];
        if (process.rank < 0)
            continue;
        ranks.insert(process.rank);
        SampleFilter filter;
        filter.processes.include(ProcessId(id));
        EXPECT_TRUE(statsOf(profile, "compute_share", filter).has_value())
            << "rank " << process.rank;
    }
    EXPECT_EQ(ranks, (std::set<int32_t>{0, 1, 2, 3}));
    EXPECT_EQ(profile.run.world_size, kRanks);

    const nlohmann::json balance = expectRankTwoTheSlowestOfFour(dir, "job.hprof");
    ASSERT_FALSE(balance.empty());
    // Where the others waited on a CPU: one of the two places where the ranks meet, the
    // reduction or MPI_Finalize (Open MPI's ompi_mpi_finalize), depending on how the kernel
    // shared the 2 cores among 4 ranks; Open MPI yields the CPU while it waits oversubscribed.
    const std::string wait = balance.at("wait_function").get<std::string>();
    EXPECT_TRUE(wait.find("Allreduce") != std::string::npos ||
                wait.find("inalize") != std::string::npos)
        << balance.dump();
    const CommandResult text = runHprof({"report", "--parallelism", "job.hprof"}, dir);
    EXPECT_EQ(linesContaining(text.out, "rank 2 does").size(), 1u) << text.out;
}

} // namespace
} // namespace hprof::test
