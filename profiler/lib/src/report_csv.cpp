// The CSV report: one row per function, RFC 4180 quoting, an empty cell for an unknown value.
#include "report_data.h"

#include <ostream>
#include <string_view>

namespace hprof {
namespace {

// A cell holding a comma, a quote or a line break is quoted, with its quotes doubled.
std::string cell(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

template <class T> std::string optionalCell(const std::optional<T>& value) {
    if (!value)
        return "";
    if constexpr (std::is_floating_point_v<T>)
        return formatNumber(*value);
    else
        return std::to_string(*value);
}

void printRow(const ReportData& data, const FunctionStats& stats, std::ostream& out) {
    const Function& function = data.profile.function(stats.function);
    int64_t whole = data.totals.weight_ns;
    std::string module = function.module.valid() ? data.profile.module(function.module).path : "";
    out << optionalCell(stats.ncalls) << "," << optionalCell(stats.primitive_calls) << ","
        << formatNumber(seconds(stats.self_ns)) << ","
        << optionalCell(perCall(stats.self_ns, stats.ncalls)) << ","
        << formatNumber(seconds(stats.total_ns)) << ","
        << optionalCell(perCall(stats.total_ns, stats.primitive_calls)) << ","
        << formatNumber(share(stats.self_ns, whole)) << ","
        << formatNumber(share(stats.total_ns, whole)) << "," << cell(function.file) << ","
        << (function.line == 0 ? "" : std::to_string(function.line)) << "," << cell(function.name)
        << "," << cell(module) << "," << optionalCell(seconds(stats.instrumented_tottime_ns)) << ","
        << optionalCell(seconds(stats.instrumented_cumtime_ns)) << ","
        << formatNumber(seconds(stats.off_cpu_self_ns)) << ","
        << formatNumber(seconds(stats.off_cpu_total_ns)) << "\n";
}

std::string functionCells(const ReportData& data, FunctionId id) {
    if (!id.valid())
        return ",,";
    const Function& function = data.profile.function(id);
    return cell(function.name) + "," + cell(function.file) + "," +
           (function.line == 0 ? "" : std::to_string(function.line));
}

// One row per edge: the matched function, its caller or callee, then the edge's numbers.
void printCsvRelations(const ReportData& data, std::ostream& out) {
    std::string other = data.relations->callers ? "caller" : "callee";
    out << "function,file,line," << other << "," << other << "_file," << other
        << "_line,ncalls,primitive_calls,tottime,cumtime,instrumented_tottime,"
           "instrumented_cumtime\n";
    for (const RelationBlock& block : data.relations->blocks) {
        for (const EdgeStats& edge : block.edges)
            out << functionCells(data, block.function.function) << ","
                << functionCells(data, edge.function) << "," << optionalCell(edge.ncalls) << ","
                << optionalCell(edge.primitive_calls) << "," << formatNumber(seconds(edge.self_ns))
                << "," << formatNumber(seconds(edge.total_ns)) << ","
                << optionalCell(seconds(edge.instrumented_tottime_ns)) << ","
                << optionalCell(seconds(edge.instrumented_cumtime_ns)) << "\n";
    }
}

// One row per call, threads one after the other, each in time order.
void printCsvTrace(const ReportData& data, std::ostream& out) {
    out << "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n";
    for (const ThreadTrace& trace : *data.trace) {
        const Thread& thread = data.profile.thread(trace.thread);
        std::string thread_cells = std::to_string(data.profile.process(thread.process).pid) + "," +
                                   std::to_string(thread.tid) + "," + cell(thread.name);
        for (const TraceCall& call : trace.calls)
            out << thread_cells << "," << formatNumber(milliseconds(call.event->start_ns)) << ","
                << formatNumber(milliseconds(call.event->duration_ns)) << "," << call.depth << ","
                << functionCells(data, call.event->function) << "\n";
    }
}

// The cells that rows of both --by tables end with: CPU, share and busy span.
template <class Stats>
std::string cpuCells(const ReportData& data, const Stats& stats, const BusyStats* busy) {
    return std::to_string(stats.samples) + "," + formatNumber(seconds(stats.cpu_ns)) + "," +
           formatNumber(seconds(stats.off_cpu_ns)) + "," +
           formatNumber(seconds(stats.run_queue_ns)) + "," +
           formatNumber(share(stats.cpu_ns, data.totals.cpu_ns)) + "," +
           optionalCell(busyFrom(busy)) + "," + optionalCell(busyTo(busy));
}

void printCsvProcesses(const ReportData& data, std::ostream& out) {
    out << "pid,ppid,parent_pid,from_exec,command,executable,profiled,note,start,end,exit_status,"
           "samples,cpu,off_cpu,run_queue,share,busy_from,busy_to,threads,rank\n";
    for (const ProcessStats& stats : data.processes) {
        const Process& process = data.profile.process(stats.process);
        out << process.pid << "," << process.ppid << ","
            << optionalCell(parentPid(data.profile, process)) << "," << int(process.from_exec)
            << "," << cell(process.command) << "," << cell(process.executable) << ","
            << int(process.profiled) << "," << cell(process.note) << ","
            << formatNumber(seconds(process.start_ns)) << ","
            << formatNumber(seconds(process.end_ns)) << "," << optionalCell(process.exit_status)
            << "," << cpuCells(data, stats, busyOf(data, stats.process)) << "," << stats.threads
            << "," << (process.rank >= 0 ? std::to_string(process.rank) : "") << "\n";
    }
}

void printCsvThreads(const ReportData& data, std::ostream& out) {
    out << "pid,tid,name,start,end,samples,cpu,off_cpu,run_queue,share,busy_from,busy_to,"
           "kernel_cpu\n";
    for (const ThreadStats& stats : data.threads) {
        const Thread& thread = data.profile.thread(stats.thread);
        out << data.profile.process(thread.process).pid << "," << thread.tid << ","
            << cell(thread.name) << "," << formatNumber(seconds(thread.start_ns)) << ","
            << formatNumber(seconds(thread.end_ns)) << ","
            << cpuCells(data, stats, busyOf(data, stats.thread)) << ","
            << (thread.cpu_ns == 0 ? "" : formatNumber(seconds(thread.cpu_ns))) << "\n";
    }
}

} // namespace

void printCsvReport(const ReportData& data, std::ostream& out) {
    if (data.trace)
        return printCsvTrace(data, out);
    if (data.relations)
        return printCsvRelations(data, out);
    if (data.options.by == GroupBy::Process)
        return printCsvProcesses(data, out);
    if (data.options.by == GroupBy::Thread)
        return printCsvThreads(data, out);
    out << "ncalls,primitive_calls,tottime,tottime_percall,cumtime,cumtime_percall,self_share,"
           "total_share,file,line,function,module,instrumented_tottime,instrumented_cumtime,"
           "off_cpu_tottime,off_cpu_cumtime\n";
    for (const FunctionStats& stats : data.functions)
        printRow(data, stats, out);
}

} // namespace hprof
