// `hprof collect RUN_DIR`: turns a run directory that hprof left behind (killed, or unable to
// finish) into a profile.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Writes the profile, prints the usual summary on stderr, then removes the run directory.
// Returns 0; throws hprof::Error (not a directory, not an hprof run directory, no streams,
// its hprof still running, output not writable).
int runCollect(const CollectCommandOptions& options);

} // namespace hprof::cli
