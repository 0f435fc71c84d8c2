#include "launcher.h"

#include "descendants.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace hprof::cli {
namespace {

// A NULL-terminated char* array over `strings`, built before fork: the child must not allocate.
std::vector<char*> cStringArray(const std::vector<std::string>& strings) {
    std::vector<char*> array;
    array.reserve(strings.size() + 1);
    for (const std::string& string : strings)
        array.push_back(const_cast<char*>(string.c_str()));
    array.push_back(nullptr);
    return array;
}

int64_t toNanoseconds(const timeval& time) {
    return int64_t(time.tv_sec) * 1'000'000'000 + int64_t(time.tv_usec) * 1'000;
}

// Runs in the forked child: only async-signal-safe calls. On failure the errno goes through the
// close-on-exec pipe, which stays empty when exec succeeds.
[[noreturn]] void execChild(const ForegroundSignals& signals, const LaunchRequest& request,
                            char* const* argv, char* const* environment, int error_pipe) {
    signals.restoreInChild();
    execvpe(request.executable.c_str(), argv, environment);
    const int error = errno;
    [[maybe_unused]] const ssize_t written = write(error_pipe, &error, sizeof error);
    _exit(127);
}

// The errno of a failed exec, or 0 once the child has exec'd (the pipe closed on exec).
int readExecError(int error_pipe) {
    int error = 0;
    ssize_t got;
    do {
        got = read(error_pipe, &error, sizeof error);
    } while (got < 0 && errno == EINTR);
    return got == sizeof error ? error : 0;
}

} // namespace

int64_t childrenCpuNs() {
    struct rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return toNanoseconds(usage.ru_utime) + toNanoseconds(usage.ru_stime);
}

ProgramExit runProgram(const LaunchRequest& request, const ForegroundSignals& signals,
                       std::vector<ReapedProcess>& orphans) {
    const std::vector<char*> argv = cStringArray(request.argv);
    const std::vector<char*> environment = cStringArray(request.environment);
    int error_pipe[2];
    if (pipe2(error_pipe, O_CLOEXEC) != 0)
        throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
    const pid_t child = fork();
    if (child == 0)
        execChild(signals, request, argv.data(), environment.data(), error_pipe[1]);
    close(error_pipe[1]);
    if (child < 0) {
        close(error_pipe[0]);
        throw Error(std::string("cannot fork: ") + std::strerror(errno));
    }
    const int exec_error = readExecError(error_pipe[0]);
    close(error_pipe[0]);
    std::optional<int> status;
    while (reapEndedChildren(child, status, orphans) && !status)
        signals.awaitSignal(child, -1);
    timespec ended{};
    clock_gettime(CLOCK_MONOTONIC, &ended);
    if (exec_error != 0)
        throw ExecError("cannot execute " + request.executable + ": " + std::strerror(exec_error));
    if (!status) // reaped by nobody else: hprof is its only waiter
        throw Error("lost track of the program (pid " + std::to_string(child) + ")");
    return {*status, uint64_t(ended.tv_sec) * 1'000'000'000 + uint64_t(ended.tv_nsec)};
}

} // namespace hprof::cli
