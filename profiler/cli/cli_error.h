// How the hprof command reports its own failures: one line on stderr, a dedicated exit status.
#pragma once

#include "hprof/error.h"

#include <string_view>

namespace hprof::cli {

// Exit status of hprof when hprof itself fails (bad usage, pre-flight check, unreadable
// profile...). Programs that run to completion hand their own status through instead.
inline constexpr int kExitHprofError = 2;

// Exit status when the program passed the pre-flight checks but exec(2) still failed (the file
// changed in between), as in the shell.
inline constexpr int kExitCannotExecute = 127;

// A mistake on the command line. Its message says where to find help.
class UsageError : public Error {
  public:
    using Error::Error;
};

// Prints "hprof: <message>" as one line on stderr.
void printError(std::string_view message);

} // namespace hprof::cli
