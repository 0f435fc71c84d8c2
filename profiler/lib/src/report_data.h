// What the three report formats share: the aggregated, sorted and limited data of one report,
// and the number helpers that keep the formats consistent with each other.
#pragma once

#include "hprof/analysis.h"
#include "hprof/report.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

struct ReportData {
    const Profile& profile;
    const ReportOptions& options;
    Totals totals;
    std::vector<FunctionStats> functions; // sorted by options.sort, cut to options.limit
    size_t omitted_functions = 0;         // rows cut by options.limit
    std::vector<ThreadStats> threads;
    std::vector<ProcessStats> processes;
};

double seconds(int64_t ns);
// part / whole, 0 when whole is 0.
double share(int64_t part, int64_t whole);
// Seconds per call; nullopt when the call count is unknown or 0.
std::optional<double> perCall(int64_t ns, std::optional<uint64_t> calls);
// Shortest text that reads back as the same double, for the machine-readable formats.
std::string formatNumber(double value);
std::string joinCommand(const std::vector<std::string>& argv);

void printTextReport(const ReportData& data, std::ostream& out);
void printJsonReport(const ReportData& data, std::ostream& out);
void printCsvReport(const ReportData& data, std::ostream& out);

} // namespace hprof
