// What the three report formats share: the aggregated, sorted and limited data of one report,
// and the number helpers that keep the formats consistent with each other.
#pragma once

#include "hprof/analysis.h"
#include "hprof/function_labels.h"
#include "hprof/job_balance.h"
#include "hprof/parallelism.h"
#include "hprof/queries.h"
#include "hprof/report.h"
#include "saturating.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

// One function that --callers / --callees matched, with its callers or callees.
struct RelationBlock {
    FunctionStats function;
    std::vector<EdgeStats> edges;
};

// The pstats print_callers / print_callees view that replaces the function table.
struct RelationReport {
    bool callers = true;               // false: the edges are callees
    std::string restriction;           // the text names were matched against
    size_t candidates = 0;             // functions of the table the restriction chose from
    size_t matches = 0;                // functions whose name contains the restriction
    std::vector<RelationBlock> blocks; // in table order, cut to options.limit
};

struct ReportData {
    const Profile& profile;
    const ReportOptions& options;
    FunctionLabels labels;
    Totals totals;
    std::optional<CallTotals> calls;               // nullopt unless the run was instrumented
    std::vector<FunctionStats> functions;          // sorted by options.sort, cut to options.limit
    size_t omitted_functions = 0;                  // rows cut by options.limit
    std::vector<ThreadStats> threads;              // the rows of --by thread, uncut
    std::vector<ProcessStats> processes;           // the rows of --by process, uncut
    std::optional<RelationReport> relations;       // set for --callers / --callees
    std::optional<std::vector<ThreadTrace>> trace; // set for --trace
    Parallelism parallelism;
    bool off_cpu = false; // the profile has off-CPU samples (wall-clock mode): show their part
    std::optional<JobBalance> job; // the ranks of an MPI job; nullopt when no process has a rank
};

// The busy span and CPU of a thread or process inside the parallelism window; nullptr when it
// was never on a CPU there.
const BusyStats* busyOf(const ReportData& data, ThreadId thread);
const BusyStats* busyOf(const ReportData& data, ProcessId process);
// The strip of a thread's CPU over time; nullptr when it was never on a CPU in the window.
const std::vector<double>* timelineOf(const ReportData& data, ThreadId thread);
// Process::parent's pid; nullopt for the first process of the run.
std::optional<int32_t> parentPid(const Profile& profile, const Process& process);

double seconds(int64_t ns);
// Exact instrumented times in seconds; nullopt when unknown.
std::optional<double> seconds(std::optional<int64_t> ns);
// ns as milliseconds, for the trace view.
double milliseconds(int64_t ns);
// Seconds since the run start of a busy span's ends; nullopt without a span.
std::optional<double> busyFrom(const BusyStats* busy);
std::optional<double> busyTo(const BusyStats* busy);
// Seconds per call; nullopt when the call count is unknown or 0.
std::optional<double> perCall(int64_t ns, std::optional<uint64_t> calls);
// Shortest text that reads back as the same double, for the machine-readable formats.
std::string formatNumber(double value);
std::string joinCommand(const std::vector<std::string>& argv);

// Each prints the trace view when data.trace is set, the relations view when data.relations is
// set, the --by table when options.by is set, the function table otherwise (JSON: the function
// table, the thread and process tables and the parallelism in one document).
void printTextReport(const ReportData& data, std::ostream& out);
void printJsonReport(const ReportData& data, std::ostream& out);
void printCsvReport(const ReportData& data, std::ostream& out);

} // namespace hprof
