#include "profile_merge.h"

#include "saturating.h"

#include <algorithm>
#include <utility>

namespace hprof {
namespace {

// Where one input's ids land in the result. Processes and threads are appended, so their ids
// shift by a constant; the interned tables need a lookup per id.
struct IdMap {
    uint32_t first_process = 0;
    uint32_t first_thread = 0;
    std::vector<FunctionId> functions;
    std::vector<StackId> stacks;
    int64_t time_offset_ns = 0;

    ProcessId process(ProcessId id) const {
        return id.valid() ? ProcessId(first_process + id.value) : id;
    }
    StackId stack(StackId id) const { return id.valid() ? stacks[id.value] : id; }
    ThreadId thread(ThreadId id) const { return ThreadId(first_thread + id.value); }
    FunctionId function(FunctionId id) const { return id.valid() ? functions[id.value] : id; }
    void shift(int64_t& time_ns) const { addSaturating(time_ns, time_offset_ns); }
};

void internSymbols(const Profile& run, ProfileBuilder& builder, IdMap& map) {
    std::vector<ModuleId> modules;
    for (const Module& module : run.modules)
        modules.push_back(builder.internModule(module));
    for (Function function : run.functions) {
        if (function.module.valid())
            function.module = modules[function.module.value];
        map.functions.push_back(builder.internFunction(function));
    }
    std::vector<FrameId> frames;
    for (Frame frame : run.frames) {
        frame.function = map.function(frame.function);
        frames.push_back(builder.internFrame(frame));
    }
    // A parent always precedes its children in the trie, so it is mapped before them.
    for (const StackNode& node : run.stacks)
        map.stacks.push_back(builder.internStack(map.stack(node.parent), frames[node.frame.value]));
}

void appendProcessesAndThreads(const Profile& run, const IdMap& map, Profile& merged) {
    for (Process process : run.processes) {
        process.parent = map.process(process.parent);
        map.shift(process.start_ns);
        map.shift(process.end_ns);
        merged.processes.push_back(std::move(process));
    }
    for (Thread thread : run.threads) {
        thread.process = map.process(thread.process);
        map.shift(thread.start_ns);
        map.shift(thread.end_ns);
        merged.threads.push_back(std::move(thread));
    }
}

void appendEvents(const Profile& run, const IdMap& map, Profile& merged) {
    for (Sample sample : run.samples) {
        map.shift(sample.time_ns);
        sample.thread = map.thread(sample.thread);
        sample.stack = map.stack(sample.stack);
        merged.samples.push_back(sample);
    }
    for (CallCount count : run.call_counts) {
        count.thread = map.thread(count.thread);
        count.function = map.function(count.function);
        merged.call_counts.push_back(count);
    }
    for (CallEdge edge : run.call_edges) {
        edge.thread = map.thread(edge.thread);
        edge.caller = map.function(edge.caller);
        edge.callee = map.function(edge.callee);
        merged.call_edges.push_back(edge);
    }
    for (TraceEvent event : run.trace_events) {
        event.thread = map.thread(event.thread);
        event.function = map.function(event.function);
        map.shift(event.start_ns);
        merged.trace_events.push_back(event);
    }
}

} // namespace

void appendProfile(const Profile& input, int64_t time_offset_ns, ProfileBuilder& builder) {
    Profile& merged = builder.profile();
    IdMap map;
    map.first_process = uint32_t(merged.processes.size());
    map.first_thread = uint32_t(merged.threads.size());
    map.time_offset_ns = time_offset_ns;
    internSymbols(input, builder, map);
    appendProcessesAndThreads(input, map, merged);
    appendEvents(input, map, merged);
}

int64_t runExtent(const Profile& run) {
    int64_t extent = std::max<int64_t>(run.run.wall_ns, 0);
    for (const Process& process : run.processes)
        extent = std::max(extent, process.end_ns);
    for (const Thread& thread : run.threads)
        extent = std::max(extent, thread.end_ns);
    if (!run.samples.empty())
        extent = std::max(extent, run.samples.back().time_ns);
    for (const TraceEvent& event : run.trace_events) {
        int64_t end_ns = event.start_ns;
        addSaturating(end_ns, event.duration_ns);
        extent = std::max(extent, end_ns);
    }
    return extent;
}

void addWarnings(const std::vector<std::string>& warnings, std::vector<std::string>& merged) {
    for (const std::string& warning : warnings)
        if (std::find(merged.begin(), merged.end(), warning) == merged.end())
            merged.push_back(warning);
}

void sortTraceEvents(std::vector<TraceEvent>& events) {
    std::stable_sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) {
        return std::pair(a.thread, a.start_ns) < std::pair(b.thread, b.start_ns);
    });
}

} // namespace hprof
