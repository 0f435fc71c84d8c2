#include "record_command.h"

#include "child_environment.h"
#include "cli_error.h"
#include "descendants.h"
#include "detached_collection.h"
#include "exit_status.h"
#include "foreground_signals.h"
#include "launcher.h"
#include "leftover_runs.h"
#include "output_file.h"
#include "output_name.h"
#include "probe_location.h"
#include "program_lookup.h"
#include "run_description.h"
#include "run_directory.h"
#include "test_hooks.h"

#include "hprof/collector.h"
#include "hprof/job_environment.h"
#include "hprof/merge_runs.h"
#include "hprof/report.h"

#include <climits>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <unistd.h>

extern char** environ;

namespace hprof::cli {
namespace {

// Everything the pre-flight checks established, before anything is started.
struct RecordPlan {
    std::string executable;
    std::string probe;
    OutputNameFields output_fields; // the pid is hprof's own until the program's is known
};

struct RecordOutcome {
    int program_status = 0;
    std::optional<Profile> profile;    // empty when collecting or writing failed
    std::string output;                // the file it was written to
    bool written_by_collector = false; // by a detached collector (detached_collection.h)
};

std::string hostName() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
}

// What -o may name the profile by (output_name.h): under mpirun or srun, hprof's environment is
// its rank's.
OutputNameFields outputNameFields(const RecordOptions& options) {
    const JobPlace job = readJobPlace(std::getenv);
    return {std::filesystem::path(options.program.front()).filename(), hostName(), job.rank,
            job.job_id, getpid()};
}

RecordPlan checkBeforeStarting(const RecordOptions& options) {
    RecordPlan plan;
    plan.executable = findProgram(options.program.front(), std::getenv("PATH"));
    checkProgram(plan.executable);
    plan.output_fields = outputNameFields(options);
    makeDirectoryTarget(options.output, plan.output_fields);
    checkOutputWritable(outputName(options.output, plan.output_fields));
    plan.probe = locateProbe();
    return plan;
}

// The -o name for `profile`: %p and directory targets name the profiled program's pid.
std::string outputFor(const RecordPlan& plan, const RecordOptions& options,
                      const Profile& profile) {
    OutputNameFields fields = plan.output_fields;
    for (const Process& process : profile.processes) {
        if (!process.parent.valid()) {
            fields.pid = process.pid;
            break;
        }
    }
    return outputName(options.output, fields);
}

int64_t now(clockid_t clock) {
    timespec time{};
    clock_gettime(clock, &time);
    return int64_t(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string instrumentSetting(InstrumentMode mode) {
    switch (mode) {
    case InstrumentMode::Auto:
        return {};
    case InstrumentMode::Counts:
        return "counts";
    case InstrumentMode::Off:
        return "off";
    case InstrumentMode::Trace:
        return "trace";
    }
    return {};
}

ProbeSettings probeSettings(const RecordPlan& plan, const RecordOptions& options,
                            const std::string& run_dir) {
    ProbeSettings probe{plan.probe, run_dir, options.frequency_hz,
                        instrumentSetting(options.instrument), std::nullopt};
    if (options.instrument == InstrumentMode::Trace)
        probe.min_duration_ns = options.min_duration_ns;
    probe.wall_clock = options.clock == ClockMode::Wall;
    return probe;
}

// What is known before the program starts; also written to the run directory's run-info.
RunInfo runInfoBeforeStart(const RecordOptions& options) {
    RunInfo run;
    run.command = options.program;
    run.host = hostName();
    run.frequency_hz = options.frequency_hz;
    if (options.instrument == InstrumentMode::Trace)
        run.min_duration_ns = options.min_duration_ns;
    run.hprof_version = HPROF_VERSION;
    run.start_time_unix_ns = now(CLOCK_REALTIME);
    const JobPlace job = readJobPlace(std::getenv); // `mpirun hprof ...`: hprof is in the job
    run.job_id = job.job_id;
    run.world_size = job.world_size;
    return run;
}

void describeRunDirectory(const RunInfo& run, const RecordOptions& options,
                          const std::string& run_dir) {
    RunDescription description = describeThisHprof();
    description.run = run;
    description.output = options.output;
    writeRunDescription(run_dir, description);
}

// What the launcher knows for the collector: the run, the processes the program left (which
// hprof reaped), and when hprof started the program and saw it end.
struct RecordedRun {
    RunInfo run;
    std::vector<ReapedProcess> orphans;
    uint64_t program_start_monotonic_ns = 0;
    uint64_t program_end_monotonic_ns = 0;
};

// Runs the program, then waits for the processes it left running (--wait-descendants).
RecordedRun runProgramUnderProbe(const RecordPlan& plan, const RecordOptions& options,
                                 const std::string& run_dir, ForegroundSignals& signals) {
    const LaunchRequest request{plan.executable, options.program,
                                childEnvironment(environ, probeSettings(plan, options, run_dir))};
    RecordedRun recorded{runInfoBeforeStart(options), {}};
    RunInfo& run = recorded.run;
    describeRunDirectory(run, options, run_dir);
    const bool wait_descendants = options.wait_descendants_ns > 0;
    if (wait_descendants)
        becomeChildSubreaper();
    const int64_t start = now(CLOCK_MONOTONIC);
    recorded.program_start_monotonic_ns = uint64_t(start);
    const ProgramExit program = runProgram(request, signals, recorded.orphans);
    recorded.program_end_monotonic_ns = program.end_monotonic_ns;
    run.exit_status = exitStatusFromWait(program.wait_status);
    if (auto signal = killingSignal(program.wait_status))
        printError("program killed by signal " + std::to_string(*signal) + " (" +
                   signalName(*signal) + ")");
    if (wait_descendants)
        waitForDescendants(signals, options.wait_descendants_ns, recorded.orphans);
    run.wall_ns = now(CLOCK_MONOTONIC) - start;
    run.cpu_ns = childrenCpuNs();
    return recorded;
}

// Writes `profile` to `output`; false (and the error printed) when it could not.
bool writeProfile(const Profile& profile, const std::string& output) {
    try {
        if (auto backup = saveProfile(profile, output))
            printError("renamed the existing " + output + " to " + *backup);
        return true;
    } catch (const std::exception& error) {
        printError(error.what());
        return false;
    }
}

std::optional<Profile> collectRun(const std::string& run_dir, const RecordedRun& recorded) {
    try {
        return collect({run_dir,
                        recorded.run,
                        {},
                        recorded.orphans,
                        recorded.program_end_monotonic_ns,
                        recorded.program_start_monotonic_ns});
    } catch (const std::exception& error) {
        printError(error.what());
        return std::nullopt;
    }
}

// Writes the outcome's profile where -o names it; drops the profile when that failed.
void writeOutcome(const RecordPlan& plan, const RecordOptions& options, RecordOutcome& outcome) {
    outcome.output = outputFor(plan, options, *outcome.profile);
    if (!writeProfile(*outcome.profile, outcome.output))
        outcome.profile.reset();
}

// hprof was told to stop: the collection goes on in a process that outlives a SIGKILL of hprof
// and its process group. First the one line that says where the raw streams are, in case it
// does not get far either.
DetachedCollection detachCollection(int stop_signal, const std::string& run_dir) {
    printError("stopped by signal " + std::to_string(stop_signal) + " (" + signalName(stop_signal) +
               "): the profile is collected in a process that outlives a kill of hprof; "
               "should none appear: hprof collect " +
               run_dir + " -o FILE");
    return DetachedCollection::start();
}

// The run directory lives exactly as long as this call, unless the profile could not be made
// from its streams: then it stays for `hprof collect`. Signals are handled as in
// foreground_signals.h until the profile is collected (and written unless `only_collect`: a run
// of --repeat, written merged with the others). When hprof was told to stop while the program
// ran, the collection goes on in a detached process and hprof waits for it.
RecordOutcome recordIntoRunDirectory(const RecordPlan& plan, const RecordOptions& options,
                                     bool only_collect) {
    RunDirectory run_dir;
    ForegroundSignals signals; // dies first: its handler names run_dir
    const RecordedRun recorded = runProgramUnderProbe(plan, options, run_dir.path(), signals);
    DetachedCollection detached;
    if (const int stop_signal = signals.stopSignal(); stop_signal != 0 && !only_collect) {
        detached = detachCollection(stop_signal, run_dir.path());
        if (detached.inLauncher()) {
            run_dir.keep(); // the collector's to remove
            return {recorded.run.exit_status, std::nullopt, {}, detached.awaitWritten()};
        }
        // Named by the collector's pid, the run directory is no leftover while it works
        // (leftover_runs.h), even when the launcher is gone.
        describeRunDirectory(recorded.run, options, run_dir.path());
    }
    signals.guardCollection(run_dir.path());
    passTestCollectGate();
    RecordOutcome outcome{recorded.run.exit_status, collectRun(run_dir.path(), recorded), {}};
    if (outcome.profile && !only_collect)
        writeOutcome(plan, options, outcome);
    if (!outcome.profile && holdsRawStreams(run_dir.path())) {
        run_dir.keep();
        printError("the raw streams are kept: hprof collect " + run_dir.path() + " -o FILE");
    }
    if (outcome.profile)
        detached.reportWritten();
    return outcome;
}

// A run ended by the user (Ctrl+C, kill, a closed terminal) ends --repeat: the user wants to stop.
bool stoppedByUser(int program_status) {
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        if (program_status == 128 + signal)
            return true;
    return false;
}

// --repeat N: the runs one after the other, merged into one profile (merge_runs.h). A run whose
// profile could not be collected ends the repetition and writes nothing (its raw streams are
// kept); the program status is the last failing run's, or 0.
RecordOutcome recordRepeatedly(const RecordPlan& plan, const RecordOptions& options) {
    std::vector<Profile> runs;
    RecordOutcome outcome;
    for (uint32_t run = 0; run < options.repeat; ++run) {
        RecordOutcome one = recordIntoRunDirectory(plan, options, true);
        if (one.program_status != 0)
            outcome.program_status = one.program_status;
        if (!one.profile)
            return outcome;
        runs.push_back(std::move(*one.profile));
        if (stoppedByUser(one.program_status) && run + 1 < options.repeat) {
            printError("run " + std::to_string(run + 1) + " of " + std::to_string(options.repeat) +
                       " was stopped: writing the runs so far");
            break;
        }
    }
    outcome.profile = mergeRuns(std::move(runs));
    writeOutcome(plan, options, outcome);
    return outcome;
}

// On stderr, so that the program's stdout stays exactly what the program wrote.
void printSummary(const Profile& profile, const RecordOptions& options, const std::string& output) {
    if (options.instrument == InstrumentMode::Auto && !profile.run.instrumentation.empty())
        printError("the program calls __cyg_profile_func_enter (built with "
                   "-finstrument-functions): call counts are exact (--instrument=off to ignore)");
    if (!options.quiet) {
        ReportOptions report;
        report.sort = options.sort;
        report.limit = options.limit;
        report.parallelism = ParallelismSection::Proportionate;
        printReport(profile, report, std::cerr);
        if (options.clock == ClockMode::Wall)
            printError("wall-clock mode: times include off-CPU (blocked) time");
    }
    std::string details;
    if (profile.run.runs != 1)
        details = std::to_string(profile.run.runs) + " runs, ";
    details += std::to_string(profile.samples.size()) + " samples";
    if (options.instrument == InstrumentMode::Trace)
        details += ", " + std::to_string(profile.trace_events.size()) + " traced calls";
    printError("profile written to " + output + " (" + details + ")");
}

} // namespace

int runRecord(const RecordOptions& options) {
    const RecordPlan plan = checkBeforeStarting(options);
    mentionLeftoverRuns();
    RecordOutcome outcome;
    try {
        outcome = options.repeat == 1 ? recordIntoRunDirectory(plan, options, false)
                                      : recordRepeatedly(plan, options);
    } catch (const ExecError& error) {
        printError(error.what());
        return kExitCannotExecute;
    }
    if (outcome.profile)
        printSummary(*outcome.profile, options, outcome.output);
    return recordExitStatus(outcome.program_status,
                            !outcome.profile && !outcome.written_by_collector);
}

} // namespace hprof::cli
