// The JSON report (fields: docs/report-formats.md). Written by hand: the format is small and
// the library takes no JSON dependency.
#include "report_data.h"

#include <cstdio>
#include <ostream>
#include <string_view>

namespace hprof {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i], 0 if it is malformed.
size_t utf8SequenceLength(std::string_view text, size_t i) {
    auto byte = [&](size_t k) { return uint8_t(text[k]); };
    uint8_t lead = byte(i);
    if (lead < 0x80)
        return 1;
    size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    uint8_t low = 0x80, high = 0xbf; // allowed range of the second byte
    if (lead < 0xc2 || lead > 0xf4)
        return 0;
    if (lead == 0xe0)
        low = 0xa0;
    if (lead == 0xed)
        high = 0x9f; // no UTF-16 surrogates
    if (lead == 0xf0)
        low = 0x90;
    if (lead == 0xf4)
        high = 0x8f; // nothing above U+10FFFF
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (size_t k = i + 2; k < i + length; ++k) {
        if (byte(k) < 0x80 || byte(k) > 0xbf)
            return 0;
    }
    return length;
}

void appendEscaped(std::string& json, char c) {
    switch (c) {
    case '"':
        json += "\\\"";
        return;
    case '\\':
        json += "\\\\";
        return;
    case '\n':
        json += "\\n";
        return;
    case '\t':
        json += "\\t";
        return;
    }
    if (uint8_t(c) < 0x20) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(uint8_t(c)));
        json += buffer;
        return;
    }
    json += c;
}

// A JSON string literal. Names are bytes, not necessarily UTF-8: malformed bytes become U+FFFD
// so that the document stays valid.
std::string quote(std::string_view text) {
    std::string json = "\"";
    for (size_t i = 0; i < text.size();) {
        size_t length = utf8SequenceLength(text, i);
        if (length == 0) {
            json += "\\ufffd";
            ++i;
        } else if (length == 1) {
            appendEscaped(json, text[i++]);
        } else {
            json.append(text.substr(i, length));
            i += length;
        }
    }
    return json + "\"";
}

template <class T> std::string optionalNumber(const std::optional<T>& value) {
    if (!value)
        return "null";
    if constexpr (std::is_floating_point_v<T>)
        return formatNumber(*value);
    else
        return std::to_string(*value);
}

std::string stringList(const std::vector<std::string>& strings) {
    std::string json = "[";
    for (const std::string& text : strings)
        json += (json.size() > 1 ? ", " : "") + quote(text);
    return json + "]";
}

// Collects the "key": value members of one JSON object, written on one line.
class ObjectWriter {
  public:
    explicit ObjectWriter(std::string indent) : indent_(std::move(indent)) {}
    ObjectWriter& add(std::string_view key, const std::string& json) {
        text_ += (text_.empty() ? "" : ", ") + quote(key) + ": " + json;
        return *this;
    }
    ObjectWriter& add(std::string_view key, double value) { return add(key, formatNumber(value)); }
    template <class Integer>
    requires std::is_integral_v<Integer> ObjectWriter& add(std::string_view key, Integer value) {
        return add(key, std::to_string(value));
    }
    std::string str() const { return indent_ + "{" + text_ + "}"; }

  private:
    std::string indent_;
    std::string text_;
};

std::string functionObject(const ReportData& data, const FunctionStats& stats) {
    const Function& function = data.profile.function(stats.function);
    int64_t whole = data.totals.weight_ns;
    std::string module =
        function.module.valid() ? quote(data.profile.module(function.module).path) : "null";
    return ObjectWriter("    ")
        .add("function", quote(function.name))
        .add("file", quote(function.file))
        .add("line", function.line)
        .add("module", module)
        .add("ncalls", optionalNumber(stats.ncalls))
        .add("primitive_calls", optionalNumber(stats.primitive_calls))
        .add("tottime", seconds(stats.self_ns))
        .add("cumtime", seconds(stats.total_ns))
        .add("instrumented_tottime", optionalNumber(seconds(stats.instrumented_tottime_ns)))
        .add("instrumented_cumtime", optionalNumber(seconds(stats.instrumented_cumtime_ns)))
        .add("off_cpu_tottime", seconds(stats.off_cpu_self_ns))
        .add("off_cpu_cumtime", seconds(stats.off_cpu_total_ns))
        .add("self_samples", stats.self_samples)
        .add("total_samples", stats.total_samples)
        .add("self_share", share(stats.self_ns, whole))
        .add("total_share", share(stats.total_ns, whole))
        .str();
}

std::string edgeObject(const ReportData& data, const EdgeStats& edge) {
    ObjectWriter object("      ");
    if (edge.function.valid()) {
        const Function& function = data.profile.function(edge.function);
        object.add("function", quote(function.name))
            .add("file", quote(function.file))
            .add("line", function.line);
    } else {
        object.add("function", "null").add("file", "null").add("line", "null");
    }
    return object.add("ncalls", optionalNumber(edge.ncalls))
        .add("primitive_calls", optionalNumber(edge.primitive_calls))
        .add("tottime", seconds(edge.self_ns))
        .add("cumtime", seconds(edge.total_ns))
        .add("instrumented_tottime", optionalNumber(seconds(edge.instrumented_tottime_ns)))
        .add("instrumented_cumtime", optionalNumber(seconds(edge.instrumented_cumtime_ns)))
        .str();
}

// {"function", "file", "line", "callers" | "callees": [...]}, over several lines.
std::string relationBlock(const ReportData& data, const RelationBlock& block) {
    const Function& function = data.profile.function(block.function.function);
    std::string json = "  {" + quote("function") + ": " + quote(function.name) + ", " +
                       quote("file") + ": " + quote(function.file) + ", " + quote("line") + ": " +
                       std::to_string(function.line) + ", " +
                       quote(data.relations->callers ? "callers" : "callees") + ": [";
    for (size_t i = 0; i < block.edges.size(); ++i)
        json += (i == 0 ? "\n" : ",\n") + edgeObject(data, block.edges[i]);
    return json + (block.edges.empty() ? "]}" : "\n  ]}");
}

std::string threadObject(const ReportData& data, const ThreadStats& stats) {
    const Thread& thread = data.profile.thread(stats.thread);
    const BusyStats* busy = busyOf(data, stats.thread);
    return ObjectWriter("    ")
        .add("pid", data.profile.process(thread.process).pid)
        .add("tid", thread.tid)
        .add("name", quote(thread.name))
        .add("start_seconds", seconds(thread.start_ns))
        .add("end_seconds", seconds(thread.end_ns))
        .add("samples", stats.samples)
        .add("cpu_seconds", seconds(stats.cpu_ns))
        .add("off_cpu_seconds", seconds(stats.off_cpu_ns))
        .add("run_queue_seconds", seconds(stats.run_queue_ns))
        .add("share", share(stats.cpu_ns, data.totals.cpu_ns))
        .add("busy_from_seconds", optionalNumber(busyFrom(busy)))
        .add("busy_to_seconds", optionalNumber(busyTo(busy)))
        .add("kernel_cpu_seconds",
             optionalNumber(thread.cpu_ns == 0 ? std::nullopt
                                               : std::optional(seconds(thread.cpu_ns))))
        .str();
}

std::string processObject(const ReportData& data, const ProcessStats& stats) {
    const Process& process = data.profile.process(stats.process);
    const BusyStats* busy = busyOf(data, stats.process);
    return ObjectWriter("    ")
        .add("pid", process.pid)
        .add("ppid", process.ppid)
        .add("parent_pid", optionalNumber(parentPid(data.profile, process)))
        .add("from_exec", process.from_exec ? "true" : "false")
        .add("command", quote(process.command))
        .add("executable", quote(process.executable))
        .add("profiled", process.profiled ? "true" : "false")
        .add("note", quote(process.note))
        .add("start_seconds", seconds(process.start_ns))
        .add("end_seconds", seconds(process.end_ns))
        .add("exit_status", optionalNumber(process.exit_status))
        .add("samples", stats.samples)
        .add("cpu_seconds", seconds(stats.cpu_ns))
        .add("off_cpu_seconds", seconds(stats.off_cpu_ns))
        .add("run_queue_seconds", seconds(stats.run_queue_ns))
        .add("share", share(stats.cpu_ns, data.totals.cpu_ns))
        .add("busy_from_seconds", optionalNumber(busyFrom(busy)))
        .add("busy_to_seconds", optionalNumber(busyTo(busy)))
        .add("threads", stats.threads)
        .str();
}

std::string numberList(const std::vector<double>& numbers) {
    std::string json = "[";
    for (double number : numbers)
        json += (json.size() > 1 ? ", " : "") + formatNumber(number);
    return json + "]";
}

ObjectWriter& addBusy(const ReportData& data, ObjectWriter& object, const BusyStats& busy) {
    return object.add("cpu_seconds", seconds(busy.cpu_ns))
        .add("share", share(busy.cpu_ns, data.parallelism.cpu_ns))
        .add("busy_from_seconds", seconds(busy.busy_from_ns))
        .add("busy_to_seconds", seconds(busy.busy_to_ns));
}

std::string parallelThreadObject(const ReportData& data, const ThreadParallelism& row) {
    const Thread& thread = data.profile.thread(row.thread);
    ObjectWriter object("      ");
    object.add("pid", data.profile.process(thread.process).pid).add("tid", thread.tid);
    return addBusy(data, object, row.busy).add("timeline", numberList(row.timeline)).str();
}

std::string parallelProcessObject(const ReportData& data, const ProcessParallelism& row) {
    ObjectWriter object("      ");
    object.add("pid", data.profile.process(row.process).pid);
    return addBusy(data, object, row.busy).str();
}

// `rows` as a JSON array of one object per line, closed at `indent`.
template <class Row, class ToJson>
std::string arrayOfLines(const std::vector<Row>& rows, const std::string& indent, ToJson toJson) {
    std::string json = "[";
    for (size_t i = 0; i < rows.size(); ++i)
        json += (i == 0 ? "\n" : ",\n") + toJson(rows[i]);
    return json + (rows.empty() ? "]" : "\n" + indent + "]");
}

// The "parallelism" member: the numbers on one line, then the process and thread rows.
std::string parallelismObject(const ReportData& data) {
    const Parallelism& p = data.parallelism;
    std::vector<double> concurrency;
    for (int64_t ns : p.concurrency_ns)
        concurrency.push_back(seconds(ns));
    std::string numbers =
        ObjectWriter("")
            .add("from_seconds", seconds(p.from_ns))
            .add("to_seconds", seconds(p.to_ns))
            .add("wall_seconds", seconds(p.wallNs()))
            .add("cpu_seconds", seconds(p.cpu_ns))
            .add("average_parallelism", p.averageParallelism())
            .add("busy_seconds", seconds(p.busy_ns))
            .add("idle_seconds", seconds(p.idleNs()))
            .add("serial_seconds", seconds(p.serial_ns))
            .add("serial_fraction", p.serialFraction())
            .add("serial_work_fraction", p.serialWorkFraction())
            .add("speedup_bound_over_one_core", optionalNumber(p.speedupBoundOverOneCore()))
            .add("speedup_bound_over_this_run", optionalNumber(p.speedupBoundOverThisRun()))
            .add("concurrency_seconds", numberList(concurrency))
            .add("timeline_bins", p.bins)
            .str();
    numbers.pop_back(); // the closing brace: the rows follow
    return numbers + ", " + quote("processes") + ": " +
           arrayOfLines(
               p.processes, "  ",
               [&](const ProcessParallelism& row) { return parallelProcessObject(data, row); }) +
           ", " + quote("threads") + ": " +
           arrayOfLines(
               p.threads, "  ",
               [&](const ThreadParallelism& row) { return parallelThreadObject(data, row); }) +
           "}";
}

template <class Stats, class ToJson>
void printList(std::ostream& out, std::string_view key, const std::vector<Stats>& list,
               ToJson toJson) {
    out << "  " << quote(key) << ": " << arrayOfLines(list, "  ", toJson);
}

void printRunMembers(const ReportData& data, std::ostream& out) {
    const RunInfo& run = data.profile.run;
    out << "  \"total_samples\": " << data.totals.samples << ",\n"
        << "  \"cpu_seconds\": " << formatNumber(seconds(data.totals.cpu_ns)) << ",\n"
        << "  \"off_cpu_seconds\": " << formatNumber(seconds(data.totals.off_cpu_ns)) << ",\n"
        << "  \"run_queue_seconds\": " << formatNumber(seconds(data.totals.run_queue_ns)) << ",\n"
        << "  \"wall_seconds\": " << formatNumber(seconds(run.wall_ns)) << ",\n"
        << "  \"frequency_hz\": " << run.frequency_hz << ",\n"
        << "  \"trigger\": " << quote(run.trigger) << ",\n"
        << "  \"clock\": " << quote(run.clock) << ",\n"
        << "  \"command\": " << stringList(run.command) << ",\n"
        << "  \"exit_status\": " << run.exit_status << ",\n"
        << "  \"warnings\": " << stringList(run.warnings) << ",\n"
        << "  \"dropped_samples\": " << run.dropped_samples << ",\n"
        << "  \"instrumentation\": "
        << (run.instrumentation.empty() ? "null" : quote(run.instrumentation)) << ",\n"
        << "  \"total_calls\": " << (data.calls ? std::to_string(data.calls->calls) : "null")
        << ",\n"
        << "  \"primitive_calls\": "
        << (data.calls ? std::to_string(data.calls->primitive_calls) : "null") << ",\n";
}

// A JSON array with one block per matched function.
void printJsonRelations(const ReportData& data, std::ostream& out) {
    out << "[";
    const std::vector<RelationBlock>& blocks = data.relations->blocks;
    for (size_t i = 0; i < blocks.size(); ++i)
        out << (i == 0 ? "\n" : ",\n") << relationBlock(data, blocks[i]);
    out << "\n]\n";
}

std::string traceEventObject(const ReportData& data, const TraceCall& call) {
    const Function& function = data.profile.function(call.event->function);
    return ObjectWriter("      ")
        .add("function", quote(function.name))
        .add("file", quote(function.file))
        .add("line", function.line)
        .add("start_ms", milliseconds(call.event->start_ns))
        .add("duration_ms", milliseconds(call.event->duration_ns))
        .add("depth", call.depth)
        .str();
}

// {"pid", "tid", "name", "omitted_events", "events": [...]}, over several lines.
std::string threadTrace(const ReportData& data, const ThreadTrace& trace) {
    const Thread& thread = data.profile.thread(trace.thread);
    std::string json = "    {" + quote("pid") + ": " +
                       std::to_string(data.profile.process(thread.process).pid) + ", " +
                       quote("tid") + ": " + std::to_string(thread.tid) + ", " + quote("name") +
                       ": " + quote(thread.name) + ", " + quote("omitted_events") + ": " +
                       std::to_string(trace.omitted) + ", " + quote("events") + ": [";
    for (size_t i = 0; i < trace.calls.size(); ++i)
        json += (i == 0 ? "\n" : ",\n") + traceEventObject(data, trace.calls[i]);
    return json + (trace.calls.empty() ? "]}" : "\n    ]}");
}

void printJsonTrace(const ReportData& data, std::ostream& out) {
    out << "{\n  \"min_duration_ms\": "
        << formatNumber(milliseconds(data.profile.run.min_duration_ns)) << ",\n";
    out << "  \"threads\": [";
    for (size_t i = 0; i < data.trace->size(); ++i)
        out << (i == 0 ? "\n" : ",\n") << threadTrace(data, (*data.trace)[i]);
    out << (data.trace->empty() ? "]" : "\n  ]") << "\n}\n";
}

} // namespace

void printJsonReport(const ReportData& data, std::ostream& out) {
    if (data.trace)
        return printJsonTrace(data, out);
    if (data.relations)
        return printJsonRelations(data, out);
    out << "{\n";
    printRunMembers(data, out);
    printList(out, "functions", data.functions,
              [&](const FunctionStats& stats) { return functionObject(data, stats); });
    out << ",\n";
    printList(out, "threads", data.threads,
              [&](const ThreadStats& stats) { return threadObject(data, stats); });
    out << ",\n";
    printList(out, "processes", data.processes,
              [&](const ProcessStats& stats) { return processObject(data, stats); });
    out << ",\n  \"parallelism\": " << parallelismObject(data) << "\n}\n";
}

} // namespace hprof
