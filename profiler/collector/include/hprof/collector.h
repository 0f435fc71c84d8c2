// The collector: turns the raw streams that libprobe wrote into a symbolized Profile.
#pragma once

#include "hprof/profile.h"

#include <string>
#include <vector>

namespace hprof {

struct CollectOptions {
    std::string run_dir; // holds one "<pid>.raw" per profiled process
    RunInfo run;         // filled by the launcher (command, times, exit status...)
    std::vector<std::string> debuginfo_paths; // extra roots searched before /usr/lib/debug
    // CLOCK_MONOTONIC when the launcher's wait for the first process returned (0: unknown):
    // the end of that process if it died without an end record of its own (killed by a signal).
    uint64_t program_end_monotonic_ns = 0;
    // CLOCK_MONOTONIC when the launcher started the program (0: unknown). The run's times count
    // from there, so that the first process's exec and dynamic loading, before its probe
    // started, lie inside the run like RunInfo::wall_ns says they do.
    uint64_t program_start_monotonic_ns = 0;
};

// Reads every raw stream in run_dir (a truncated stream is read up to its last complete
// record), resolves each sample address to a module at the time of the sample, symbolizes each
// distinct address once with libdw, and returns the profile with samples sorted by time. The
// call tables of instrumented programs become Profile::call_counts and call_edges.
// Throws hprof::Error when run_dir holds no readable stream.
Profile collect(const CollectOptions& options);

} // namespace hprof
