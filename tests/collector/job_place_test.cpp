// Ranks of MPI jobs and task farms (issue 14): what the launcher's environment says
// (hprof/job_environment.h), carried by the probe's process record into Process::rank and
// RunInfo::job_id / world_size.
#include "hprof/collector.h"
#include "hprof/job_environment.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace hprof::testing {
namespace {

using test::TempDir;
using Environment = std::map<std::string, std::string>;

JobPlace placeIn(const Environment& environment) {
    return readJobPlace([&](const char* name) -> const char* {
        const auto found = environment.find(name);
        return found == environment.end() ? nullptr : found->second.c_str();
    });
}

TEST(JobEnvironment, OutsideAJobThereIsNoRank) {
    const JobPlace place = placeIn({{"PATH", "/bin"}});
    EXPECT_EQ(place.rank, -1);
    EXPECT_EQ(place.world_size, 0);
    EXPECT_STREQ(place.job_id, "");
}

// What Open MPI 4.1's mpirun sets for rank 1 of 2 (`mpirun -np 2 env`), PMIx included.
TEST(JobEnvironment, ReadsOpenMpi) {
    const JobPlace place = placeIn({{"OMPI_COMM_WORLD_RANK", "1"},
                                    {"OMPI_COMM_WORLD_SIZE", "2"},
                                    {"OMPI_MCA_ess_base_jobid", "920846337"},
                                    {"PMIX_RANK", "1"},
                                    {"PMIX_NAMESPACE", "920846337"}});
    EXPECT_EQ(place.rank, 1);
    EXPECT_EQ(place.world_size, 2);
    EXPECT_STREQ(place.job_id, "920846337");
}

TEST(JobEnvironment, ReadsSrunAndHydra) {
    const JobPlace srun =
        placeIn({{"SLURM_PROCID", "3"}, {"SLURM_NTASKS", "4"}, {"SLURM_JOB_ID", "77"}});
    EXPECT_EQ(srun.rank, 3);
    EXPECT_EQ(srun.world_size, 4);
    EXPECT_STREQ(srun.job_id, "77");
    const JobPlace hydra = placeIn({{"PMI_RANK", "5"}, {"PMI_SIZE", "8"}});
    EXPECT_EQ(hydra.rank, 5);
    EXPECT_EQ(hydra.world_size, 8);
    EXPECT_STREQ(hydra.job_id, "");
}

// The launcher that started the process wins over an enclosing Slurm allocation.
TEST(JobEnvironment, MpiVariablesComeBeforeSlurms) {
    const JobPlace place = placeIn({{"OMPI_COMM_WORLD_RANK", "2"},
                                    {"OMPI_COMM_WORLD_SIZE", "6"},
                                    {"SLURM_PROCID", "0"},
                                    {"SLURM_NTASKS", "1"},
                                    {"SLURM_JOB_ID", "12"}});
    EXPECT_EQ(place.rank, 2);
    EXPECT_EQ(place.world_size, 6);
    EXPECT_STREQ(place.job_id, "12");
}

TEST(JobEnvironment, AJobArrayTaskIsNamedLikeSlurmDoes) {
    const JobPlace place = placeIn({{"SLURM_JOB_ID", "101"},
                                    {"SLURM_ARRAY_JOB_ID", "100"},
                                    {"SLURM_ARRAY_TASK_ID", "1"},
                                    {"SLURM_PROCID", "0"}});
    EXPECT_STREQ(place.job_id, "100_1");
    EXPECT_EQ(place.rank, 0);
}

TEST(JobEnvironment, JunkIsNoRankAndLongIdsAreCut) {
    for (const char* junk : {"", "-1", "1x", " 1", "2147483648", "99999999999999999999"}) {
        const JobPlace place = placeIn({{"OMPI_COMM_WORLD_RANK", junk},
                                        {"OMPI_COMM_WORLD_SIZE", junk},
                                        {"SLURM_JOB_ID", std::string(500, 'j')}});
        EXPECT_EQ(place.rank, -1) << junk;
        EXPECT_EQ(place.world_size, 0) << junk;
        EXPECT_EQ(std::string(place.job_id), std::string(sizeof place.job_id - 1, 'j'));
    }
    EXPECT_EQ(placeIn({{"PMI_RANK", "2147483647"}}).rank, 2147483647);
}

// A launcher (rank-less) and two ranks of job "42": ranks on the processes, the job on the run.
TEST(JobPlaceCollection, RanksReachTheProfile) {
    TempDir dir;
    constexpr uint64_t kStart = 1'000'000'000;
    auto stream = [&](int32_t pid, int32_t ppid, const JobPlace& job) {
        RawStreamWriter writer(dir.file(std::to_string(pid) + ".raw"),
                               {.pid = pid, .ppid = ppid, .start_monotonic_ns = kStart});
        writer.process(kStart, {"rank"}, "/bin/rank", job);
    };
    stream(10, 1, JobPlace{});
    JobPlace rank{.rank = 1, .world_size = 2, .job_id = "42"};
    stream(12, 10, rank);
    rank.rank = 0;
    stream(11, 10, rank);
    const Profile profile = collect({dir.path(), RunInfo{}, {}, {}, 0});
    std::map<int32_t, int32_t> rank_of_pid;
    for (const Process& process : profile.processes)
        rank_of_pid[process.pid] = process.rank;
    EXPECT_EQ(rank_of_pid, (std::map<int32_t, int32_t>{{10, -1}, {11, 0}, {12, 1}}));
    EXPECT_EQ(profile.run.job_id, "42");
    EXPECT_EQ(profile.run.world_size, 2);
}

// `mpirun hprof ...`: hprof's own view of the job (options.run) is kept.
TEST(JobPlaceCollection, TheLaunchersJobInfoComesFirst) {
    TempDir dir;
    RawStreamWriter writer(dir.file("10.raw"), {.pid = 10});
    writer.process(1'000'000'000, {"rank"}, "/bin/rank",
                   JobPlace{.rank = 3, .world_size = 4, .job_id = "from-probe"});
    writer.close();
    RunInfo run;
    run.job_id = "from-hprof";
    run.world_size = 4;
    const Profile profile = collect({dir.path(), run, {}, {}, 0});
    EXPECT_EQ(profile.run.job_id, "from-hprof");
    EXPECT_EQ(profile.run.world_size, 4);
    ASSERT_EQ(profile.processes.size(), 1u);
    EXPECT_EQ(profile.processes[0].rank, 3);
}

} // namespace
} // namespace hprof::testing
