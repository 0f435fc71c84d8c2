// `hprof scaling` (issue 13): runs a program at several sizes, each run a normal profile in a
// directory, and prints how each function's cost grows with the size (hprof/scaling.h).
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Exit statuses (docs/cli.md): usage errors and data that cannot be fitted (fewer than 4 sizes,
// sizes too close, runs too short) are kExitHprofError (2).
inline constexpr int kExitScalingRunFailed = 1; // a run of the program did not exit with 0
inline constexpr int kExitScalingBadProfile =
    3; // a profile of DIR unreadable or of another program

int runScaling(const ScalingCommandOptions& options);

// `program` with every "{}" in its arguments replaced by `size` (the program name is kept).
std::vector<std::string> programForSize(const std::vector<std::string>& program, double size);

} // namespace hprof::cli
