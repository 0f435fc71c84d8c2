// Ranks of MPI jobs and task farms in the reports (issue 14): labelled in the process table, the
// job on the summary, a column in CSV and members in JSON.
#include "hprof/report.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

using test::report;

// A launcher (pid 100) and its child 200, rank 1 of job "job-7" of 4 ranks.
Profile rankProfile() {
    Profile profile = test::threadsProfile({1, 1}, 10);
    profile.processes[1].rank = 1;
    profile.run.job_id = "job-7";
    profile.run.world_size = 4;
    return profile;
}

ReportOptions byProcess(ReportFormat format) {
    ReportOptions options;
    options.by = GroupBy::Process;
    options.format = format;
    return options;
}

TEST(RankReport, TextLabelsRanksAndNamesTheJob) {
    const std::string text = report(rankProfile(), byProcess(ReportFormat::Text));
    EXPECT_NE(text.find("\n         job job-7, 4 ranks\n"), std::string::npos) << text;
    EXPECT_NE(text.find("./par 200 [rank 1]\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("./par 100 [rank"), std::string::npos) << text;
}

TEST(RankReport, NoJobLineOutsideAJob) {
    const std::string text = report(test::threadsProfile({1}, 10), ReportOptions{});
    EXPECT_EQ(text.find(" job "), std::string::npos) << text;
}

TEST(RankReport, CsvHasARankColumn) {
    const std::string csv = report(rankProfile(), byProcess(ReportFormat::Csv));
    EXPECT_NE(csv.find(",threads,rank\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\n100,1,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",1,\n200,"), std::string::npos) << csv; // rank of pid 100: empty
    EXPECT_EQ(csv.substr(csv.size() - 3), ",1\n") << csv;       // pid 200 is rank 1
}

TEST(RankReport, JsonHasRankAndJob) {
    const std::string json = report(rankProfile(), byProcess(ReportFormat::Json));
    EXPECT_NE(json.find("\"job_id\": \"job-7\",\n  \"world_size\": 4,"), std::string::npos) << json;
    EXPECT_NE(json.find("\"pid\": 100, \"ppid\": 1, "), std::string::npos) << json;
    EXPECT_NE(json.find("\"exit_status\": 0, \"rank\": null, "), std::string::npos) << json;
    EXPECT_NE(json.find("\"exit_status\": 0, \"rank\": 1, "), std::string::npos) << json;
}

} // namespace
} // namespace hprof
