// `hprof export --format chrome`: Chrome's Trace Event JSON, read by Perfetto, chrome://tracing
// and speedscope. Processes and threads are named by "M" (metadata) events; the calls that
// `--instrument=trace` kept are "X" (complete) events; the samples are "i" (instant) events whose
// "sf" points into "stackFrames" (one per stack node, with its parent).
// Times are microseconds since the run started.
//
// Written as it goes, one event, frame or sample at a time.
#include "export_formats.h"
#include "export_support.h"
#include "hprof/queries.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace hprof {
namespace {

using Json = nlohmann::json;

double microseconds(int64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

// ns / 1000 as an exact decimal number: "1234.5", "-0.007", "12".
std::string microsecondsText(int64_t ns) {
    std::string sign = ns < 0 ? "-" : "";
    uint64_t magnitude = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    std::string text = sign + std::to_string(magnitude / 1000);
    if (uint64_t fraction = magnitude % 1000; fraction != 0) {
        std::string digits = std::to_string(1000 + fraction).substr(1); // three digits
        text += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
    }
    return text;
}

class ChromeTraceWriter {
  public:
    ChromeTraceWriter(const SampleSelector& selector, std::ostream& out)
        : selector_(selector), profile_(selector.profile()), out_(out),
          names_(exportedFunctionNames(profile_)), name_json_(profile_.functions.size()) {}

    void write() {
        out_ << "{\"displayTimeUnit\":\"ms\",\"otherData\":" << dumpJson(otherData());
        out_ << ",\"traceEvents\":[";
        writeMetadata();
        writeCalls();
        writeSamples();
        out_ << "]";
        writeStackFrames();
        out_ << "}\n";
    }

  private:
    Json otherData() const {
        return {{"exporter", "hprof " + profile_.run.hprof_version},
                {"command", commandLine(profile_.run)},
                {"clock", profile_.run.clock}};
    }

    // Every event after the first is preceded by a comma.
    void writeEvent(const Json& event) {
        if (events_written_++ > 0)
            out_ << ',';
        out_ << dumpJson(event);
    }

    // process_name for every selected pid (an exec'd pid is named by its last image) and
    // thread_name for every selected thread.
    void writeMetadata() {
        std::map<int32_t, std::string> process_names;
        for (uint32_t i = 0; i < profile_.processes.size(); ++i) {
            if (selector_.filter().acceptsProcess(profile_, ProcessId(i)))
                process_names[profile_.processes[i].pid] = profile_.processes[i].command;
        }
        for (const auto& [pid, command] : process_names)
            writeEvent(metadata("process_name", pid, pid, command));
        for (uint32_t i = 0; i < profile_.threads.size(); ++i) {
            if (!selector_.acceptsThread(ThreadId(i)))
                continue;
            const Thread& thread = profile_.threads[i];
            std::string name =
                thread.name.empty() ? "thread " + std::to_string(thread.tid) : thread.name;
            writeEvent(metadata("thread_name", pidOf(thread), thread.tid, name));
        }
    }

    static Json metadata(const char* kind, int32_t pid, int32_t tid, const std::string& name) {
        return {
            {"name", kind}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}};
    }

    // The kept calls of the selected threads in the time range, as report --trace lists them.
    void writeCalls() {
        if (profile_.trace_events.empty())
            return;
        for (const ThreadTrace& trace : computeTrace(profile_, selector_.filter())) {
            const Thread& thread = profile_.thread(trace.thread);
            for (const TraceCall& call : trace.calls)
                writeEvent(callEvent(thread, *call.event));
        }
    }

    Json callEvent(const Thread& thread, const TraceEvent& call) const {
        const Function& function = profile_.function(call.function);
        Json event = {{"name", names_[call.function.value]},
                      {"cat", "call"},
                      {"ph", "X"},
                      {"ts", microseconds(call.start_ns)},
                      {"dur", microseconds(call.duration_ns)},
                      {"pid", pidOf(thread)},
                      {"tid", thread.tid}};
        if (!function.file.empty())
            event["args"] = {{"file", function.file}, {"line", function.line}};
        return event;
    }

    // One stack frame per stack node that an accepted sample reaches, keyed by the node's id.
    void writeStackFrames() {
        std::vector<bool> reached = reachedStackNodes(selector_);
        out_ << ",\"stackFrames\":{";
        bool first = true;
        for (uint32_t node = 0; node < reached.size(); ++node) {
            if (!reached[node])
                continue;
            out_ << (first ? "" : ",") << '"' << node
                 << "\":" << dumpJson(stackFrame(StackId(node)));
            first = false;
        }
        out_ << "}";
    }

    Json stackFrame(StackId node) const {
        const StackNode& stack = profile_.stack(node);
        FunctionId id = profile_.frame(stack.frame).function;
        const Function& function = profile_.function(id);
        Json frame = {{"name", names_[id.value]}};
        if (function.module.valid())
            frame["category"] = profile_.module(function.module).path;
        if (stack.parent.valid())
            frame["parent"] = std::to_string(stack.parent.value);
        return frame;
    }

    // Each sample is an instant event of its thread, named after the function that was running,
    // with its stack as "sf": Perfetto shows instants on the thread's track (it ignores the
    // format's separate "samples" list), chrome://tracing also their stacks. Written without a
    // JSON object each (ten million objects took seconds): the only text is the function's name,
    // dumped once per function. ts is exact (ns / 1000 in decimal).
    void writeSamples() {
        selector_.forEach([&](const Sample& sample) {
            const Thread& thread = profile_.thread(sample.thread);
            out_ << (events_written_++ > 0 ? ",{" : "{") << "\"name\":" << leafNameJson(sample)
                 << ",\"cat\":\"" << stateName(sample)
                 << "\",\"ph\":\"i\",\"s\":\"t\",\"pid\":" << pidOf(thread)
                 << ",\"tid\":" << thread.tid << ",\"ts\":" << microsecondsText(sample.time_ns)
                 << ",\"sf\":\"" << sample.stack.value
                 << "\",\"args\":{\"weight_ns\":" << sample.weight_ns << "}}";
        });
    }

    const std::string& leafNameJson(const Sample& sample) {
        FunctionId function = profile_.frame(profile_.stack(sample.stack).frame).function;
        std::string& known = name_json_[function.value];
        if (known.empty())
            known = dumpJson(Json(names_[function.value]));
        return known;
    }

    static const char* stateName(const Sample& sample) {
        return sample.off_cpu ? "off-cpu" : sample.run_queue ? "run-queue" : "sample";
    }

    int32_t pidOf(const Thread& thread) const { return profile_.process(thread.process).pid; }

    const SampleSelector& selector_;
    const Profile& profile_;
    std::ostream& out_;
    std::vector<std::string> names_;     // by FunctionId
    std::vector<std::string> name_json_; // by FunctionId: names_ as JSON, made on first use
    size_t events_written_ = 0;
};

ExportNotes droppedByChromeTrace(const Profile& profile) {
    return droppedCountsAndTrace(profile, "a trace has events, not per-function counts", "");
}

} // namespace

ExportNotes writeChromeTrace(const SampleSelector& selector, std::ostream& out) {
    ChromeTraceWriter(selector, out).write();
    return droppedByChromeTrace(selector.profile());
}

} // namespace hprof
