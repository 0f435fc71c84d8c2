#include "hprof/report.h"

#include "hprof/error.h"
#include "report_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>

namespace hprof {
namespace {

// The functions of the sorted table whose name contains the restriction, each with its callers
// or callees; the limit applies to the matches, as pstats applies a count after a name.
RelationReport relate(const SampleSelector& selector, const StackCosts& costs,
                      const ReportOptions& options, const std::vector<FunctionStats>& table) {
    const Profile& profile = selector.profile();
    if (options.callers_of && options.callees_of)
        throw Error("cannot list callers and callees at once");
    RelationReport relations;
    relations.callers = options.callers_of.has_value();
    relations.restriction = relations.callers ? *options.callers_of : *options.callees_of;
    relations.candidates = table.size();
    const NameMatcher matcher(relations.restriction, NameMatcher::Kind::Substring);
    for (const FunctionStats& stats : table) {
        if (matcher.matches(profile.function(stats.function).name))
            relations.blocks.push_back({stats, {}});
    }
    if (relations.blocks.empty())
        throw Error("no function matches '" + relations.restriction + "'");
    relations.matches = relations.blocks.size();
    if (options.limit && *options.limit < relations.blocks.size())
        relations.blocks.resize(*options.limit);
    for (RelationBlock& block : relations.blocks) {
        FunctionId function = block.function.function;
        block.edges = relations.callers ? computeCallers(selector, costs, function)
                                        : computeCallees(selector, costs, function);
    }
    return relations;
}

ReportData aggregate(const Profile& profile, const ReportOptions& options) {
    if (options.trace && (options.callers_of || options.callees_of))
        throw Error("cannot list the trace and callers or callees at once");
    if (options.by && (options.trace || options.callers_of || options.callees_of))
        throw Error("cannot list processes or threads and the trace, callers or callees at once");
    const SampleSelector selector(profile, options.filter);
    const StackCosts costs = computeStackCosts(selector);
    ReportData data{profile,
                    options,
                    FunctionLabels(profile),
                    computeTotals(selector),
                    computeCallTotals(selector),
                    computeFunctionStats(selector, costs),
                    0,
                    computeThreadStats(selector),
                    computeProcessStats(selector),
                    std::nullopt,
                    std::nullopt,
                    computeParallelism(selector),
                    std::any_of(profile.samples.begin(), profile.samples.end(),
                                [](const Sample& sample) { return sample.off_cpu; }),
                    std::nullopt};
    data.job = computeJobBalance(selector, data.parallelism);
    sortFunctionStats(profile, data.functions, options.sort);
    if (options.callers_of || options.callees_of)
        data.relations = relate(selector, costs, options, data.functions);
    if (options.trace)
        data.trace = computeTrace(profile, options.filter, options.limit);
    if (options.limit && *options.limit < data.functions.size()) {
        data.omitted_functions = data.functions.size() - *options.limit;
        data.functions.resize(*options.limit);
    }
    return data;
}

// The row of `id` in rows sorted by id, nullptr when there is none.
template <class Row, class Id>
const Row* findRow(const std::vector<Row>& rows, Id id, Id Row::*key) {
    auto row = std::lower_bound(rows.begin(), rows.end(), id,
                                [key](const Row& entry, Id wanted) { return entry.*key < wanted; });
    return row != rows.end() && (*row).*key == id ? &*row : nullptr;
}

} // namespace

const BusyStats* busyOf(const ReportData& data, ThreadId thread) {
    const ThreadParallelism* row =
        findRow(data.parallelism.threads, thread, &ThreadParallelism::thread);
    return row ? &row->busy : nullptr;
}

const BusyStats* busyOf(const ReportData& data, ProcessId process) {
    const ProcessParallelism* row =
        findRow(data.parallelism.processes, process, &ProcessParallelism::process);
    return row ? &row->busy : nullptr;
}

const std::vector<double>* timelineOf(const ReportData& data, ThreadId thread) {
    const ThreadParallelism* row =
        findRow(data.parallelism.threads, thread, &ThreadParallelism::thread);
    return row ? &row->timeline : nullptr;
}

std::optional<int32_t> parentPid(const Profile& profile, const Process& process) {
    if (!process.parent.valid())
        return std::nullopt;
    return profile.process(process.parent).pid;
}

std::optional<double> busyFrom(const BusyStats* busy) {
    return busy ? std::optional(seconds(busy->busy_from_ns)) : std::nullopt;
}

std::optional<double> busyTo(const BusyStats* busy) {
    return busy ? std::optional(seconds(busy->busy_to_ns)) : std::nullopt;
}

double seconds(int64_t ns) {
    return double(ns) / 1e9;
}

std::optional<double> seconds(std::optional<int64_t> ns) {
    if (!ns)
        return std::nullopt;
    return seconds(*ns);
}

double milliseconds(int64_t ns) {
    return double(ns) / 1e6;
}

std::optional<double> perCall(int64_t ns, std::optional<uint64_t> calls) {
    if (!calls || *calls == 0)
        return std::nullopt;
    return seconds(ns) / double(*calls);
}

std::string formatNumber(double value) {
    if (!std::isfinite(value))
        return "0";
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string joinCommand(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& arg : argv)
        line += (line.empty() ? "" : " ") + arg;
    return line;
}

std::optional<SortKey> parseSortKey(const std::string& word) {
    if (word == "tottime" || word == "time")
        return SortKey::TotTime;
    if (word == "cumtime" || word == "cumulative")
        return SortKey::CumTime;
    if (word == "ncalls" || word == "calls")
        return SortKey::NCalls;
    if (word == "name")
        return SortKey::Name;
    return std::nullopt;
}

std::optional<GroupBy> parseGroupBy(const std::string& word) {
    if (word == "process")
        return GroupBy::Process;
    if (word == "thread")
        return GroupBy::Thread;
    return std::nullopt;
}

std::optional<ReportFormat> parseReportFormat(const std::string& word) {
    if (word == "text")
        return ReportFormat::Text;
    if (word == "json")
        return ReportFormat::Json;
    if (word == "csv")
        return ReportFormat::Csv;
    return std::nullopt;
}

void printReport(const Profile& profile, const ReportOptions& options, std::ostream& out) {
    ReportData data = aggregate(profile, options);
    switch (options.format) {
    case ReportFormat::Text:
        printTextReport(data, out);
        break;
    case ReportFormat::Json:
        printJsonReport(data, out);
        break;
    case ReportFormat::Csv:
        printCsvReport(data, out);
        break;
    }
}

} // namespace hprof
