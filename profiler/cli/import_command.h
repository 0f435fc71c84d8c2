// `hprof import FILE -o OUT`: another tool's profile (pstats, perf script, gperftools CPU
// profile; docs/import.md) written as an *.hprof file.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Reads FILE (recognised by its content), writes the profile, prints the usual table on stderr
// unless quiet. Returns 0; throws hprof::Error (unreadable or unknown FILE, output not
// writable).
int runImport(const ImportCommandOptions& options);

} // namespace hprof::cli
