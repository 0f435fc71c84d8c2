#include "profile_codec.h"

#include "hprof/error.h"

#include <optional>

namespace hprof {
namespace {

// Ids that may be "none" are stored as value + 1, with 0 for none.
template <class Id> void writeOptionalId(ByteWriter& out, Id id) {
    out.varint(id.valid() ? uint64_t(id.value) + 1 : 0);
}

template <class Id> Id readOptionalId(ByteReader& in) {
    uint32_t stored = in.varint32();
    return stored == 0 ? Id() : Id(stored - 1);
}

// Optional times (schema 4) are a presence flag, then the value.
void writeOptionalTime(ByteWriter& out, std::optional<int64_t> ns) {
    out.u8(ns.has_value());
    if (ns)
        out.svarint(*ns);
}

std::optional<int64_t> readOptionalTime(ByteReader& in) {
    if (!in.flag())
        return std::nullopt;
    return in.svarint();
}

template <class Id> Id readId(ByteReader& in) {
    uint32_t value = in.varint32();
    if (value == Id::kInvalid)
        in.fail("invalid id");
    return Id(value);
}

void writeStrings(ByteWriter& out, const std::vector<std::string>& strings) {
    out.varint(strings.size());
    for (const std::string& text : strings)
        out.string(text);
}

std::vector<std::string> readStrings(ByteReader& in) {
    std::vector<std::string> strings(in.count(1));
    for (std::string& text : strings)
        text = in.string();
    return strings;
}

// Reads a table: a count, then `count` elements of at least min_bytes each.
template <class T, class ReadOne>
void readTable(ByteReader& in, std::vector<T>& table, size_t min_bytes, ReadOne readOne) {
    table.resize(in.count(min_bytes));
    for (T& element : table)
        readOne(in, element);
}

// SourceGaps (schema 8) as one bit per field, in declaration order.
uint32_t encodeGaps(const SourceGaps& gaps) {
    const bool bits[] = {gaps.samples,     gaps.timestamps,     gaps.threads,
                         gaps.call_counts, gaps.sample_weights, gaps.run_times};
    uint32_t mask = 0;
    for (size_t i = 0; i < std::size(bits); ++i)
        mask |= uint32_t(bits[i]) << i;
    return mask;
}

SourceGaps decodeGaps(uint32_t mask) {
    auto bit = [mask](int i) { return ((mask >> i) & 1) != 0; };
    return SourceGaps{bit(0), bit(1), bit(2), bit(3), bit(4), bit(5)};
}

void encodeRun(const Profile& profile, ByteWriter& out) {
    const RunInfo& run = profile.run;
    writeStrings(out, run.command);
    out.svarint(run.start_time_unix_ns);
    out.svarint(run.wall_ns);
    out.svarint(run.cpu_ns);
    out.string(run.host);
    out.varint(run.frequency_hz);
    out.string(run.trigger);
    out.string(run.hprof_version);
    out.svarint(run.exit_status);
    out.varint(run.dropped_samples);
    writeStrings(out, run.warnings);
    out.string(run.instrumentation);
    out.svarint(run.min_duration_ns);
    out.string(run.clock);
    out.varint(run.runs);
    out.string(run.source);
    out.varint(encodeGaps(run.missing));
    out.string(run.job_id);
    out.svarint(run.world_size);
}

void decodeRun(ByteReader& in, Profile& profile) {
    RunInfo& run = profile.run;
    run.command = readStrings(in);
    run.start_time_unix_ns = in.svarint();
    run.wall_ns = in.svarint();
    run.cpu_ns = in.svarint();
    run.host = in.string();
    run.frequency_hz = in.varint32();
    run.trigger = in.string();
    run.hprof_version = in.string();
    run.exit_status = in.svarint32();
    run.dropped_samples = in.varint();
    run.warnings = readStrings(in);
    if (run.schema_version >= 2)
        run.instrumentation = in.string();
    if (run.schema_version >= 3)
        run.min_duration_ns = in.svarint();
    if (run.schema_version >= 5)
        run.clock = in.string();
    if (run.schema_version >= 7)
        run.runs = in.varint32();
    if (run.schema_version >= 8) {
        run.source = in.string();
        run.missing = decodeGaps(in.varint32());
    }
    if (run.schema_version >= 9) {
        run.job_id = in.string();
        run.world_size = in.svarint32();
    }
}

void encodeProcesses(const Profile& profile, ByteWriter& out) {
    out.varint(profile.processes.size());
    for (const Process& process : profile.processes) {
        out.svarint(process.pid);
        out.svarint(process.ppid);
        out.string(process.command);
        out.svarint(process.start_ns);
        out.svarint(process.end_ns);
        out.u8(process.exit_status.has_value());
        if (process.exit_status)
            out.svarint(*process.exit_status);
        writeOptionalId(out, process.parent);
        out.u8(process.from_exec);
        out.string(process.executable);
        out.u8(process.profiled);
        out.string(process.note);
        out.svarint(process.rank);
        out.string(process.host);
    }
}

void decodeProcesses(ByteReader& in, Profile& profile) {
    const bool relations = profile.run.schema_version >= 5;
    const bool ranks = profile.run.schema_version >= 9;
    readTable(in, profile.processes, 6, [&](ByteReader& in, Process& process) {
        process.pid = in.svarint32();
        process.ppid = in.svarint32();
        process.command = in.string();
        process.start_ns = in.svarint();
        process.end_ns = in.svarint();
        if (in.flag())
            process.exit_status = in.svarint32();
        if (!relations)
            return;
        process.parent = readOptionalId<ProcessId>(in);
        process.from_exec = in.flag();
        process.executable = in.string();
        process.profiled = in.flag();
        process.note = in.string();
        if (!ranks)
            return;
        process.rank = in.svarint32();
        process.host = in.string();
    });
}

void encodeThreads(const Profile& profile, ByteWriter& out) {
    out.varint(profile.threads.size());
    for (const Thread& thread : profile.threads) {
        out.varint(thread.process.value);
        out.svarint(thread.tid);
        out.string(thread.name);
        out.svarint(thread.start_ns);
        out.svarint(thread.end_ns);
        out.svarint(thread.cpu_ns);
    }
}

void decodeThreads(ByteReader& in, Profile& profile) {
    readTable(in, profile.threads, 6, [](ByteReader& in, Thread& thread) {
        thread.process = readId<ProcessId>(in);
        thread.tid = in.svarint32();
        thread.name = in.string();
        thread.start_ns = in.svarint();
        thread.end_ns = in.svarint();
        thread.cpu_ns = in.svarint();
    });
}

void encodeModules(const Profile& profile, ByteWriter& out) {
    out.varint(profile.modules.size());
    for (const Module& module : profile.modules) {
        out.string(module.path);
        out.string(module.build_id);
    }
}

void decodeModules(ByteReader& in, Profile& profile) {
    readTable(in, profile.modules, 2, [](ByteReader& in, Module& module) {
        module.path = in.string();
        module.build_id = in.string();
    });
}

void encodeFunctions(const Profile& profile, ByteWriter& out) {
    out.varint(profile.functions.size());
    for (const Function& function : profile.functions) {
        out.string(function.name);
        out.string(function.file);
        out.varint(function.line);
        writeOptionalId(out, function.module);
    }
}

void decodeFunctions(ByteReader& in, Profile& profile) {
    readTable(in, profile.functions, 4, [](ByteReader& in, Function& function) {
        function.name = in.string();
        function.file = in.string();
        function.line = in.varint32();
        function.module = readOptionalId<ModuleId>(in);
    });
}

void encodeFrames(const Profile& profile, ByteWriter& out) {
    out.varint(profile.frames.size());
    for (const Frame& frame : profile.frames) {
        out.varint(frame.function.value);
        out.varint(frame.line);
        out.u8(frame.inlined);
    }
}

void decodeFrames(ByteReader& in, Profile& profile) {
    readTable(in, profile.frames, 3, [](ByteReader& in, Frame& frame) {
        frame.function = readId<FunctionId>(in);
        frame.line = in.varint32();
        frame.inlined = in.flag();
    });
}

void encodeStacks(const Profile& profile, ByteWriter& out) {
    out.varint(profile.stacks.size());
    for (const StackNode& node : profile.stacks) {
        writeOptionalId(out, node.parent);
        out.varint(node.frame.value);
    }
}

void decodeStacks(ByteReader& in, Profile& profile) {
    readTable(in, profile.stacks, 2, [](ByteReader& in, StackNode& node) {
        node.parent = readOptionalId<StackId>(in);
        node.frame = readId<FrameId>(in);
    });
}

// Times and weights are stored as differences to the previous sample: samples are sorted by
// time and weights are nearly constant, so both differences are small. The arithmetic is done
// in uint64_t so that any int64_t value round-trips without signed overflow.
void encodeSamples(const Profile& profile, ByteWriter& out) {
    constexpr size_t kBytesPerSampleHighSide = 8; // commonly 5-7
    out.reserve(profile.samples.size() * kBytesPerSampleHighSide);
    out.varint(profile.samples.size());
    uint64_t previous_time = 0;
    uint64_t previous_weight = 0;
    for (const Sample& sample : profile.samples) {
        out.svarint(int64_t(uint64_t(sample.time_ns) - previous_time));
        out.varint(uint64_t(sample.thread.value) << 2 | uint64_t(sample.run_queue) << 1 |
                   uint64_t(sample.off_cpu));
        out.varint(sample.stack.value);
        out.svarint(int64_t(uint64_t(sample.weight_ns) - previous_weight));
        previous_time = uint64_t(sample.time_ns);
        previous_weight = uint64_t(sample.weight_ns);
    }
}

// Schema 5 stores the thread id shifted left by one, with Sample::off_cpu in the low bit;
// schema 6 shifts it by two, with Sample::run_queue in bit 1.
void decodeSamples(ByteReader& in, Profile& profile) {
    uint64_t time = 0;
    uint64_t weight = 0;
    const int flag_bits = profile.run.schema_version >= 6 ? 2 : profile.run.schema_version >= 5;
    constexpr size_t kSamplesPerProgressReport = 65536;
    size_t decoded = 0;
    int64_t previous_time = INT64_MIN;
    readTable(in, profile.samples, 4, [&](ByteReader& in, Sample& sample) {
        if (++decoded % kSamplesPerProgressReport == 0)
            in.reportProgress();
        time += uint64_t(in.svarint());
        sample.time_ns = int64_t(time);
        // Every time-range query binary-searches the samples: out of order is corrupt.
        if (sample.time_ns < previous_time)
            in.fail("samples out of time order");
        previous_time = sample.time_ns;
        if (flag_bits > 0) {
            const uint64_t thread_and_flags = in.varint();
            if (thread_and_flags >> flag_bits >= ThreadId::kInvalid)
                in.fail("invalid id");
            sample.thread = ThreadId(uint32_t(thread_and_flags >> flag_bits));
            sample.off_cpu = (thread_and_flags & 1) != 0;
            sample.run_queue = flag_bits == 2 && (thread_and_flags & 2) != 0;
        } else {
            sample.thread = readId<ThreadId>(in);
        }
        sample.stack = readId<StackId>(in);
        weight += uint64_t(in.svarint());
        sample.weight_ns = int64_t(weight);
    });
}

void encodeCallCounts(const Profile& profile, ByteWriter& out) {
    out.varint(profile.call_counts.size());
    for (const CallCount& count : profile.call_counts) {
        out.varint(count.thread.value);
        out.varint(count.function.value);
        out.varint(count.calls);
        out.varint(count.primitive_calls);
        writeOptionalTime(out, count.tottime_ns);
        writeOptionalTime(out, count.cumtime_ns);
    }
}

void decodeCallCounts(ByteReader& in, Profile& profile) {
    const bool times = profile.run.schema_version >= 4;
    readTable(in, profile.call_counts, times ? 6 : 4, [times](ByteReader& in, CallCount& count) {
        count.thread = readId<ThreadId>(in);
        count.function = readId<FunctionId>(in);
        count.calls = in.varint();
        count.primitive_calls = in.varint();
        if (times) {
            count.tottime_ns = readOptionalTime(in);
            count.cumtime_ns = readOptionalTime(in);
        }
    });
}

void encodeCallEdges(const Profile& profile, ByteWriter& out) {
    out.varint(profile.call_edges.size());
    for (const CallEdge& edge : profile.call_edges) {
        out.varint(edge.thread.value);
        writeOptionalId(out, edge.caller);
        out.varint(edge.callee.value);
        out.varint(edge.calls);
        out.varint(edge.primitive_calls);
        writeOptionalTime(out, edge.tottime_ns);
        writeOptionalTime(out, edge.cumtime_ns);
    }
}

void decodeCallEdges(ByteReader& in, Profile& profile) {
    const bool times = profile.run.schema_version >= 4;
    readTable(in, profile.call_edges, times ? 7 : 5, [times](ByteReader& in, CallEdge& edge) {
        edge.thread = readId<ThreadId>(in);
        edge.caller = readOptionalId<FunctionId>(in);
        edge.callee = readId<FunctionId>(in);
        edge.calls = in.varint();
        edge.primitive_calls = in.varint();
        if (times) {
            edge.tottime_ns = readOptionalTime(in);
            edge.cumtime_ns = readOptionalTime(in);
        }
    });
}

// Trace events are stored in runs of consecutive events of one thread (one run per thread, as
// they are sorted by thread): the thread once, then per event its start as the difference to the
// previous start of the run (small, as events are sorted by start), so a thread's timeline costs
// a few bytes per call. Any order round-trips; sorted events just take fewer bytes.
void encodeTraceRun(const std::vector<TraceEvent>& events, size_t begin, size_t end,
                    ByteWriter& out) {
    out.varint(events[begin].thread.value);
    out.varint(end - begin);
    uint64_t previous_start = 0;
    for (size_t i = begin; i < end; ++i) {
        out.varint(events[i].function.value);
        out.svarint(int64_t(uint64_t(events[i].start_ns) - previous_start));
        out.varint(uint64_t(events[i].duration_ns)); // checkReferences: not negative
        previous_start = uint64_t(events[i].start_ns);
    }
}

void encodeTraceEvents(const Profile& profile, ByteWriter& out) {
    const std::vector<TraceEvent>& events = profile.trace_events;
    std::vector<size_t> run_starts;
    for (size_t i = 0; i < events.size(); ++i) {
        if (i == 0 || events[i].thread != events[i - 1].thread)
            run_starts.push_back(i);
    }
    out.varint(run_starts.size());
    for (size_t run = 0; run < run_starts.size(); ++run) {
        size_t end = run + 1 < run_starts.size() ? run_starts[run + 1] : events.size();
        encodeTraceRun(events, run_starts[run], end, out);
    }
}

void decodeTraceEvents(ByteReader& in, Profile& profile) {
    size_t runs = in.count(2);
    for (size_t run = 0; run < runs; ++run) {
        ThreadId thread = readId<ThreadId>(in);
        size_t count = in.count(3);
        uint64_t start = 0;
        for (size_t i = 0; i < count; ++i) {
            TraceEvent event{thread, readId<FunctionId>(in)};
            start += uint64_t(in.svarint());
            event.start_ns = int64_t(start);
            event.duration_ns = int64_t(in.varint()); // checkReferences: not negative
            profile.trace_events.push_back(event);
        }
    }
}

// Throws unless `id` is an index into a table of `size` elements.
template <class Id>
void checkIndex(Id id, size_t size, const char* owner, size_t index, const char* what) {
    if (!id.valid() || id.value >= size)
        throw Error(std::string(owner) + " " + std::to_string(index) + " refers to " + what + " " +
                    (id.valid() ? std::to_string(id.value) : "<none>") + " but there are only " +
                    std::to_string(size));
}

void checkStacks(const Profile& profile) {
    for (size_t i = 0; i < profile.stacks.size(); ++i) {
        const StackNode& node = profile.stacks[i];
        checkIndex(node.frame, profile.frames.size(), "stack node", i, "frame");
        if (node.parent.valid())
            checkIndex(node.parent, i, "stack node", i, "parent stack node");
    }
}

void checkCalls(const Profile& profile) {
    size_t threads = profile.threads.size();
    size_t functions = profile.functions.size();
    for (size_t i = 0; i < profile.call_counts.size(); ++i) {
        checkIndex(profile.call_counts[i].thread, threads, "call count", i, "thread");
        checkIndex(profile.call_counts[i].function, functions, "call count", i, "function");
    }
    for (size_t i = 0; i < profile.call_edges.size(); ++i) {
        const CallEdge& edge = profile.call_edges[i];
        checkIndex(edge.thread, threads, "call edge", i, "thread");
        if (edge.caller.valid())
            checkIndex(edge.caller, functions, "call edge", i, "caller function");
        checkIndex(edge.callee, functions, "call edge", i, "callee function");
    }
}

void checkTraceEvents(const Profile& profile) {
    for (size_t i = 0; i < profile.trace_events.size(); ++i) {
        const TraceEvent& event = profile.trace_events[i];
        checkIndex(event.thread, profile.threads.size(), "trace event", i, "thread");
        checkIndex(event.function, profile.functions.size(), "trace event", i, "function");
        if (event.duration_ns < 0)
            throw Error("trace event " + std::to_string(i) + " has a negative duration (" +
                        std::to_string(event.duration_ns) + " ns)");
    }
}

} // namespace

const std::vector<SectionCodec>& sectionCodecs() {
    static const std::vector<SectionCodec> codecs = {
        {"RUN ", 1, encodeRun, decodeRun},
        {"PROC", 1, encodeProcesses, decodeProcesses},
        {"THRD", 1, encodeThreads, decodeThreads},
        {"MODS", 1, encodeModules, decodeModules},
        {"FUNC", 1, encodeFunctions, decodeFunctions},
        {"FRAM", 1, encodeFrames, decodeFrames},
        {"STAK", 1, encodeStacks, decodeStacks},
        {"SAMP", 1, encodeSamples, decodeSamples},
        {"CALL", 2, encodeCallCounts, decodeCallCounts},
        {"EDGE", 2, encodeCallEdges, decodeCallEdges},
        {"TRCE", 3, encodeTraceEvents, decodeTraceEvents},
    };
    return codecs;
}

void checkReferences(const Profile& profile) {
    for (size_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].parent.valid())
            checkIndex(profile.processes[i].parent, profile.processes.size(), "process", i,
                       "parent");
    }
    for (size_t i = 0; i < profile.threads.size(); ++i)
        checkIndex(profile.threads[i].process, profile.processes.size(), "thread", i, "process");
    for (size_t i = 0; i < profile.functions.size(); ++i) {
        if (profile.functions[i].module.valid())
            checkIndex(profile.functions[i].module, profile.modules.size(), "function", i,
                       "module");
    }
    for (size_t i = 0; i < profile.frames.size(); ++i)
        checkIndex(profile.frames[i].function, profile.functions.size(), "frame", i, "function");
    checkStacks(profile);
    for (size_t i = 0; i < profile.samples.size(); ++i) {
        checkIndex(profile.samples[i].thread, profile.threads.size(), "sample", i, "thread");
        checkIndex(profile.samples[i].stack, profile.stacks.size(), "sample", i, "stack node");
    }
    checkCalls(profile);
    checkTraceEvents(profile);
}

} // namespace hprof
