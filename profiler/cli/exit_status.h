// Mapping the way a program ended to shell-style exit statuses and messages.
#pragma once

#include <optional>
#include <string>

namespace hprof::cli {

// Shell convention: the exit code N, or 128+N for a death by signal N.
int exitStatusFromWait(int wait_status);

// The signal that killed the program, if it was killed by one.
std::optional<int> killingSignal(int wait_status);

// "SIGSEGV" for 11; "signal 77" for numbers without a name (real-time signals).
std::string signalName(int signal_number);

// What hprof exits with after a recording: the program's status, so hprof can stand in for
// the program in scripts; but a profiler failure must not look like success, so it turns a
// status of 0 into kExitHprofError.
int recordExitStatus(int program_status, bool profiler_failed);

} // namespace hprof::cli
