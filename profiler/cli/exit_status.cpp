#include "exit_status.h"

#include "cli_error.h"

#include <cstring>
#include <sys/wait.h>

namespace hprof::cli {

int exitStatusFromWait(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

std::optional<int> killingSignal(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return WTERMSIG(wait_status);
    return std::nullopt;
}

std::string signalName(int signal_number) {
    if (const char* abbreviation = sigabbrev_np(signal_number))
        return std::string("SIG") + abbreviation;
    return "signal " + std::to_string(signal_number);
}

int recordExitStatus(int program_status, bool profiler_failed) {
    if (profiler_failed && program_status == 0)
        return kExitHprofError;
    return program_status;
}

} // namespace hprof::cli
