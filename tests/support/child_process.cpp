#include "child_process.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hprof::test {
namespace {

double monotonicSeconds() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// Runs in the forked child: only async-signal-safe calls.
[[noreturn]] void execChild(char* const* argv, char* const* envp, const char* working_dir,
                            int stdin_fd, int out_fd, int err_fd) {
    setpgid(0, 0); // so that a hanging run can be killed with everything it started
    if (chdir(working_dir) != 0 || dup2(stdin_fd, STDIN_FILENO) < 0 ||
        dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(126);
    execve(argv[0], argv, envp);
    _exit(127);
}

int shellStatus(int wait_status) {
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

// The test's environment with `changes` applied, as "NAME=value" strings. Built before the
// fork: setenv is not async-signal-safe.
std::vector<std::string>
childEnvironment(const std::map<std::string, std::optional<std::string>>& changes) {
    std::vector<std::string> entries;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text = *entry;
        if (!changes.contains(text.substr(0, text.find('='))))
            entries.push_back(text);
    }
    for (const auto& [name, value] : changes) {
        if (value)
            entries.push_back(name + "=" + *value);
    }
    return entries;
}

std::vector<char*> pointersTo(const std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (const std::string& text : strings)
        pointers.push_back(const_cast<char*>(text.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options) {
    const std::vector<char*> arg_pointers = pointersTo(argv);
    const std::vector<std::string> environment = childEnvironment(options.environment);
    const std::vector<char*> env_pointers = pointersTo(environment);
    int out_pipe[2];
    int err_pipe[2];
    check(pipe2(out_pipe, O_CLOEXEC) == 0 && pipe2(err_pipe, O_CLOEXEC) == 0, "pipe2");
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    check(null_fd >= 0, "open /dev/null");
    pid_ = fork();
    check(pid_ >= 0, "fork");
    if (pid_ == 0)
        execChild(arg_pointers.data(), env_pointers.data(), options.working_dir.c_str(), null_fd,
                  out_pipe[1], err_pipe[1]);
    close(null_fd);
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    deadline_ = monotonicSeconds() + options.seconds_to_finish;
}

ChildProcess::~ChildProcess() {
    if (out_fd_ >= 0)
        close(out_fd_);
    if (err_fd_ >= 0)
        close(err_fd_);
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

bool ChildProcess::deadlinePassed() const {
    return monotonicSeconds() >= deadline_;
}

bool ChildProcess::pumpOnce() {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0)
        return false;
    if (deadlinePassed()) {
        timed_out_ = true;
        kill(-pid_, SIGKILL);
        return false;
    }
    const int wait_ms = int((deadline_ - monotonicSeconds()) * 1000) + 1;
    if (poll(fds, 2, wait_ms) < 0) {
        check(errno == EINTR, "poll");
        return true;
    }
    int* const descriptors[2] = {&out_fd_, &err_fd_};
    std::string* const buffers[2] = {&out_, &err_};
    for (int i = 0; i < 2; ++i) {
        if (*descriptors[i] < 0 || fds[i].revents == 0)
            continue;
        char chunk[4096];
        const ssize_t got = read(*descriptors[i], chunk, sizeof chunk);
        if (got > 0) {
            buffers[i]->append(chunk, size_t(got));
        } else if (got == 0 || errno != EINTR) {
            close(*descriptors[i]);
            *descriptors[i] = -1;
        }
    }
    return true;
}

std::string ChildProcess::readLine() {
    size_t newline;
    while ((newline = out_.find('\n', out_consumed_)) == std::string::npos && out_fd_ >= 0 &&
           pumpOnce()) {
    }
    const size_t end = newline == std::string::npos ? out_.size() : newline;
    std::string line = out_.substr(out_consumed_, end - out_consumed_);
    out_consumed_ = newline == std::string::npos ? end : end + 1;
    return line;
}

CommandResult ChildProcess::finish() {
    while (pumpOnce()) {
    }
    int wait_status = 0;
    while (waitpid(pid_, &wait_status, 0) < 0)
        check(errno == EINTR, "waitpid");
    pid_ = -1;
    return {shellStatus(wait_status), WIFSIGNALED(wait_status), timed_out_, out_, err_};
}

CommandResult runCommand(const std::vector<std::string>& argv, const ChildOptions& options) {
    return ChildProcess(argv, options).finish();
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(line);
    return lines;
}

std::vector<pid_t> childrenOf(pid_t parent) {
    std::vector<pid_t> children;
    DIR* proc = opendir("/proc");
    check(proc != nullptr, "opendir /proc");
    while (const dirent* entry = readdir(proc)) {
        const pid_t pid = std::atoi(entry->d_name);
        if (pid <= 0)
            continue;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the
        // last ')'.
        const size_t comm_end = text.rfind(')');
        if (comm_end == std::string::npos)
            continue;
        std::istringstream fields(text.substr(comm_end + 1));
        char state = 0;
        pid_t ppid = 0;
        if (fields >> state >> ppid && ppid == parent)
            children.push_back(pid);
    }
    closedir(proc);
    return children;
}

bool waitForCpuTime(pid_t pid, double seconds) {
    clockid_t clock;
    if (clock_getcpuclockid(pid, &clock) != 0)
        return false;
    const timespec target{time_t(seconds), long((seconds - double(time_t(seconds))) * 1e9)};
    int error;
    while ((error = clock_nanosleep(clock, TIMER_ABSTIME, &target, nullptr)) == EINTR) {
    }
    return error == 0;
}

} // namespace hprof::test
