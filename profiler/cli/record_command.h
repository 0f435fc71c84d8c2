// `hprof record`: runs a program under the probe and writes its profile.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Returns hprof's exit status: the program's (see recordExitStatus), kExitHprofError for a
// failed pre-flight check, kExitCannotExecute when exec failed after the checks.
int runRecord(const RecordOptions& options);

} // namespace hprof::cli
