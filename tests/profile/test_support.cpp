#include "test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <sstream>

namespace hprof::test {

StackId internStack(ProfileBuilder& builder, std::initializer_list<FrameId> rootToLeaf) {
    StackId node;
    for (FrameId frame : rootToLeaf)
        node = builder.internStack(node, frame);
    return node;
}

std::map<std::string, FunctionStats> statsByName(const Profile& profile,
                                                 const SampleFilter& filter) {
    std::map<std::string, FunctionStats> byName;
    for (const FunctionStats& stats : computeFunctionStats(profile, filter))
        byName.emplace(profile.function(stats.function).name, stats);
    return byName;
}

namespace {

RunInfo richRunInfo() {
    RunInfo run;
    run.command = {"./prog", "--name=a b", "\"quoted\"", ""};
    run.start_time_unix_ns = 1'700'000'000'123'456'789;
    run.wall_ns = 2'500'000'000;
    run.cpu_ns = 4'750'000'000;
    run.host = "build-host";
    run.frequency_hz = 997;
    run.trigger = "perf-task-clock";
    run.hprof_version = "0.1.0";
    run.exit_status = 139;
    run.dropped_samples = 42;
    run.warnings = {"program owns SIGPROF; sampled with signal 60", "second\nline"};
    run.instrumentation = "trace";
    run.min_duration_ns = 100'000;
    run.clock = "wall";
    run.runs = 3;
    run.job_id = "4242.0";
    run.world_size = 4;
    return run;
}

void addProcessesAndThreads(Profile& profile) {
    profile.processes.push_back(makeProcess(100, 1, "./prog --name=a b", 0, 2'500'000'000, 0));
    profile.processes.push_back(makeProcess(-7, 100, "child", 5'000, 9'000'000, std::nullopt));
    profile.processes.back().parent = ProcessId(0);
    profile.processes.back().from_exec = true;
    profile.processes.back().executable = "/usr/bin/child";
    profile.processes.back().rank = 3;
    profile.processes.back().host = "node-07";
    profile.processes.push_back(makeProcess(-8, -7, "/usr/bin/passwd", 6'000, 6'000, 1));
    profile.processes.back().parent = ProcessId(1);
    profile.processes.back().profiled = false;
    profile.processes.back().note = "setuid program: the loader ignores LD_PRELOAD";
    profile.threads.push_back({ProcessId(0), 100, "prog", 0, 2'500'000'000, 1'000'000'000});
    profile.threads.push_back({ProcessId(0), 101, "worker \xc3\xbc", 10, 2'000'000, 0});
    profile.threads.push_back({ProcessId(1), 205, "", -5, 9'000'000, 123});
}

} // namespace

Profile richProfile() {
    ProfileBuilder builder;
    builder.profile().run = richRunInfo();
    addProcessesAndThreads(builder.profile());
    ModuleId exe = builder.internModule({"/usr/bin/prog", "0123456789abcdef"});
    ModuleId libc = builder.internModule({"/lib/x86_64-linux-gnu/libc.so.6", ""});
    FunctionId main = builder.internFunction({"main", "/src/main.cpp", 10, exe});
    FunctionId find =
        builder.internFunction({"std::map<int, int>::find", "/usr/include/map", 1200, exe});
    FunctionId odd = builder.internFunction({"odd\"name\\\x01\xff", "", 0, libc});
    FunctionId orphan = builder.internFunction({"libc.so.6+0x1234", "", 0, ModuleId()});
    FrameId mainFrame = builder.internFrame({main, 12, false});
    FrameId findInlined = builder.internFrame({find, 1210, true});
    FrameId oddFrame = builder.internFrame({odd, 0, false});
    FrameId orphanFrame = builder.internFrame({orphan, 0, false});
    StackId a = internStack(builder, {mainFrame, findInlined, oddFrame});
    StackId b = internStack(builder, {mainFrame, orphanFrame});
    StackId c = internStack(builder, {mainFrame});
    std::vector<Sample>& samples = builder.profile().samples;
    samples.push_back({1'000'000, ThreadId(0), a, 1'000'000});
    samples.push_back({1'000'000, ThreadId(1), b, 0, true});
    samples.push_back({2'000'000'000'000, ThreadId(2), c, -3, false, true}); // run queue
    samples.push_back({-50, ThreadId(0), c, INT64_MAX});
    samples.push_back({INT64_MAX, ThreadId(2), a, INT64_MIN});
    std::vector<CallCount>& counts = builder.profile().call_counts;
    counts.push_back({ThreadId(0), main, 1, 1, 0, INT64_MAX});
    counts.push_back({ThreadId(0), odd, UINT64_MAX, 0, INT64_MIN, -1});
    counts.push_back({ThreadId(2), main, 300, 299, std::nullopt, std::nullopt});
    std::vector<CallEdge>& edges = builder.profile().call_edges;
    edges.push_back({ThreadId(0), FunctionId(), main, 1, 1, INT64_MAX, std::nullopt});
    edges.push_back({ThreadId(0), main, odd, UINT64_MAX - 1, 7, std::nullopt, INT64_MIN});
    edges.push_back({ThreadId(2), odd, main, 300, 299, 1, 2});
    builder.profile().trace_events = {
        {ThreadId(0), main, 0, 2'000'000'000}, {ThreadId(0), odd, 1'000, 0},
        {ThreadId(0), find, -7, INT64_MAX},    {ThreadId(2), main, INT64_MIN, 1},
        {ThreadId(2), orphan, INT64_MAX, 5},   {ThreadId(0), main, 3, 4}};
    return builder.take();
}

Process makeProcess(int32_t pid, int32_t ppid, std::string command, int64_t start_ns,
                    int64_t end_ns, std::optional<int> exit_status) {
    Process process;
    process.pid = pid;
    process.ppid = ppid;
    process.command = std::move(command);
    process.start_ns = start_ns;
    process.end_ns = end_ns;
    process.exit_status = exit_status;
    return process;
}

Profile smallProfile() {
    ProfileBuilder builder;
    builder.profile().run.command = {"small"};
    builder.profile().run.warnings = {"w"};
    builder.profile().processes.push_back(makeProcess(10, 1, "small", 0, 100, 0));
    builder.profile().threads.push_back({ProcessId(0), 10, "t", 0, 100, 50});
    builder.profile().threads.push_back({ProcessId(0), 11, "u", 0, 100, 50});
    ModuleId module = builder.internModule({"/m", "ab"});
    FunctionId f = builder.internFunction({"f", "f.c", 1, module});
    FunctionId g = builder.internFunction({"g", "g.c", 2, module});
    StackId fg = internStack(
        builder, {builder.internFrame({f, 3, false}), builder.internFrame({g, 4, true})});
    StackId f_only = internStack(builder, {builder.internFrame({f, 3, false})});
    for (int i = 0; i < 4; ++i)
        builder.profile().samples.push_back(
            {1000 + i * 10, ThreadId(uint32_t(i % 2)), i % 3 ? fg : f_only, 10});
    builder.profile().run.instrumentation = "trace";
    // Times on some entries only, negative-free but of every size class of a varint.
    builder.profile().call_counts = {{ThreadId(0), f, 3, 1, 70, 1200000},
                                     {ThreadId(1), g, 2, 2, std::nullopt, std::nullopt}};
    builder.profile().call_edges = {{ThreadId(0), FunctionId(), f, 1, 1, 30, 1200000},
                                    {ThreadId(0), f, f, 2, 0, 40, 0},
                                    {ThreadId(1), f, g, 2, 2, std::nullopt, std::nullopt}};
    builder.profile().run.min_duration_ns = 5;
    builder.profile().trace_events = {
        {ThreadId(0), f, 1000, 30}, {ThreadId(0), g, 1010, 5}, {ThreadId(1), g, 1020, 200}};
    return builder.take();
}

Profile callTreeProfile() {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"./app", "x"};
    profile.run.wall_ns = 20 * kMs;
    profile.run.frequency_hz = 1000;
    profile.run.trigger = "perf-task-clock";
    profile.run.exit_status = 0;
    profile.run.warnings = {"program owns SIGPROF; sampled with signal 60"};
    profile.run.dropped_samples = 3;
    profile.processes.push_back(makeProcess(100, 1, "./app x", 0, 20 * kMs, 0));
    profile.processes.push_back(makeProcess(200, 100, "./app child", 0, 20 * kMs, 0));
    profile.threads.push_back({ProcessId(0), 100, "main", 0, 0, 0});
    profile.threads.push_back({ProcessId(0), 101, "worker", 0, 0, 0});
    profile.threads.push_back({ProcessId(1), 200, "child", 0, 0, 0});
    ModuleId app = builder.internModule({"/bin/app", ""});
    auto frame = [&](const char* name, const char* file, uint32_t line, ModuleId module,
                     uint32_t frame_line, bool inlined = false) {
        return builder.internFrame(
            {builder.internFunction({name, file, line, module}), frame_line, inlined});
    };
    FrameId main = frame("main", "app.cpp", 1, app, 2);
    FrameId alpha = frame("alpha(int)", "app.cpp", 10, app, 11);
    FrameId alphaAgain = frame("alpha(int)", "app.cpp", 10, app, 12);
    FrameId beta = frame("beta()", "app.cpp", 20, app, 21);
    FrameId gamma = frame("gamma_inline", "app.h", 5, app, 6, true);
    FrameId delta = frame("delta", "", 0, ModuleId(), 0);
    FrameId find = frame("std::map<int, int>::find", "map", 100, app, 101);
    auto sample = [&](int64_t ms, uint32_t thread, StackId stack, int64_t weight_ms) {
        profile.samples.push_back({ms * kMs, ThreadId(thread), stack, weight_ms * kMs});
    };
    sample(1, 0, internStack(builder, {main, alpha, beta, alphaAgain}), 1);
    sample(2, 0, internStack(builder, {main, alpha, beta}), 2);
    sample(3, 1, internStack(builder, {main, gamma, delta}), 3);
    sample(4, 2, internStack(builder, {main}), 4);
    sample(5, 1, internStack(builder, {main, find}), 5);
    return builder.take();
}

std::string report(const Profile& profile, const ReportOptions& options) {
    std::ostringstream out;
    printReport(profile, options, out);
    return out.str();
}

Profile threadsProfile(std::initializer_list<int> threads_per_process, int64_t wall_ms) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"./par"};
    profile.run.wall_ns = wall_ms * kMs;
    profile.run.frequency_hz = 1000;
    int32_t pid = 100;
    for (int threads : threads_per_process) {
        profile.processes.push_back(makeProcess(
            pid, pid == 100 ? 1 : 100, "./par " + std::to_string(pid), 0, wall_ms * kMs, 0));
        if (pid != 100)
            profile.processes.back().parent = ProcessId(0);
        for (int i = 0; i < threads; ++i)
            profile.threads.push_back({ProcessId(uint32_t(profile.processes.size() - 1)), pid + i,
                                       "t" + std::to_string(pid + i), 0, wall_ms * kMs, 0});
        pid += 100;
    }
    ModuleId module = builder.internModule({"/bin/par", ""});
    FunctionId work = builder.internFunction({"work", "par.c", 1, module});
    internStack(builder, {builder.internFrame({work, 2, false})});
    return builder.take();
}

void addSamples(Profile& profile, uint32_t thread, std::initializer_list<int64_t> times_ms,
                int64_t weight_ms, bool off_cpu) {
    for (int64_t ms : times_ms)
        profile.samples.push_back(
            {ms * kMs, ThreadId(thread), StackId(0), weight_ms * kMs, off_cpu});
    std::stable_sort(profile.samples.begin(), profile.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; });
}

void addBusy(Profile& profile, uint32_t thread, int64_t from_ms, int64_t to_ms) {
    for (int64_t ms = from_ms + 1; ms <= to_ms; ++ms)
        addSamples(profile, thread, {ms});
}

Profile callCountProfile() {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"./m"};
    profile.run.frequency_hz = 1000;
    profile.run.trigger = "perf-task-clock";
    profile.run.instrumentation = "counts";
    profile.processes.push_back(makeProcess(100, 1, "./m", 0, 20 * kMs, 0));
    profile.threads.push_back({ProcessId(0), 100, "main", 0, 0, 0});
    profile.threads.push_back({ProcessId(0), 101, "worker", 0, 0, 0});
    ModuleId module = builder.internModule({"/bin/m", ""});
    auto function = [&](const char* name, uint32_t line) {
        return builder.internFunction({name, "m.c", line, module});
    };
    FunctionId main = function("main", 1);
    FunctionId a = function("A", 10);
    FunctionId b = function("B", 20);
    FunctionId d = function("D", 30);
    auto frame = [&](FunctionId id) { return builder.internFrame({id, 0, false}); };
    auto sample = [&](int64_t ms, uint32_t thread, StackId stack, int64_t weight_ms) {
        profile.samples.push_back({ms * kMs, ThreadId(thread), stack, weight_ms * kMs});
    };
    sample(1, 0, internStack(builder, {frame(main), frame(a), frame(a), frame(a)}), 1);
    sample(2, 0, internStack(builder, {frame(main), frame(a)}), 2);
    sample(3, 0, internStack(builder, {frame(main), frame(b)}), 4);
    sample(4, 1, internStack(builder, {frame(b)}), 8);
    sample(5, 0, internStack(builder, {frame(main)}), 16);
    ThreadId t100(0), t101(1);
    // Counts mode: no times.
    auto count = [&](ThreadId thread, FunctionId function, uint64_t calls, uint64_t primitive) {
        profile.call_counts.push_back({thread, function, calls, primitive, {}, {}});
    };
    auto edge = [&](ThreadId thread, FunctionId caller, FunctionId callee, uint64_t calls,
                    uint64_t primitive) {
        profile.call_edges.push_back({thread, caller, callee, calls, primitive, {}, {}});
    };
    count(t100, main, 1, 1);
    count(t100, a, 3, 1);
    count(t100, b, 2, 2);
    count(t100, d, 5, 5);
    count(t101, b, 1, 1);
    count(t101, d, 2, 2);
    edge(t100, FunctionId(), main, 1, 1);
    edge(t100, main, a, 1, 1);
    edge(t100, a, a, 2, 1);
    edge(t100, main, b, 2, 2);
    edge(t100, b, d, 5, 5);
    edge(t101, FunctionId(), b, 1, 1);
    edge(t101, b, d, 2, 2);
    return builder.take();
}

Profile timedCallCountProfile() {
    Profile profile = callCountProfile();
    profile.run.instrumentation = "trace";
    auto times = [](auto& entry, int64_t tottime_ms, int64_t cumtime_ms) {
        entry.tottime_ns = tottime_ms * kMs;
        entry.cumtime_ns = cumtime_ms * kMs;
    };
    times(profile.call_counts[2], 250, 1500); // B on thread 100
    times(profile.call_edges[3], 250, 1500);  // main -> B on thread 100
    times(profile.call_edges[4], 100, 100);   // B -> D on thread 100
    times(profile.call_edges[6], 25, 25);     // B -> D on thread 101
    return profile;
}

namespace {

void expectEqualRun(const RunInfo& a, const RunInfo& b) {
    EXPECT_EQ(a.command, b.command);
    EXPECT_EQ(a.start_time_unix_ns, b.start_time_unix_ns);
    EXPECT_EQ(a.wall_ns, b.wall_ns);
    EXPECT_EQ(a.cpu_ns, b.cpu_ns);
    EXPECT_EQ(a.host, b.host);
    EXPECT_EQ(a.frequency_hz, b.frequency_hz);
    EXPECT_EQ(a.trigger, b.trigger);
    EXPECT_EQ(a.hprof_version, b.hprof_version);
    EXPECT_EQ(a.schema_version, b.schema_version);
    EXPECT_EQ(a.exit_status, b.exit_status);
    EXPECT_EQ(a.dropped_samples, b.dropped_samples);
    EXPECT_EQ(a.warnings, b.warnings);
    EXPECT_EQ(a.instrumentation, b.instrumentation);
    EXPECT_EQ(a.min_duration_ns, b.min_duration_ns);
    EXPECT_EQ(a.clock, b.clock);
    EXPECT_EQ(a.runs, b.runs);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.missing, b.missing);
    EXPECT_EQ(a.job_id, b.job_id);
    EXPECT_EQ(a.world_size, b.world_size);
}

// Compares two tables element by element with `same`, reporting the index of a difference.
template <class T, class Same>
void expectEqualTables(const std::vector<T>& a, const std::vector<T>& b, Same same,
                       const char* table) {
    ASSERT_EQ(a.size(), b.size()) << table;
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_TRUE(same(a[i], b[i])) << table << " " << i;
}

} // namespace

void expectEqual(const Profile& a, const Profile& b) {
    expectEqualRun(a.run, b.run);
    auto sameProcess = [](const Process& x, const Process& y) {
        return x.pid == y.pid && x.ppid == y.ppid && x.command == y.command &&
               x.start_ns == y.start_ns && x.end_ns == y.end_ns && x.exit_status == y.exit_status &&
               x.parent == y.parent && x.from_exec == y.from_exec && x.executable == y.executable &&
               x.profiled == y.profiled && x.note == y.note && x.rank == y.rank && x.host == y.host;
    };
    auto sameThread = [](const Thread& x, const Thread& y) {
        return x.process == y.process && x.tid == y.tid && x.name == y.name &&
               x.start_ns == y.start_ns && x.end_ns == y.end_ns && x.cpu_ns == y.cpu_ns;
    };
    auto sameModule = [](const Module& x, const Module& y) {
        return x.path == y.path && x.build_id == y.build_id;
    };
    auto sameFunction = [](const Function& x, const Function& y) {
        return x.name == y.name && x.file == y.file && x.line == y.line && x.module == y.module;
    };
    auto sameFrame = [](const Frame& x, const Frame& y) {
        return x.function == y.function && x.line == y.line && x.inlined == y.inlined;
    };
    auto sameNode = [](const StackNode& x, const StackNode& y) {
        return x.parent == y.parent && x.frame == y.frame;
    };
    auto sameSample = [](const Sample& x, const Sample& y) {
        return x.time_ns == y.time_ns && x.thread == y.thread && x.stack == y.stack &&
               x.weight_ns == y.weight_ns && x.off_cpu == y.off_cpu && x.run_queue == y.run_queue;
    };
    expectEqualTables(a.processes, b.processes, sameProcess, "process");
    expectEqualTables(a.threads, b.threads, sameThread, "thread");
    expectEqualTables(a.modules, b.modules, sameModule, "module");
    expectEqualTables(a.functions, b.functions, sameFunction, "function");
    expectEqualTables(a.frames, b.frames, sameFrame, "frame");
    expectEqualTables(a.stacks, b.stacks, sameNode, "stack node");
    auto sameCount = [](const CallCount& x, const CallCount& y) {
        return x.thread == y.thread && x.function == y.function && x.calls == y.calls &&
               x.primitive_calls == y.primitive_calls && x.tottime_ns == y.tottime_ns &&
               x.cumtime_ns == y.cumtime_ns;
    };
    auto sameEdge = [](const CallEdge& x, const CallEdge& y) {
        return x.thread == y.thread && x.caller == y.caller && x.callee == y.callee &&
               x.calls == y.calls && x.primitive_calls == y.primitive_calls &&
               x.tottime_ns == y.tottime_ns && x.cumtime_ns == y.cumtime_ns;
    };
    expectEqualTables(a.samples, b.samples, sameSample, "sample");
    expectEqualTables(a.call_counts, b.call_counts, sameCount, "call count");
    expectEqualTables(a.call_edges, b.call_edges, sameEdge, "call edge");
    auto sameEvent = [](const TraceEvent& x, const TraceEvent& y) {
        return x.thread == y.thread && x.function == y.function && x.start_ns == y.start_ns &&
               x.duration_ns == y.duration_ns;
    };
    expectEqualTables(a.trace_events, b.trace_events, sameEvent, "trace event");
}

} // namespace hprof::test
