#include "report_command.h"

#include "hprof/error.h"
#include "hprof/import.h"

#include <iostream>
#include <string>

namespace hprof::cli {
int runReport(const ReportCommandOptions& options) {
    const Profile profile = readAnyProfile(options.file);
    ReportOptions report = options.report;
    try {
        report.filter = resolveFilter(profile, options.filter);
    } catch (const Error& error) {
        throw Error(options.file + ": " + error.what());
    }
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
