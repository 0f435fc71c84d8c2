#include "hprof/job_balance.h"
#include "hprof/merge_job.h"
#include "rank_profiles.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hprof {
namespace {

using test::kMs;
using test::rankProfile;

Profile imbalancedJob() {
    return mergeJob(test::imbalancedRanks());
}

JobBalance balanceOf(const Profile& profile, const SampleFilter& filter = {}) {
    const SampleSelector selector(profile, filter);
    std::optional<JobBalance> job = computeJobBalance(selector, computeParallelism(selector));
    EXPECT_TRUE(job.has_value());
    return job.value_or(JobBalance{});
}

TEST(JobBalance, RecognisesMpiLibrariesAndTheirTransportsByFileName) {
    for (const char* path : {"/usr/lib/x86_64-linux-gnu/libmpi.so.40", "libmpich.so.12",
                             "/usr/lib/libopen-pal.so.40.30.2", "libopen-rte.so.40",
                             "/usr/lib/x86_64-linux-gnu/pmix2/lib/libpmix.so.2",
                             "/usr/lib/x86_64-linux-gnu/openmpi/lib/openmpi3/mca_btl_vader.so",
                             "libucp.so.0", "libuct.so.0", "libfabric.so.1"})
        EXPECT_TRUE(isMpiModule(path)) << path;
    for (const char* path : {"/usr/lib/libc.so.6", "/app/solver", "/opt/mpi/bin/app", "libm.so.6",
                             "/usr/lib/mca_not/libfoo.so"})
        EXPECT_FALSE(isMpiModule(path)) << path;
}

TEST(JobBalance, SplitsEachRanksCpuIntoMpiAndCompute) {
    const JobBalance job = balanceOf(imbalancedJob());
    ASSERT_EQ(job.ranks.size(), 4u);
    for (int32_t rank = 0; rank < 4; ++rank) {
        const RankBalance& row = job.ranks[size_t(rank)];
        EXPECT_EQ(row.rank, rank);
        EXPECT_EQ(row.host, "node1");
        EXPECT_EQ(row.cpu_ns, 30 * kMs);
        EXPECT_EQ(row.mpi_ns, rank == 2 ? 0 : 20 * kMs);
        EXPECT_EQ(row.computeNs(), rank == 2 ? 30 * kMs : 10 * kMs);
    }
}

TEST(JobBalance, NamesTheSlowestRankTheImbalanceAndWhereTheOthersWait) {
    const JobBalance job = balanceOf(imbalancedJob());
    EXPECT_EQ(job.mean_compute_ns, 15 * kMs);
    EXPECT_DOUBLE_EQ(job.imbalance, 2.0);
    EXPECT_EQ(job.ranks[job.slowest].rank, 2);
    EXPECT_EQ(job.wait_function, "MPI_Allreduce");
}

TEST(JobBalance, StartUpInMpiInitIsNotWhereTheOthersWait) {
    std::vector<Profile> ranks = test::imbalancedRanks();
    // Rank 0 spent 80 ms in MPI_Init (start-up), more than all ranks in MPI_Allreduce (60 ms).
    Profile& rank0 = ranks[0];
    const ModuleId mpi(1);
    ASSERT_EQ(rank0.module(mpi).path.find("libmpi"), rank0.module(mpi).path.rfind('/') + 1);
    rank0.functions.push_back({"MPI_Init", "", 0, mpi});
    rank0.frames.push_back({FunctionId(uint32_t(rank0.functions.size() - 1)), 0, false});
    rank0.stacks.push_back({StackId(0), FrameId(uint32_t(rank0.frames.size() - 1))});
    for (int64_t ms = 31; ms <= 110; ++ms)
        rank0.samples.push_back(
            {ms * kMs, ThreadId(0), StackId(uint32_t(rank0.stacks.size() - 1)), kMs});
    const JobBalance job = balanceOf(mergeJob(std::move(ranks)));
    EXPECT_EQ(job.ranks[0].mpi_ns, 100 * kMs);
    EXPECT_EQ(job.wait_function, "MPI_Allreduce");
}

TEST(JobBalance, AmdahlsBoundCountsComputeOnly) {
    const JobBalance job = balanceOf(imbalancedJob());
    // Compute: 4 ranks for 10 ms, then rank 2 alone for 20 ms: 20 of the 60 ms of compute are
    // serial, so the bound is 3x one core; MPI's busy-waiting would have hidden that (4 threads on
    // a CPU throughout).
    EXPECT_EQ(job.compute.cpu_ns, 60 * kMs);
    EXPECT_EQ(job.compute.serial_ns, 20 * kMs);
    ASSERT_TRUE(job.compute.speedupBoundOverOneCore());
    EXPECT_DOUBLE_EQ(*job.compute.speedupBoundOverOneCore(), 3.0);
    EXPECT_EQ(computeParallelism(imbalancedJob()).serial_ns, 0);
}

TEST(JobBalance, TimeInLibcUnderAnMpiCallIsMpiTime) {
    Profile profile = rankProfile({.rank = 0, .compute_ms = 10, .mpi_ms = 5});
    // Move the MPI samples to main -> MPI_Allreduce -> poll (libc): the busy wait's system call.
    const auto allreduce =
        std::find_if(profile.stacks.begin(), profile.stacks.end(), [&](auto& node) {
            return profile.function(profile.frame(node.frame).function).name == "MPI_Allreduce";
        });
    ASSERT_NE(allreduce, profile.stacks.end());
    profile.modules.push_back({"/usr/lib/x86_64-linux-gnu/libc.so.6", ""});
    profile.functions.push_back({"poll", "", 0, ModuleId(uint32_t(profile.modules.size() - 1))});
    profile.frames.push_back({FunctionId(uint32_t(profile.functions.size() - 1)), 0, false});
    profile.stacks.push_back({StackId(uint32_t(allreduce - profile.stacks.begin())),
                              FrameId(uint32_t(profile.frames.size() - 1))});
    for (Sample& sample : profile.samples)
        if (sample.time_ns > 10 * kMs)
            sample.stack = StackId(uint32_t(profile.stacks.size() - 1));
    const JobBalance job = balanceOf(profile);
    ASSERT_EQ(job.ranks.size(), 1u);
    EXPECT_EQ(job.ranks[0].mpi_ns, 5 * kMs);
    EXPECT_EQ(job.ranks[0].computeNs(), 10 * kMs);
}

TEST(JobBalance, FollowsTheFilterAndIsAbsentWithoutRanks) {
    const Profile job = imbalancedJob();
    SampleFilter filter;
    filter.processes.include(ProcessId(1));
    const JobBalance one = balanceOf(job, filter);
    ASSERT_EQ(one.ranks.size(), 1u);
    EXPECT_EQ(one.ranks[0].rank, 1);
    EXPECT_DOUBLE_EQ(one.imbalance, 1.0);
    const Profile plain = test::threadsProfile({2}, 10);
    const SampleSelector selector(plain, {});
    EXPECT_FALSE(computeJobBalance(selector, computeParallelism(selector)).has_value());
}

} // namespace
} // namespace hprof
