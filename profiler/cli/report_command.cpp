#include "report_command.h"

#include "hprof/error.h"
#include "hprof/import.h"

#include <iostream>
#include <string>

namespace hprof::cli {

SampleFilter resolveFilterOf(const Profile& profile, const std::string& file,
                             const FilterRequest& request) {
    try {
        return resolveFilter(profile, request);
    } catch (const Error& error) {
        throw Error(file + ": " + error.what());
    }
}

int runReport(const ReportCommandOptions& options) {
    const Profile profile = readAnyProfile(options.file);
    ReportOptions report = options.report;
    report.filter = resolveFilterOf(profile, options.file, options.filter);
    // Checked here too, so that the message names the file.
    if (report.trace && profile.trace_events.empty())
        throw Error(options.file + " has no trace (record with --instrument=trace)");
    printReport(profile, report, std::cout);
    std::cout.flush();
    if (!std::cout)
        throw Error("report: cannot write to standard output");
    return 0;
}

} // namespace hprof::cli
