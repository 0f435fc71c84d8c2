#include "descendants.h"

#include "cli_error.h"
#include "exit_status.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>

namespace hprof::cli {
namespace {

int64_t monotonicNs() {
    timespec time{};
    clock_gettime(CLOCK_MONOTONIC, &time);
    return int64_t(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string fileText(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(file)), {});
}

// Field 4 of /proc/<pid>/stat, counted after the command name's last ')'.
pid_t parentOf(const std::string& pid) {
    const std::string stat = fileText("/proc/" + pid + "/stat");
    const size_t name_end = stat.rfind(')');
    if (name_end == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(name_end + 1));
    std::string state;
    pid_t ppid = 0;
    fields >> state >> ppid;
    return ppid;
}

std::string commandOf(const std::string& pid) {
    std::string command = fileText("/proc/" + pid + "/cmdline");
    while (!command.empty() && command.back() == '\0')
        command.pop_back();
    std::replace(command.begin(), command.end(), '\0', ' ');
    return command;
}

std::string seconds(int64_t ns) {
    std::ostringstream text;
    text << double(ns) / 1e9 << "s";
    return text.str();
}

} // namespace

void becomeChildSubreaper() {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        printError(std::string("cannot wait for the processes the program leaves running: "
                               "prctl(PR_SET_CHILD_SUBREAPER): ") +
                   std::strerror(errno));
}

bool reapEndedChildren(pid_t program, std::optional<int>& program_status,
                       std::vector<ReapedProcess>& orphans) {
    for (;;) {
        int status = 0;
        const pid_t reaped = waitpid(-1, &status, WNOHANG);
        if (reaped == 0)
            return true;
        if (reaped < 0) {
            if (errno == ECHILD)
                return false;
            throw Error(std::string("waiting for the program: ") + std::strerror(errno));
        }
        if (reaped == program)
            program_status = status;
        else
            orphans.push_back({reaped, status, uint64_t(monotonicNs())});
    }
}

std::vector<RunningChild> runningChildren() {
    std::vector<RunningChild> children;
    const pid_t self = getpid();
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos || parentOf(name) != self)
            continue;
        children.push_back({std::stoi(name), commandOf(name)});
    }
    return children;
}

std::string describe(const std::vector<RunningChild>& children) {
    std::string text;
    for (const RunningChild& child : children)
        text += (text.empty() ? "" : ", ") + std::to_string(child.pid) + " (" + child.command + ")";
    return text;
}

void waitForDescendants(ForegroundSignals& signals, int64_t timeout_ns,
                        std::vector<ReapedProcess>& orphans) {
    std::optional<int> unused_program_status;
    if (!reapEndedChildren(0, unused_program_status, orphans))
        return;
    printError(
        "the program ended; waiting up to " + seconds(timeout_ns) +
        " (--wait-descendants) for the processes it left running: " + describe(runningChildren()));
    signals.takeInterrupts();
    const int64_t deadline = monotonicNs() + timeout_ns;
    while (reapEndedChildren(0, unused_program_status, orphans)) {
        const int64_t remaining = deadline - monotonicNs();
        const int signal_number = remaining > 0 ? signals.awaitSignal(0, remaining) : 0;
        if (signal_number == SIGCHLD)
            continue;
        const std::string why =
            signal_number ? "on " + signalName(signal_number) : "after " + seconds(timeout_ns);
        printError("stopped waiting " + why +
                   "; still running, their profile is partial: " + describe(runningChildren()));
        return;
    }
}

} // namespace hprof::cli
