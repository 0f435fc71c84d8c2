// `hprof report`: prints the function table of a profile file on stdout.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Returns 0; throws hprof::Error for an unreadable profile.
int runReport(const ReportCommandOptions& options);

} // namespace hprof::cli
