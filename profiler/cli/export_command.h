// `hprof export` (issue 12): writes a profile in a format other tools read.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Returns 0; throws hprof::Error for an unreadable profile, an unwritable output, or a binary
// format about to go to a terminal.
int runExport(const ExportCommandOptions& options);

} // namespace hprof::cli
