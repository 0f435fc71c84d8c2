// The MPI ranks part of the parallelism report, text and JSON, on a merged synthetic job.
#include "hprof/merge_job.h"
#include "hprof/report.h"
#include "rank_profiles.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace hprof {
namespace {

std::string reportOf(const Profile& profile, ReportFormat format) {
    ReportOptions options;
    options.format = format;
    options.parallelism = ParallelismSection::Full;
    return test::report(profile, options);
}

TEST(JobReport, TextHasARowPerRankTheImbalanceTheSlowestRankAndAmdahlOnCompute) {
    const std::string text = reportOf(mergeJob(test::imbalancedRanks()), ReportFormat::Text);
    EXPECT_NE(text.find("MPI ranks"), std::string::npos) << text;
    EXPECT_NE(text.find("     0  node1      0.030      0.020      0.010    0.67x"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("     2  node1      0.030      0.000      0.030    2.00x"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("load imbalance       2.00 (max / mean compute time of the ranks)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("rank 2 does 2.00x the mean compute; the others wait for it in "
                        "MPI_Allreduce"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("3.00x the speed of one core, counting compute only (serial compute: "
                        "33.3% of it)"),
              std::string::npos)
        << text;
}

TEST(JobReport, JsonHasTheJobMember) {
    const auto json =
        nlohmann::json::parse(reportOf(mergeJob(test::imbalancedRanks()), ReportFormat::Json));
    const auto& job = json.at("job");
    ASSERT_EQ(job.at("ranks").size(), 4u);
    EXPECT_EQ(job.at("ranks")[1].at("rank"), 1);
    EXPECT_DOUBLE_EQ(job.at("ranks")[1].at("mpi_seconds").get<double>(), 0.020);
    EXPECT_DOUBLE_EQ(job.at("ranks")[2].at("compute_seconds").get<double>(), 0.030);
    EXPECT_DOUBLE_EQ(job.at("load_imbalance").get<double>(), 2.0);
    EXPECT_EQ(job.at("slowest_rank"), 2);
    EXPECT_EQ(job.at("wait_function"), "MPI_Allreduce");
    EXPECT_DOUBLE_EQ(job.at("compute").at("speedup_bound_over_one_core").get<double>(), 3.0);
}

TEST(JobReport, WithoutRanksThereIsNoRankSection) {
    Profile plain = test::threadsProfile({1, 1}, 10);
    test::addBusy(plain, 0, 0, 10);
    test::addBusy(plain, 1, 0, 5);
    EXPECT_EQ(reportOf(plain, ReportFormat::Text).find("MPI ranks"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::parse(reportOf(plain, ReportFormat::Json)).at("job").is_null());
}

} // namespace
} // namespace hprof
