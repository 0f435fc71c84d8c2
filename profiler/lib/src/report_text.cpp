// The pstats print_stats() look-alike: a summary, then one row per function.
#include "report_data.h"

#include <cstdio>
#include <ostream>

namespace hprof {
namespace {

std::string fixed(const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

// Names and warnings are untrusted bytes: a control character must not break the table.
std::string oneLine(std::string text) {
    for (char& c : text) {
        if (uint8_t(c) < 0x20 || c == 0x7f)
            c = ' ';
    }
    return text;
}

const char* orderName(SortKey key) {
    switch (key) {
    case SortKey::TotTime:
        return "internal time";
    case SortKey::CumTime:
        return "cumulative time";
    case SortKey::NCalls:
        return "call count";
    case SortKey::Name:
        return "function name";
    }
    return "";
}

// pstats prints "nc/cc" when recursion makes the counts differ; we print "-" when unknown.
std::string callsColumn(const FunctionStats& stats) {
    std::string text = "-";
    if (stats.ncalls) {
        text = std::to_string(*stats.ncalls);
        if (stats.primitive_calls && *stats.primitive_calls != *stats.ncalls)
            text += "/" + std::to_string(*stats.primitive_calls);
    }
    return std::string(text.size() < 9 ? 9 - text.size() : 0, ' ') + text;
}

std::string perCallColumn(std::optional<double> value) {
    return value ? fixed("%8.3f", *value) : "       -";
}

// "file:line(function)", or "~:0(function)" as pstats writes built-ins when the file is unknown.
std::string location(const Function& function) {
    std::string name = "(" + oneLine(function.name) + ")";
    if (function.file.empty())
        return "~:0" + name;
    return oneLine(function.file) + ":" + std::to_string(function.line) + name;
}

void printSummary(const ReportData& data, std::ostream& out) {
    const RunInfo& run = data.profile.run;
    out << "hprof: " << oneLine(joinCommand(run.command)) << "\n";
    out << "         " << data.totals.samples << " samples in "
        << fixed("%.3f", seconds(data.totals.weight_ns)) << " CPU seconds, "
        << fixed("%.3f", seconds(run.wall_ns)) << " seconds wall (" << run.frequency_hz << " Hz, "
        << (run.trigger.empty() ? "unknown trigger" : oneLine(run.trigger)) << ")\n";
    for (const std::string& warning : run.warnings)
        out << "hprof: warning: " << oneLine(warning) << "\n";
    if (run.dropped_samples > 0)
        out << "hprof: warning: " << run.dropped_samples << " samples were dropped\n";
}

void printRow(const ReportData& data, const FunctionStats& stats, std::ostream& out) {
    out << callsColumn(stats) << " " << fixed("%8.3f", seconds(stats.self_ns)) << " "
        << perCallColumn(perCall(stats.self_ns, stats.ncalls)) << " "
        << fixed("%8.3f", seconds(stats.total_ns)) << " "
        << perCallColumn(perCall(stats.total_ns, stats.primitive_calls)) << " "
        << location(data.profile.function(stats.function)) << "\n";
}

} // namespace

void printTextReport(const ReportData& data, std::ostream& out) {
    printSummary(data, out);
    out << "\n   Ordered by: " << orderName(data.options.sort) << "\n\n";
    out << "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n";
    for (const FunctionStats& stats : data.functions)
        printRow(data, stats, out);
    if (data.omitted_functions > 0)
        out << "\n   " << data.omitted_functions << " of "
            << data.omitted_functions + data.functions.size() << " functions omitted (--limit "
            << data.functions.size() << ")\n";
    out << "\n";
}

} // namespace hprof
