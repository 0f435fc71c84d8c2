#include "hprof/collector.h"

#include "call_tables.h"
#include "cpu_accounting.h"
#include "frame_resolver.h"
#include "hprof/error.h"
#include "hprof/profile_builder.h"
#include "process_collector.h"
#include "process_tree.h"
#include "raw_stream_reader.h"
#include "stream_liveness.h"
#include "stream_stop.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

namespace hprof {
namespace {

std::vector<std::string> rawStreamPaths(const std::string& run_dir) {
    std::vector<std::string> paths;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(run_dir, error)) {
        if (entry.path().extension() == ".raw")
            paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

const char* triggerName(raw::Trigger trigger) {
    return trigger == raw::Trigger::CpuTimer ? "cpu-timer" : "perf-task-clock";
}

void appendUnique(std::vector<std::string>& warnings, const std::vector<std::string>& more) {
    std::set<std::string> seen(warnings.begin(), warnings.end());
    for (const std::string& warning : more) {
        if (seen.insert(warning).second)
            warnings.push_back(warning);
    }
}

// Header facts that belong to the run rather than to one process.
void addStreamInfo(RunInfo& run, const RawStreamInfo& info, bool earliest) {
    run.dropped_samples += info.dropped_samples;
    if (run.frequency_hz == 0)
        run.frequency_hz = info.frequency_hz;
    if (run.trigger.empty())
        run.trigger = triggerName(info.trigger);
    if (info.clock == raw::Clock::Wall)
        run.clock = "wall";
    if (earliest && run.start_time_unix_ns == 0)
        run.start_time_unix_ns = static_cast<int64_t>(info.start_realtime_ns);
}

// `hprof mpirun ...`: hprof is not a rank itself, but its processes are; the run belongs to
// their job. What hprof knew itself (`mpirun hprof ...`: options.run) comes first.
void addJobInfo(RunInfo& run, const std::vector<ProcessFacts>& facts) {
    for (const ProcessFacts& process : facts) {
        if (run.job_id.empty())
            run.job_id = process.job_id;
        run.world_size = std::max(run.world_size, process.world_size);
    }
}

// By thread, then start; of calls starting together the longer (the caller) comes first, so
// that the events of a thread nest in order. A merge sort: the probe writes calls as they
// return, in long runs that are already in order, on which introsort degrades to heapsort.
void sortTraceEvents(std::vector<TraceEvent>& events) {
    std::stable_sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) {
        return std::tuple(a.thread, a.start_ns, b.duration_ns) <
               std::tuple(b.thread, b.start_ns, a.duration_ns);
    });
}

std::vector<ChildExitFact> reapedByLauncher(const std::vector<ReapedProcess>& reaped,
                                            uint64_t run_start_ns) {
    std::vector<ChildExitFact> exits;
    for (const ReapedProcess& process : reaped)
        exits.push_back({static_cast<int64_t>(process.monotonic_ns - run_start_ns), process.pid,
                         process.wait_status});
    return exits;
}

// Its data ends where the stream was read: no end, no exit status, and a warning that says so.
void markStillRunning(Profile& profile, const std::vector<ProcessId>& running, RunInfo& run) {
    for (const ProcessId id : running) {
        Process& process = profile.processes[id.value];
        process.note = kStillRunningNote;
        process.exit_status.reset();
        run.warnings.push_back("process " + std::to_string(process.pid) + " (" + process.command +
                               ") was " + kStillRunningNote + ": its profile is partial");
    }
}

// The launcher's start of the program when it knows it and it is not after the first probe's
// start (a clock that cannot be trusted otherwise), else the first probe's start.
uint64_t runStart(uint64_t earliest_stream_ns, const CollectOptions& options) {
    const uint64_t launcher = options.program_start_monotonic_ns;
    return launcher != 0 && launcher <= earliest_stream_ns ? launcher : earliest_stream_ns;
}

// A launcher time on the profile's time line; nullopt when unknown (0).
std::optional<int64_t> relativeTime(uint64_t monotonic_ns, uint64_t run_start_ns) {
    if (monotonic_ns == 0)
        return std::nullopt;
    return static_cast<int64_t>(monotonic_ns - run_start_ns);
}

} // namespace

std::vector<ProcessId> stillRunningProcesses(const Profile& profile) {
    std::vector<ProcessId> running;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].note == kStillRunningNote)
            running.push_back(ProcessId(i));
    }
    return running;
}

Profile collect(const CollectOptions& options) {
    std::vector<RawStreamReader> readers;
    std::vector<bool> still_written; // by reader, asked before reading
    std::vector<std::string> problems;
    for (const std::string& path : rawStreamPaths(options.run_dir)) {
        try {
            const bool written = streamStillWritten(path);
            readers.emplace_back(path);
            still_written.push_back(written);
        } catch (const Error& error) {
            problems.push_back(error.what());
        }
    }
    if (readers.empty()) {
        std::string message = options.run_dir + ": no profile data (no readable raw stream)";
        if (!problems.empty())
            message += ": " + problems.front();
        throw Error(message);
    }

    // The run starts when the launcher started the program, or else with its earliest process;
    // every time in the profile counts from there.
    const RawStreamReader& earliest =
        *std::min_element(readers.begin(), readers.end(), [](const auto& a, const auto& b) {
            return a.info().start_monotonic_ns < b.info().start_monotonic_ns;
        });
    const uint64_t run_start_ns = runStart(earliest.info().start_monotonic_ns, options);

    ProfileBuilder builder;
    FrameResolver resolver(builder, options.debuginfo_paths);
    RunInfo run = options.run;
    appendUnique(run.warnings, problems);
    CallTableLosses call_table_losses;
    TraceLosses trace_losses;
    WeightLosses weight_losses;
    std::vector<ProcessFacts> process_facts;
    std::vector<ProcessId> running;
    for (const RawStreamReader& reader : readers) {
        addStreamInfo(run, reader.info(), &reader == &earliest);
        if (auto warning = streamStopWarning(reader.info(), options.run_dir))
            run.warnings.push_back(*warning);
        ProcessCollector process(reader.info(), run_start_ns, builder, resolver);
        const RawReadSummary read = reader.read(process);
        if (read.damaged())
            run.warnings.push_back(damagedStreamWarning(reader.path(), read));
        process.finish();
        appendUnique(run.warnings, process.warnings());
        call_table_losses.add(process.callTableLosses());
        trace_losses.add(process.traceLosses());
        weight_losses.add(process.weightLosses());
        process_facts.push_back(process.facts());
        if (still_written[size_t(&reader - readers.data())] && !process.facts().end_record_ns)
            running.push_back(process.facts().process);
    }
    linkProcesses(builder.profile(), process_facts, reapedByLauncher(options.reaped, run_start_ns),
                  run, relativeTime(options.program_end_monotonic_ns, run_start_ns));
    markStillRunning(builder.profile(), running, run);
    addJobInfo(run, process_facts);
    call_table_losses.report(run);
    trace_losses.report(run); // after the counts: a traced run is more than a counted one
    weight_losses.report(run);
    checkCpuAccounting(builder.profile(), run);
    sortTraceEvents(builder.profile().trace_events);
    appendUnique(run.warnings, resolver.warnings());
    builder.profile().run = std::move(run);
    return builder.take();
}

} // namespace hprof
