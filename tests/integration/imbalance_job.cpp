#include "imbalance_job.h"

#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace hprof::test {

std::vector<std::string> sortedLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

nlohmann::json expectRankTwoTheSlowestOfFour(const TempDir& dir, const std::string& file) {
    const CommandResult report =
        runHprof({"report", "--format", "json", "--limit", "5", file}, dir);
    EXPECT_EQ(report.status, 0) << report.err;
    if (report.status != 0)
        return {};
    const nlohmann::json balance = nlohmann::json::parse(report.out).at("job");
    EXPECT_EQ(balance.at("ranks").size(), 4u) << balance.dump();
    EXPECT_EQ(balance.at("slowest_rank"), 2) << balance.dump();
    // Rank 2 computes 3 shares, the others 1: max / mean = 3 / 1.5 = 2 for compute_share alone;
    // each rank's start (outside MPI) pulls it towards 1.
    EXPECT_GT(balance.at("load_imbalance").get<double>(), 1.4) << balance.dump();
    return balance;
}

} // namespace hprof::test
