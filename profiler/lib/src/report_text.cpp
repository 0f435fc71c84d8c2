// The pstats print_stats() look-alike: a summary, then one row per function.
#include "report_text.h"

#include "hprof/filter.h"
#include "hprof/source_gaps.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace hprof {

std::string fixed(const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string oneLine(std::string text) {
    for (char& c : text) {
        if (uint8_t(c) < 0x20 || c == 0x7f)
            c = ' ';
    }
    return text;
}

std::string rightAligned(const std::string& text, size_t width) {
    return std::string(text.size() < width ? width - text.size() : 0, ' ') + text;
}

std::string leftAligned(const std::string& text, size_t width) {
    return text + std::string(text.size() < width ? width - text.size() : 0, ' ');
}

namespace {

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
std::string callsText(std::optional<uint64_t> calls, std::optional<uint64_t> primitive_calls) {
    std::string text = "-";
    if (calls) {
        text = std::to_string(*calls);
        if (primitive_calls && *primitive_calls != *calls)
            text += "/" + std::to_string(*primitive_calls);
    }
    return text;
}

std::string perCallColumn(std::optional<double> value) {
    return value ? fixed("%8.3f", *value) : "       -";
}

// "N samples in X CPU seconds, ... W seconds wall (F Hz, trigger)"; the wall time, rate and
// trigger only when the source recorded them.
void printSampleLine(const ReportData& data, std::ostream& out) {
    const RunInfo& run = data.profile.run;
    out << "         " << data.totals.samples << " samples in "
        << fixed("%.3f", seconds(data.totals.cpu_ns)) << " CPU seconds";
    if (data.off_cpu)
        out << ", " << fixed("%.3f", seconds(data.totals.off_cpu_ns)) << " off-CPU seconds, "
            << fixed("%.3f", seconds(data.totals.run_queue_ns)) << " seconds waiting for a CPU";
    const std::string trigger = run.trigger.empty() ? "unknown trigger" : oneLine(run.trigger);
    if (run.missing.run_times) {
        out << " (" << trigger << ")\n";
        return;
    }
    out << ", " << fixed("%.3f", seconds(run.wall_ns)) << " seconds wall (" << run.frequency_hz
        << " Hz, " << trigger << ")\n";
}

// "job 1234, 4 ranks": the MPI job or task farm the run belongs to (docs/cluster.md).
std::string jobText(const RunInfo& run) {
    std::string text = "job " + (run.job_id.empty() ? std::string("(no id)") : run.job_id);
    if (run.world_size > 0)
        text += ", " + std::to_string(run.world_size) + (run.world_size == 1 ? " rank" : " ranks");
    return text;
}

void printSummary(const ReportData& data, std::ostream& out) {
    const RunInfo& run = data.profile.run;
    out << "hprof: "
        << oneLine(run.command.empty() && !run.source.empty() ? run.source + " profile"
                                                              : joinCommand(run.command));
    if (run.runs != 1) // record --repeat: the numbers below sum the runs
        out << " (" << run.runs << " runs)";
    out << "\n";
    if (data.calls) {
        out << "         " << data.calls->calls << " function calls";
        if (data.calls->primitive_calls != data.calls->calls)
            out << " (" << data.calls->primitive_calls << " primitive calls)";
        out << " in " << fixed("%.3f", seconds(data.totals.weight_ns)) << " seconds\n";
    }
    if (!run.missing.samples)
        printSampleLine(data, out);
    if (!run.source.empty())
        out << "         " << oneLine(sourceText(run)) << "\n";
    if (!run.job_id.empty() || run.world_size > 0)
        out << "         " << oneLine(jobText(run)) << "\n";
    // The numbers below are of the selected samples only: say which.
    if (const std::string filter = describeFilter(data.profile, data.options.filter);
        !filter.empty())
        out << "         filter: " << oneLine(filter) << "\n";
    for (const std::string& warning : run.warnings)
        out << "hprof: warning: " << oneLine(warning) << "\n";
    if (run.dropped_samples > 0)
        out << "hprof: warning: " << run.dropped_samples << " samples were dropped\n";
}

void printRow(const ReportData& data, const FunctionStats& stats, std::ostream& out) {
    out << rightAligned(callsText(stats.ncalls, stats.primitive_calls), 9) << " "
        << fixed("%8.3f", seconds(stats.self_ns)) << " "
        << perCallColumn(perCall(stats.self_ns, stats.ncalls)) << " "
        << fixed("%8.3f", seconds(stats.total_ns)) << " "
        << perCallColumn(perCall(stats.total_ns, stats.primitive_calls)) << " ";
    if (data.off_cpu)
        out << fixed("%8.3f", seconds(stats.off_cpu_total_ns)) << " ";
    out << data.labels[stats.function] << "\n";
}

std::string edgeLocation(const ReportData& data, FunctionId function) {
    return function.valid() ? data.labels[function] : "<not instrumented>";
}

bool hasExactTimes(const EdgeStats& edge) {
    return edge.instrumented_tottime_ns && edge.instrumented_cumtime_ns;
}

// pstats' print_call_line: the function, the arrow, then one line per caller or callee, with
// the exact times of the edge when instrumentation measured them, the sampled ones otherwise.
void printRelationBlock(const ReportData& data, const RelationBlock& block, size_t width,
                        std::ostream& out) {
    const char* arrow = data.relations->callers ? "<-" : "->";
    std::string prefix = leftAligned(data.labels[block.function.function], width) + arrow + " ";
    if (block.edges.empty())
        out << prefix;
    for (const EdgeStats& edge : block.edges) {
        const bool exact = hasExactTimes(edge);
        out << prefix << rightAligned(callsText(edge.ncalls, edge.primitive_calls), 7) << " "
            << fixed("%8.3f", seconds(exact ? *edge.instrumented_tottime_ns : edge.self_ns)) << " "
            << fixed("%8.3f", seconds(exact ? *edge.instrumented_cumtime_ns : edge.total_ns))
            << "  " << edgeLocation(data, edge.function) << "\n";
        prefix = std::string(width + 3, ' ');
    }
    if (block.edges.empty())
        out << "\n";
}

// Says which edges have exact times, when any has.
void printTimesSource(const RelationReport& relations, std::ostream& out) {
    size_t edges = 0;
    size_t exact = 0;
    for (const RelationBlock& block : relations.blocks) {
        edges += block.edges.size();
        exact += std::count_if(block.edges.begin(), block.edges.end(), hasExactTimes);
    }
    if (exact == edges && exact > 0)
        out << "   times: exact, from instrumentation\n";
    else if (exact > 0)
        out << "   times: exact, from instrumentation, where known; sampled otherwise\n";
}

// pstats' print_callers / print_callees. The name column is as wide as the longest matched
// name plus two, and at least 42 so that short names leave the columns where pstats has them.
void printRelations(const ReportData& data, std::ostream& out) {
    const RelationReport& relations = *data.relations;
    out << "\n   Ordered by: " << orderName(data.options.sort) << "\n";
    out << "   List reduced from " << relations.candidates << " to " << relations.matches
        << " due to restriction <'" << oneLine(relations.restriction) << "'>\n";
    if (relations.blocks.size() < relations.matches)
        out << "   List reduced from " << relations.matches << " to " << relations.blocks.size()
            << " due to restriction <" << relations.blocks.size() << ">\n";
    size_t width = 42;
    for (const RelationBlock& block : relations.blocks)
        width = std::max(width, data.labels[block.function.function].size() + 2);
    out << "\n"
        << leftAligned("Function ", width) << (relations.callers ? "was called by..." : "called...")
        << "\n";
    out << std::string(width, ' ') << "    ncalls  tottime  cumtime\n";
    printTimesSource(relations, out);
    for (const RelationBlock& block : relations.blocks)
        printRelationBlock(data, block, width, out);
    out << "\n\n";
}

// "name (file:line)", or the name alone when the file is unknown.
std::string traceLocation(const Function& function) {
    if (function.file.empty())
        return oneLine(function.name);
    return oneLine(function.name) + " (" + oneLine(function.file) + ":" +
           std::to_string(function.line) + ")";
}

// For each thread, its calls in time order, each indented by two spaces per enclosing call.
void printTrace(const ReportData& data, std::ostream& out) {
    out << "\n   Calls of at least "
        << fixed("%.3f", milliseconds(data.profile.run.min_duration_ns)) << " ms, in time order\n";
    for (const ThreadTrace& trace : *data.trace) {
        const Thread& thread = data.profile.thread(trace.thread);
        out << "\n   Thread " << thread.tid << " (" << oneLine(thread.name) << ") of process "
            << data.profile.process(thread.process).pid << "\n\n";
        out << "  start_ms  duration_ms  function\n";
        for (const TraceCall& call : trace.calls)
            out << fixed("%10.3f", milliseconds(call.event->start_ns)) << "  "
                << fixed("%11.3f", milliseconds(call.event->duration_ns)) << "  "
                << std::string(2 * call.depth, ' ')
                << traceLocation(data.profile.function(call.event->function)) << "\n";
        if (trace.omitted > 0)
            out << "\n   " << trace.omitted << " of " << trace.omitted + trace.calls.size()
                << " calls omitted (--limit " << trace.calls.size() << ")\n";
    }
    out << "\n";
}

// The pstats table, with the off-CPU part of cumtime when the profile has off-CPU samples.
void printFunctionTable(const ReportData& data, std::ostream& out) {
    out << "\n   Ordered by: " << orderName(data.options.sort) << "\n\n";
    out << "   ncalls  tottime  percall  cumtime  percall " << (data.off_cpu ? "  offcpu " : "")
        << "filename:lineno(function)\n";
    for (const FunctionStats& stats : data.functions)
        printRow(data, stats, out);
    if (data.omitted_functions > 0)
        out << "\n   " << data.omitted_functions << " of "
            << data.omitted_functions + data.functions.size() << " functions omitted (--limit "
            << data.functions.size() << ")\n";
    out << "\n";
}

void printView(const ReportData& data, std::ostream& out) {
    if (data.trace)
        return printTrace(data, out);
    if (data.relations)
        return printRelations(data, out);
    if (data.options.by) {
        printGroupTable(data, *data.options.by, out);
        return printParallelismSummary(data, out);
    }
    printFunctionTable(data, out);
}

} // namespace

void printTextReport(const ReportData& data, std::ostream& out) {
    printSummary(data, out);
    printView(data, out);
    if (data.options.parallelism != ParallelismSection::None)
        printParallelismSection(data, out);
}

} // namespace hprof
