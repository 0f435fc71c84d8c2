// Terminal/machine reports of a profile: the cProfile/pstats-style table, JSON and CSV.
#pragma once

#include "hprof/analysis.h"
#include "hprof/profile.h"
#include "hprof/queries.h"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

namespace hprof {

enum class ReportFormat { Text, Json, Csv };
enum class GroupBy { Process, Thread };
// The text report's parallelism section after the report: none, always the whole section
// (`hprof report --parallelism`), or, as `hprof record` prints it, one line when the whole job
// was one process with one thread (nothing ran in parallel) and the whole section otherwise.
enum class ParallelismSection { None, Full, Proportionate };

struct ReportOptions {
    SortKey sort = SortKey::TotTime;
    std::optional<size_t> limit; // rows of the function table; all if empty
    ReportFormat format = ReportFormat::Text;
    SampleFilter filter;
    // pstats' print_callers / print_callees: instead of the function table, for each function
    // whose name contains this text, the functions that called it / that it called.
    std::optional<std::string> callers_of;
    std::optional<std::string> callees_of;
    // Trace mode: instead of the function table, the kept calls of each thread in time order,
    // nested by their intervals.
    bool trace = false;
    // Instead of the function table, one row per process or thread (`hprof report --by`); the
    // text ends with the parallelism summary. The JSON report always has both tables.
    std::optional<GroupBy> by;
    // Text only: after the report, the parallelism section (summary, process and thread tables,
    // each cut to `limit`). The JSON report always has it.
    ParallelismSection parallelism = ParallelismSection::None;
};

// Parse helpers for the CLI; return nullopt for an unknown word.
std::optional<SortKey> parseSortKey(const std::string& word);
std::optional<ReportFormat> parseReportFormat(const std::string& word);
std::optional<GroupBy> parseGroupBy(const std::string& word);

void printReport(const Profile& profile, const ReportOptions& options, std::ostream& out);

} // namespace hprof
