#include "collect_command.h"

#include "cli_error.h"
#include "output_file.h"
#include "run_description.h"

#include "hprof/collector.h"
#include "hprof/error.h"
#include "hprof/profile_io.h"
#include "hprof/report.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace hprof::cli {
namespace {

RunDescription checkRunDirectory(const std::string& run_dir) {
    std::error_code error;
    if (!std::filesystem::is_directory(run_dir, error))
        throw Error(run_dir + ": not a directory");
    const std::optional<RunDescription> description = readRunDescription(run_dir);
    if (!description)
        throw Error(run_dir + ": not an hprof run directory (it has no run-info)");
    if (writerIsAlive(*description))
        throw Error(run_dir + ": hprof " + std::to_string(description->hprof_pid) +
                    " is still recording into it");
    return *description;
}

// The record command measured the run's wall time; here the processes' ends tell it.
void settleWallTime(Profile& profile) {
    for (const Process& process : profile.processes)
        profile.run.wall_ns = std::max(profile.run.wall_ns, process.end_ns);
}

void printCollectSummary(const Profile& profile, const CollectCommandOptions& options) {
    if (!options.quiet) {
        ReportOptions report;
        report.limit = 25;
        report.parallelism = ParallelismSection::Proportionate;
        printReport(profile, report, std::cerr);
    }
    printError("profile written to " + options.output + " (" +
               std::to_string(profile.samples.size()) + " samples)");
}

} // namespace

int runCollect(const CollectCommandOptions& options) {
    const RunDescription description = checkRunDirectory(options.run_dir);
    checkOutputWritable(options.output);
    Profile profile = collect({options.run_dir, description.run, {}, {}});
    settleWallTime(profile);
    if (auto backup = saveProfile(profile, options.output))
        printError("renamed the existing " + options.output + " to " + *backup);
    std::filesystem::remove_all(options.run_dir);
    printCollectSummary(profile, options);
    return 0;
}

} // namespace hprof::cli
