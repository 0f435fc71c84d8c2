#include "record_command.h"

#include "child_environment.h"
#include "cli_error.h"
#include "exit_status.h"
#include "launcher.h"
#include "output_file.h"
#include "probe_location.h"
#include "program_lookup.h"
#include "run_directory.h"

#include "hprof/collector.h"
#include "hprof/report.h"

#include <climits>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <unistd.h>

extern char** environ;

namespace hprof::cli {
namespace {

// Everything the pre-flight checks established, before anything is started.
struct RecordPlan {
    std::string executable;
    std::string probe;
};

struct RecordOutcome {
    int program_status = 0;
    std::optional<Profile> profile; // empty when collecting or writing failed
};

RecordPlan checkBeforeStarting(const RecordOptions& options) {
    RecordPlan plan;
    plan.executable = findProgram(options.program.front(), std::getenv("PATH"));
    checkProgram(plan.executable);
    checkOutputWritable(options.output);
    plan.probe = locateProbe();
    return plan;
}

int64_t now(clockid_t clock) {
    timespec time{};
    clock_gettime(clock, &time);
    return int64_t(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string hostName() {
    char name[HOST_NAME_MAX + 1] = {};
    if (gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
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

// What the launcher knows for the collector: the run, and when hprof started the program and
// saw it end.
struct FinishedRun {
    RunInfo run;
    uint64_t program_start_monotonic_ns = 0;
    uint64_t program_end_monotonic_ns = 0;
};

FinishedRun runProgramUnderProbe(const RecordPlan& plan, const RecordOptions& options,
                                 const std::string& run_dir) {
    const LaunchRequest request{plan.executable, options.program,
                                childEnvironment(environ, probeSettings(plan, options, run_dir))};
    RunInfo run;
    run.command = options.program;
    run.host = hostName();
    run.frequency_hz = options.frequency_hz;
    if (options.instrument == InstrumentMode::Trace)
        run.min_duration_ns = options.min_duration_ns;
    run.hprof_version = HPROF_VERSION;
    run.start_time_unix_ns = now(CLOCK_REALTIME);
    const int64_t start = now(CLOCK_MONOTONIC);
    const ProgramExit program = runProgram(request);
    run.wall_ns = now(CLOCK_MONOTONIC) - start;
    run.cpu_ns = program.cpu_ns;
    run.exit_status = exitStatusFromWait(program.wait_status);
    if (auto signal = killingSignal(program.wait_status))
        printError("program killed by signal " + std::to_string(*signal) + " (" +
                   signalName(*signal) + ")");
    return {run, uint64_t(start), program.end_monotonic_ns};
}

std::optional<Profile> collectAndWrite(const std::string& run_dir, const FinishedRun& finished,
                                       const std::string& output) {
    try {
        Profile profile = collect({run_dir,
                                   finished.run,
                                   {},
                                   finished.program_end_monotonic_ns,
                                   finished.program_start_monotonic_ns});
        if (auto backup = saveProfile(profile, output))
            printError("renamed the existing " + output + " to " + *backup);
        return profile;
    } catch (const std::exception& error) {
        printError(error.what());
        return std::nullopt;
    }
}

// The run directory lives exactly as long as this call, whatever happens in it.
RecordOutcome recordIntoRunDirectory(const RecordPlan& plan, const RecordOptions& options) {
    const RunDirectory run_dir;
    const FinishedRun finished = runProgramUnderProbe(plan, options, run_dir.path());
    return {finished.run.exit_status, collectAndWrite(run_dir.path(), finished, options.output)};
}

// On stderr, so that the program's stdout stays exactly what the program wrote.
void printSummary(const Profile& profile, const RecordOptions& options) {
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
    std::string traced;
    if (options.instrument == InstrumentMode::Trace)
        traced = ", " + std::to_string(profile.trace_events.size()) + " traced calls";
    printError("profile written to " + options.output + " (" +
               std::to_string(profile.samples.size()) + " samples" + traced + ")");
}

} // namespace

int runRecord(const RecordOptions& options) {
    const RecordPlan plan = checkBeforeStarting(options);
    RecordOutcome outcome;
    try {
        outcome = recordIntoRunDirectory(plan, options);
    } catch (const ExecError& error) {
        printError(error.what());
        return kExitCannotExecute;
    }
    if (outcome.profile)
        printSummary(*outcome.profile, options);
    return recordExitStatus(outcome.program_status, !outcome.profile);
}

} // namespace hprof::cli
