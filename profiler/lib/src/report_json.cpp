// The JSON report (fields: docs/report-formats.md). Every value is a nlohmann::ordered_json (its
// escaping, its member order); the layout is the report's own: one object per line in the lists,
// written row by row to the stream, so a large report is never held as one document.
#include "hprof/source_gaps.h"
#include "report_data.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string_view>

namespace hprof {
namespace {

using Json = nlohmann::ordered_json;

// Names are bytes, not necessarily UTF-8: malformed bytes become U+FFFD so that the document
// stays valid.
std::string dumpScalar(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// `value` on one line, with ", " and ": " between members as the report always had (dump()
// writes none), and floating-point numbers in their shortest form (2, not 2.0).
void writeInline(const Json& value, std::string& out) {
    const bool object = value.is_object();
    if (object || value.is_array()) {
        out += object ? '{' : '[';
        bool first = true;
        for (const auto& member : value.items()) {
            out += first ? "" : ", ";
            first = false;
            if (object)
                out += dumpScalar(member.key()) + ": ";
            writeInline(member.value(), out);
        }
        out += object ? '}' : ']';
    } else if (value.is_number_float()) {
        out += formatNumber(value.get<double>());
    } else {
        out += dumpScalar(value);
    }
}

std::string inlineJson(const Json& value) {
    std::string out;
    writeInline(value, out);
    return out;
}

// `object` on one line without its closing brace: members written by hand follow.
std::string openObject(const Json& object) {
    std::string text = inlineJson(object);
    text.pop_back();
    return text;
}

template <class T> Json orNull(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

// `rows` as a JSON array of one object per line at `row_indent`, closed at `close_indent`.
template <class Row, class ToJson>
void writeRows(std::ostream& out, const std::vector<Row>& rows, std::string_view row_indent,
               std::string_view close_indent, ToJson toJson) {
    out << "[";
    for (size_t i = 0; i < rows.size(); ++i)
        out << (i == 0 ? "\n" : ",\n") << row_indent << inlineJson(toJson(rows[i]));
    if (rows.empty())
        out << "]";
    else
        out << "\n" << close_indent << "]";
}

Json functionObject(const ReportData& data, const FunctionStats& stats) {
    const Function& function = data.profile.function(stats.function);
    const int64_t whole = data.totals.weight_ns;
    return {{"function", function.name},
            {"file", function.file},
            {"line", function.line},
            {"module", function.module.valid() ? Json(data.profile.module(function.module).path)
                                               : Json(nullptr)},
            {"ncalls", orNull(stats.ncalls)},
            {"primitive_calls", orNull(stats.primitive_calls)},
            {"tottime", seconds(stats.self_ns)},
            {"cumtime", seconds(stats.total_ns)},
            {"instrumented_tottime", orNull(seconds(stats.instrumented_tottime_ns))},
            {"instrumented_cumtime", orNull(seconds(stats.instrumented_cumtime_ns))},
            {"off_cpu_tottime", seconds(stats.off_cpu_self_ns)},
            {"off_cpu_cumtime", seconds(stats.off_cpu_total_ns)},
            {"self_samples", stats.self_samples},
            {"total_samples", stats.total_samples},
            {"self_share", share(stats.self_ns, whole)},
            {"total_share", share(stats.total_ns, whole)}};
}

// "function", "file", "line" of a function, or nulls for code that is not instrumented.
Json functionPlace(const ReportData& data, FunctionId id) {
    if (!id.valid())
        return {{"function", nullptr}, {"file", nullptr}, {"line", nullptr}};
    const Function& function = data.profile.function(id);
    return {{"function", function.name}, {"file", function.file}, {"line", function.line}};
}

Json edgeObject(const ReportData& data, const EdgeStats& edge) {
    Json object = functionPlace(data, edge.function);
    object["ncalls"] = orNull(edge.ncalls);
    object["primitive_calls"] = orNull(edge.primitive_calls);
    object["tottime"] = seconds(edge.self_ns);
    object["cumtime"] = seconds(edge.total_ns);
    object["instrumented_tottime"] = orNull(seconds(edge.instrumented_tottime_ns));
    object["instrumented_cumtime"] = orNull(seconds(edge.instrumented_cumtime_ns));
    return object;
}

// The fields a thread row and a process row share, in the order both print them.
template <class Stats>
void addUsage(Json& object, const ReportData& data, const Stats& stats, const BusyStats* busy) {
    object["samples"] = stats.samples;
    object["cpu_seconds"] = seconds(stats.cpu_ns);
    object["off_cpu_seconds"] = seconds(stats.off_cpu_ns);
    object["run_queue_seconds"] = seconds(stats.run_queue_ns);
    object["share"] = share(stats.cpu_ns, data.totals.cpu_ns);
    object["busy_from_seconds"] = orNull(busyFrom(busy));
    object["busy_to_seconds"] = orNull(busyTo(busy));
}

Json threadObject(const ReportData& data, const ThreadStats& stats) {
    const Thread& thread = data.profile.thread(stats.thread);
    Json object{
        {"pid", data.profile.process(thread.process).pid},
        {"tid", thread.tid},
        {"name", thread.name},
        {"start_seconds", seconds(thread.start_ns)},
        {"end_seconds", seconds(thread.end_ns)},
    };
    addUsage(object, data, stats, busyOf(data, stats.thread));
    object["kernel_cpu_seconds"] =
        thread.cpu_ns == 0 ? Json(nullptr) : Json(seconds(thread.cpu_ns));
    return object;
}

Json processObject(const ReportData& data, const ProcessStats& stats) {
    const Process& process = data.profile.process(stats.process);
    Json object{{"pid", process.pid},
                {"ppid", process.ppid},
                {"parent_pid", orNull(parentPid(data.profile, process))},
                {"from_exec", process.from_exec},
                {"command", process.command},
                {"executable", process.executable},
                {"profiled", process.profiled},
                {"note", process.note},
                {"start_seconds", seconds(process.start_ns)},
                {"end_seconds", seconds(process.end_ns)},
                {"exit_status", orNull(process.exit_status)},
                {"rank", process.rank >= 0 ? Json(process.rank) : Json(nullptr)}};
    addUsage(object, data, stats, busyOf(data, stats.process));
    object["threads"] = stats.threads;
    return object;
}

void addBusy(const ReportData& data, Json& object, const BusyStats& busy) {
    object["cpu_seconds"] = seconds(busy.cpu_ns);
    object["share"] = share(busy.cpu_ns, data.parallelism.cpu_ns);
    object["busy_from_seconds"] = seconds(busy.busy_from_ns);
    object["busy_to_seconds"] = seconds(busy.busy_to_ns);
}

Json parallelThreadObject(const ReportData& data, const ThreadParallelism& row) {
    const Thread& thread = data.profile.thread(row.thread);
    Json object = {{"pid", data.profile.process(thread.process).pid}, {"tid", thread.tid}};
    addBusy(data, object, row.busy);
    object["timeline"] = row.timeline;
    return object;
}

Json parallelProcessObject(const ReportData& data, const ProcessParallelism& row) {
    Json object = {{"pid", data.profile.process(row.process).pid}};
    addBusy(data, object, row.busy);
    return object;
}

Json parallelismNumbers(const Parallelism& p) {
    Json concurrency = Json::array();
    for (int64_t ns : p.concurrency_ns)
        concurrency.push_back(seconds(ns));
    return {{"from_seconds", seconds(p.from_ns)},
            {"to_seconds", seconds(p.to_ns)},
            {"wall_seconds", seconds(p.wallNs())},
            {"cpu_seconds", seconds(p.cpu_ns)},
            {"average_parallelism", p.averageParallelism()},
            {"busy_seconds", seconds(p.busy_ns)},
            {"idle_seconds", seconds(p.idleNs())},
            {"serial_seconds", seconds(p.serial_ns)},
            {"serial_fraction", p.serialFraction()},
            {"serial_work_fraction", p.serialWorkFraction()},
            {"speedup_bound_over_one_core", orNull(p.speedupBoundOverOneCore())},
            {"speedup_bound_over_this_run", orNull(p.speedupBoundOverThisRun())},
            {"concurrency_seconds", std::move(concurrency)},
            {"timeline_bins", p.bins}};
}

// The "parallelism" member: the numbers on one line, then the process and thread rows.
void writeParallelism(const ReportData& data, std::ostream& out) {
    const Parallelism& p = data.parallelism;
    out << openObject(parallelismNumbers(p)) << ", \"processes\": ";
    writeRows(out, p.processes, "      ", "  ",
              [&](const ProcessParallelism& row) { return parallelProcessObject(data, row); });
    out << ", \"threads\": ";
    writeRows(out, p.threads, "      ", "  ",
              [&](const ThreadParallelism& row) { return parallelThreadObject(data, row); });
    out << "}";
}

// The "job" member: a merged MPI job's ranks (hprof/job_balance.h), null without ranks.
Json jobObject(const ReportData& data) {
    if (!data.job)
        return nullptr;
    const JobBalance& job = *data.job;
    Json ranks = Json::array();
    for (const RankBalance& row : job.ranks)
        ranks.push_back({{"rank", row.rank},
                         {"host", row.host},
                         {"cpu_seconds", seconds(row.cpu_ns)},
                         {"mpi_seconds", seconds(row.mpi_ns)},
                         {"compute_seconds", seconds(row.computeNs())}});
    const bool has_slowest = !job.ranks.empty() && job.imbalance > 0;
    return {{"ranks", std::move(ranks)},
            {"mean_compute_seconds", seconds(job.mean_compute_ns)},
            {"load_imbalance", job.imbalance},
            {"slowest_rank", has_slowest ? Json(job.ranks[job.slowest].rank) : Json(nullptr)},
            {"wait_function", job.wait_function.empty() ? Json(nullptr) : Json(job.wait_function)},
            {"compute", parallelismNumbers(job.compute)}};
}

// The run's members, one per line.
Json runMembers(const ReportData& data) {
    const RunInfo& run = data.profile.run;
    return {{"total_samples", data.totals.samples},
            {"cpu_seconds", seconds(data.totals.cpu_ns)},
            {"off_cpu_seconds", seconds(data.totals.off_cpu_ns)},
            {"run_queue_seconds", seconds(data.totals.run_queue_ns)},
            {"wall_seconds", seconds(run.wall_ns)},
            {"frequency_hz", run.frequency_hz},
            {"trigger", run.trigger},
            {"clock", run.clock},
            {"command", run.command},
            {"exit_status", run.exit_status},
            {"job_id", run.job_id.empty() ? Json(nullptr) : Json(run.job_id)},
            {"world_size", run.world_size > 0 ? Json(run.world_size) : Json(nullptr)},
            {"warnings", run.warnings},
            {"dropped_samples", run.dropped_samples},
            {"instrumentation",
             run.instrumentation.empty() ? Json(nullptr) : Json(run.instrumentation)},
            {"total_calls", data.calls ? Json(data.calls->calls) : Json(nullptr)},
            {"primitive_calls", data.calls ? Json(data.calls->primitive_calls) : Json(nullptr)},
            {"source", run.source.empty() ? Json(nullptr) : Json(run.source)},
            {"not_in_source", run.source.empty() ? Json(nullptr) : Json(missingText(run.missing))}};
}

// `"key": ` at the indent of the top-level members.
void writeKey(std::ostream& out, std::string_view key) {
    out << "  " << dumpScalar(std::string(key)) << ": ";
}

template <class Stats, class ToJson>
void writeList(std::ostream& out, std::string_view key, const std::vector<Stats>& list,
               ToJson toJson) {
    writeKey(out, key);
    writeRows(out, list, "    ", "  ", toJson);
    out << ",\n";
}

// {"function", "file", "line", "callers" | "callees": [...]}, over several lines.
void writeRelationBlock(const ReportData& data, const RelationBlock& block, std::ostream& out) {
    const FunctionId function = block.function.function;
    out << "  " << openObject(functionPlace(data, function)) << ", "
        << (data.relations->callers ? "\"callers\"" : "\"callees\"") << ": ";
    writeRows(out, block.edges, "      ", "  ",
              [&](const EdgeStats& edge) { return edgeObject(data, edge); });
    out << "}";
}

// A JSON array with one block per matched function.
void printJsonRelations(const ReportData& data, std::ostream& out) {
    out << "[";
    const std::vector<RelationBlock>& blocks = data.relations->blocks;
    for (size_t i = 0; i < blocks.size(); ++i) {
        out << (i == 0 ? "\n" : ",\n");
        writeRelationBlock(data, blocks[i], out);
    }
    out << "\n]\n";
}

Json traceEventObject(const ReportData& data, const TraceCall& call) {
    Json object = functionPlace(data, call.event->function);
    object["start_ms"] = milliseconds(call.event->start_ns);
    object["duration_ms"] = milliseconds(call.event->duration_ns);
    object["depth"] = call.depth;
    return object;
}

// {"pid", "tid", "name", "omitted_events", "events": [...]}, over several lines.
void writeThreadTrace(const ReportData& data, const ThreadTrace& trace, std::ostream& out) {
    const Thread& thread = data.profile.thread(trace.thread);
    const Json header = {{"pid", data.profile.process(thread.process).pid},
                         {"tid", thread.tid},
                         {"name", thread.name},
                         {"omitted_events", trace.omitted}};
    out << "    " << openObject(header) << ", \"events\": ";
    writeRows(out, trace.calls, "      ", "    ",
              [&](const TraceCall& call) { return traceEventObject(data, call); });
    out << "}";
}

void printJsonTrace(const ReportData& data, std::ostream& out) {
    out << "{\n";
    writeKey(out, "min_duration_ms");
    out << formatNumber(milliseconds(data.profile.run.min_duration_ns)) << ",\n";
    writeKey(out, "threads");
    out << "[";
    for (size_t i = 0; i < data.trace->size(); ++i) {
        out << (i == 0 ? "\n" : ",\n");
        writeThreadTrace(data, (*data.trace)[i], out);
    }
    out << (data.trace->empty() ? "]" : "\n  ]") << "\n}\n";
}

} // namespace

void printJsonReport(const ReportData& data, std::ostream& out) {
    if (data.trace)
        return printJsonTrace(data, out);
    if (data.relations)
        return printJsonRelations(data, out);
    out << "{\n";
    const Json run = runMembers(data);
    for (const auto& member : run.items()) {
        writeKey(out, member.key());
        out << inlineJson(member.value()) << ",\n";
    }
    writeList(out, "functions", data.functions,
              [&](const FunctionStats& stats) { return functionObject(data, stats); });
    writeList(out, "threads", data.threads,
              [&](const ThreadStats& stats) { return threadObject(data, stats); });
    writeList(out, "processes", data.processes,
              [&](const ProcessStats& stats) { return processObject(data, stats); });
    writeKey(out, "parallelism");
    writeParallelism(data, out);
    out << ",\n";
    writeKey(out, "job");
    out << inlineJson(jobObject(data));
    out << "\n}\n";
}

} // namespace hprof
