// A real MPICH job (issue 14): samples/mpi/imbalance.c (rank 2 does 3x the work in
// compute_share) built with MPICH's mpicc.mpich and run by its Hydra launcher (mpiexec.hydra)
// with 4 ranks, each under hprof. Hydra tells each rank its place through PMI_RANK and PMI_SIZE
// only (no job id). Skipped, saying so, where mpicc.mpich is not installed (Debian: mpich,
// which scripts/setup.sh installs next to Open MPI, the default mpirun/mpicc).
#include "hprof/profile_io.h"
#include "hprof_runs.h"
#include "imbalance_job.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace hprof::test {
namespace {

constexpr int kRanks = 4;
const std::string kUnits = "50"; // million loop steps per share: ~50 ms

CommandResult runIn(const TempDir& dir, const std::vector<std::string>& argv) {
    return ChildProcess(argv, {.working_dir = dir.path(), .seconds_to_finish = 60}).finish();
}

std::vector<std::string> hydra(const std::vector<std::string>& program) {
    std::vector<std::string> argv = {MPIEXEC_HYDRA, "-n", std::to_string(kRanks)};
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

TEST(MpichJob, HydraRanksAreLabelledMergedAndTheSlowRankNamed) {
    if (std::string(MPICC_MPICH).empty())
        GTEST_SKIP() << "mpicc.mpich not found (Debian package mpich): MPICH is not tested";
    const TempDir dir;
    const CommandResult built =
        runIn(dir, {MPICC_MPICH, "-O2", "-g", IMBALANCE_SOURCE, "-o", dir.file("imbalance_mpich")});
    ASSERT_EQ(built.status, 0) << built.err;
    const std::string program = dir.file("imbalance_mpich");

    const CommandResult bare = runIn(dir, hydra({program, kUnits}));
    ASSERT_EQ(bare.status, 0) << bare.err;
    const CommandResult profiled =
        runIn(dir, hydra(hprofCommand({"-q", "-o", "job-%r.hprof", program, kUnits})));
    ASSERT_EQ(profiled.status, 0) << profiled.err;
    EXPECT_EQ(sortedLines(profiled.out), sortedLines(bare.out));

    std::vector<std::string> merge = {"merge", "-o", "job.hprof"};
    for (int rank = 0; rank < kRanks; ++rank) {
        SCOPED_TRACE("rank " + std::to_string(rank));
        const std::string file = "job-" + std::to_string(rank) + ".hprof";
        const Profile profile = readProfile(dir.file(file));
        ASSERT_EQ(profile.processes.size(), 1u);
        EXPECT_EQ(profile.processes[0].rank, rank); // from PMI_RANK
        EXPECT_EQ(profile.run.world_size, kRanks);  // from PMI_SIZE
        EXPECT_TRUE(statsOf(profile, "compute_share").has_value());
        merge.push_back(file);
    }
    const CommandResult merged = runHprof(merge, dir);
    ASSERT_EQ(merged.status, 0) << merged.err;
    EXPECT_EQ(linesContaining(merged.err, "4 processes, 4 ranks (0-3)").size(), 1u) << merged.err;

    const nlohmann::json balance = expectRankTwoTheSlowestOfFour(dir, "job.hprof");
    ASSERT_FALSE(balance.empty());
    // MPICH busy-waits in the reduction inside libmpich (PMPI_Allreduce and below).
    EXPECT_NE(balance.at("wait_function").get<std::string>().find("Allreduce"), std::string::npos)
        << balance.dump();
}

} // namespace
} // namespace hprof::test
