// Starting the profiled program and waiting for it.
#pragma once

#include "foreground_signals.h"

#include "hprof/collector.h"
#include "hprof/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hprof::cli {

struct LaunchRequest {
    std::string executable;               // the file to run, as found by findProgram
    std::vector<std::string> argv;        // the program's arguments, argv[0] included, untouched
    std::vector<std::string> environment; // "NAME=value" entries
};

struct ProgramExit {
    int wait_status = 0;
    // CLOCK_MONOTONIC when the wait returned: the time of death of a program killed by a signal,
    // which left no end record of its own.
    uint64_t end_monotonic_ns = 0;
};

// exec(2) failed in the child although the pre-flight checks passed (the file changed).
class ExecError : public Error {
  public:
    using Error::Error;
};

// Forks, execs the program with the caller's stdin/stdout/stderr and waits for it while
// handling signals like a shell's foreground job (see foreground_signals.h, made before and
// alive during the call). Orphans reaped meanwhile (hprof as their subreaper) go to `orphans`.
// Throws ExecError, or hprof::Error when the program cannot be started at all.
ProgramExit runProgram(const LaunchRequest& request, const ForegroundSignals& signals,
                       std::vector<ReapedProcess>& orphans);

// User+system time of every child hprof reaped so far, and of the children they reaped.
int64_t childrenCpuNs();

} // namespace hprof::cli
