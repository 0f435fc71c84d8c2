#include "report_command.h"

#include "hprof/error.h"
#include "hprof/profile_io.h"

#include <iostream>

namespace hprof::cli {

int runReport(const ReportCommandOptions& options) {
    const Profile profile = readProfile(options.file);
    // Checked here too, so that the message names the file.
    if (options.report.trace && profile.trace_events.empty())
        throw Error(options.file + " has no trace (record with --instrument=trace)");
    printReport(profile, options.report, std::cout);
    std::cout.flush();
    if (!std::cout)
        throw Error("report: cannot write to standard output");
    return 0;
}

} // namespace hprof::cli
