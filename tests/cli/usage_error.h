// The one-line usage error parseCommandLine gives for `args`, or "no error": what the command-line
// tests compare messages against.
#pragma once

#include "cli_error.h"
#include "command_line.h"

#include <string>
#include <vector>

namespace hprof::cli {

inline std::string usageErrorOf(const std::vector<std::string>& args) {
    try {
        parseCommandLine(args);
    } catch (const UsageError& error) {
        return error.what();
    }
    return "no error";
}

} // namespace hprof::cli
