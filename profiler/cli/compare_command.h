// `hprof diff` and `hprof check`: comparing profiles (issue 11).
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Exit statuses of `hprof diff` and `hprof check` (docs/cli.md). Usage errors are
// kExitHprofError (2), as for every command.
inline constexpr int kExitCheckPassed = 0;
inline constexpr int kExitRegression = 1;
inline constexpr int kExitBadProfile = 3; // unreadable, of another program, or without samples

// Prints every function's change; 0, or kExitBadProfile with a one-line error.
int runDiff(const DiffCommandOptions& options);

// Compares the current profiles (or a run of `program` it records first) with the baselines.
int runCheck(const CheckCommandOptions& options);

} // namespace hprof::cli
