// Real MPI jobs (issue 14): Open MPI's mpirun runs samples/mpi/imbalance.c (rank 2 does 3x the
// work in compute_share) with 4 ranks, each under hprof, or all of them under one hprof. Built
// only when CMake finds mpirun and MPI (tests/integration/CMakeLists.txt).
#include "hprof/profile_io.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>
#include <unistd.h>

namespace hprof::test {
namespace {

constexpr int kRanks = 4;
const std::string kUnits = "5"; // million loop steps per share: tens of ms

// mpirun's own options: 4 ranks on a 2-core machine, and root only where the tests run as root
// (Open MPI refuses root without the flag).
std::vector<std::string> mpirun(std::vector<std::string> program) {
    std::vector<std::string> argv = {MPIRUN, "--oversubscribe", "-np", std::to_string(kRanks)};
    if (geteuid() == 0)
        argv.insert(argv.begin() + 1, "--allow-run-as-root");
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

CommandResult run(const std::vector<std::string>& argv, const TempDir& dir) {
    return ChildProcess(argv, {.working_dir = dir.path(), .seconds_to_finish = 60}).finish();
}

// The lines of a job's stdout in order: ranks print in any order.
std::vector<std::string> sortedLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

std::vector<std::string> hprofRecord(const std::string& output, std::vector<std::string> args) {
    std::vector<std::string> command = hprofCommand({"-q", "-o", output, IMBALANCE, kUnits});
    command.insert(command.end(), args.begin(), args.end());
    return command;
}

std::set<int32_t> ranksOf(const Profile& profile) {
    std::set<int32_t> ranks;
    for (const Process& process : profile.processes)
        if (process.rank >= 0)
            ranks.insert(process.rank);
    return ranks;
}

TEST(MpiJob, OneProfilePerRankWithItsRankAndTheJob) {
    const TempDir dir;
    const CommandResult bare = run(mpirun({IMBALANCE, kUnits}), dir);
    ASSERT_EQ(bare.status, 0) << bare.err;
    const CommandResult profiled = run(mpirun(hprofRecord("job-%r.hprof", {})), dir);
    EXPECT_EQ(profiled.status, 0) << profiled.err;
    EXPECT_EQ(sortedLines(profiled.out), sortedLines(bare.out));
    std::set<std::string> job_ids;
    std::vector<int64_t> compute_ns;
    for (int rank = 0; rank < kRanks; ++rank) {
        SCOPED_TRACE("rank " + std::to_string(rank));
        const Profile profile = readProfile(dir.file("job-" + std::to_string(rank) + ".hprof"));
        EXPECT_EQ(ranksOf(profile), std::set<int32_t>{rank});
        EXPECT_EQ(profile.run.world_size, kRanks);
        job_ids.insert(profile.run.job_id);
        const auto compute = statsOf(profile, "compute_share");
        ASSERT_TRUE(compute.has_value());
        compute_ns.push_back(compute->self_ns);
    }
    EXPECT_EQ(job_ids.size(), 1u);
    EXPECT_FALSE(job_ids.begin()->empty());
    // CPU time, not wall time: rank 2's three shares cost about three times as much CPU.
    for (int rank : {0, 1, 3})
        EXPECT_GT(compute_ns[2], 3 * compute_ns[rank] / 2) << "rank " << rank;
}

TEST(MpiJob, ACrashingRankLeavesItsProfileAndMpirunsStatusPassesThrough) {
    const TempDir dir;
    const CommandResult bare = run(mpirun({IMBALANCE, kUnits, "crash"}), dir);
    ASSERT_NE(bare.status, 0) << bare.err;
    const CommandResult profiled = run(mpirun(hprofRecord("job-%r.hprof", {"crash"})), dir);
    EXPECT_EQ(profiled.status, bare.status) << profiled.err;
    const Profile crashed = readProfile(dir.file("job-1.hprof"));
    EXPECT_EQ(ranksOf(crashed), std::set<int32_t>{1});
    EXPECT_EQ(crashed.run.exit_status, 128 + SIGSEGV);
    EXPECT_TRUE(statsOf(crashed, "compute_share").has_value());
}

TEST(MpiJob, HprofMpirunProfilesEveryRankInOneProfile) {
    const TempDir dir;
    const CommandResult bare = run(mpirun({IMBALANCE, kUnits}), dir);
    ASSERT_EQ(bare.status, 0) << bare.err;
    std::vector<std::string> command = hprofCommand({"-q", "-o", "job.hprof"});
    const std::vector<std::string> job = mpirun({IMBALANCE, kUnits});
    command.insert(command.end(), job.begin(), job.end());
    const CommandResult profiled = run(command, dir);
    EXPECT_EQ(profiled.status, 0) << profiled.err;
    EXPECT_EQ(sortedLines(profiled.out), sortedLines(bare.out));
    const Profile profile = readProfile(dir.file("job.hprof"));
    EXPECT_EQ(ranksOf(profile), (std::set<int32_t>{0, 1, 2, 3}));
    EXPECT_EQ(profile.run.world_size, kRanks);
    EXPECT_FALSE(profile.run.job_id.empty());
    EXPECT_EQ(profile.processes[rootOf(profile).value].rank, -1); // mpirun itself
    // The report labels the ranks.
    const CommandResult report = runHprof({"report", "--by", "process", "job.hprof"}, dir);
    for (int rank = 0; rank < kRanks; ++rank)
        EXPECT_NE(report.out.find("[rank " + std::to_string(rank) + "]"), std::string::npos)
            << report.out;
}

} // namespace
} // namespace hprof::test
