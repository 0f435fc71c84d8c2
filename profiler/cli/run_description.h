// The small file "run-info" that `hprof record` writes into its run directory before it starts
// the program: what `hprof collect` needs to turn a run directory that a killed hprof left
// behind into a profile (the RunInfo that the record command would have filled), and who made
// it (hprof's pid and start time, to tell a leftover from a run still in progress).
//
// Format: NUL-terminated strings: "hprof-run-info", "1", then name and value pairs; the
// program's arguments are one "arg" pair each, in order. NUL separators need no escaping:
// no argument or value can hold a NUL.
#pragma once

#include "hprof/profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hprof::cli {

inline constexpr const char* kRunDescriptionFile = "run-info";

struct RunDescription {
    pid_t hprof_pid = 0;
    uint64_t hprof_start_ticks = 0; // field 22 of /proc/<pid>/stat: tells a reused pid apart
    std::string output;             // the profile the record command was to write
    RunInfo run;                    // command, host, start, frequency, min duration, version
};

// What describes this hprof process: its pid and start time.
RunDescription describeThisHprof();

// Writes `<run_dir>/run-info`. Throws hprof::Error.
void writeRunDescription(const std::string& run_dir, const RunDescription& description);

// Reads `<run_dir>/run-info`: nullopt when the file does not exist. Throws hprof::Error when
// it is not a run description.
std::optional<RunDescription> readRunDescription(const std::string& run_dir);

// Whether the hprof that wrote `description` is still running (same pid, same start time).
bool writerIsAlive(const RunDescription& description);

} // namespace hprof::cli
