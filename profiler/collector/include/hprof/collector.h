// The collector: turns the raw streams that libprobe wrote into a symbolized Profile.
#pragma once

#include "hprof/profile.h"

#include <string>
#include <vector>

namespace hprof {

// A process that hprof itself reaped: an orphan of the run, which became hprof's child because
// hprof is a child subreaper (docs/design.md, "Processes that outlive the program").
struct ReapedProcess {
    int32_t pid = 0;
    int wait_status = 0;       // as from waitpid
    uint64_t monotonic_ns = 0; // CLOCK_MONOTONIC when it was reaped
};

// Process::note of a process whose stream was still being written when it was collected: its
// data ends there, and it has no end and no exit status.
inline constexpr const char* kStillRunningNote = "still running when collected";

struct CollectOptions {
    std::string run_dir; // holds one "<pid>.raw" per profiled process
    RunInfo run;         // filled by the launcher (command, times, exit status...)
    std::vector<std::string> debuginfo_paths; // extra roots searched before /usr/lib/debug
    std::vector<ReapedProcess> reaped = {};   // exit statuses the launcher learned itself
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
// A process whose stream was still locked by its writer (libprobe/src/stream_lock.h) when it
// was read, and that had not recorded its end, gets Process::note kStillRunningNote and a line
// in RunInfo::warnings.
// Throws hprof::Error when run_dir holds no readable stream.
Profile collect(const CollectOptions& options);

// The processes of `profile` marked kStillRunningNote.
std::vector<ProcessId> stillRunningProcesses(const Profile& profile);

} // namespace hprof
