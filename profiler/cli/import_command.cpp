#include "import_command.h"

#include "cli_error.h"
#include "output_file.h"

#include "hprof/import.h"
#include "hprof/report.h"

#include <iostream>

namespace hprof::cli {

int runImport(const ImportCommandOptions& options) {
    checkOutputWritable(options.output);
    const Profile profile = readAnyProfile(options.file);
    if (auto backup = saveProfile(profile, options.output))
        printError("renamed the existing " + options.output + " to " + *backup);
    if (!options.quiet) {
        ReportOptions report;
        report.limit = 25;
        printReport(profile, report, std::cerr);
    }
    printError("profile written to " + options.output + " (imported from " + profile.run.source +
               ")");
    return 0;
}

} // namespace hprof::cli
