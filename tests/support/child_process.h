// Runs a command as a child process with its stdout and stderr captured separately.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hprof::test {

struct CommandResult {
    int status = -1;        // shell convention: the exit code, or 128+N for a death by signal N
    bool killed = false;    // the child itself died by a signal
    bool timed_out = false; // killed by us because it did not finish in time
    std::string out;
    std::string err;
};

// How to start the child. It always gets its own process group, stdin from /dev/null and the
// test's environment with `environment` applied on top.
struct ChildOptions {
    std::string working_dir;
    // Variables to set, or to unset where the value is nullopt.
    std::map<std::string, std::optional<std::string>> environment = {};
    // After this long the child's whole process group is killed and the result says timed_out.
    // The default is well inside the ctest TIMEOUT, so that a hanging hprof fails its test with
    // a message.
    double seconds_to_finish = 240;
};

class ChildProcess {
  public:
    // Starts argv[0] (a path). The child leads its own process group, like a shell's job: a
    // hanging run can be killed with everything it started, and a test can signal the group as
    // a terminal would.
    ChildProcess(const std::vector<std::string>& argv, const ChildOptions& options);
    ~ChildProcess(); // kills and reaps a child that is still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Reads stdout up to and including the next newline (stderr is collected meanwhile).
    // Returns what it got, without a newline, if stdout ends or time runs out first.
    std::string readLine();
    // Reads both pipes to their end and waits for the child's exit. The result holds all of
    // stdout, including the lines readLine returned.
    CommandResult finish();

  private:
    // Waits for output on either pipe and reads it; false once both pipes are closed or the
    // deadline has passed (then the child is killed).
    bool pumpOnce();
    bool deadlinePassed() const;

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string out_;
    std::string err_;
    size_t out_consumed_ = 0;
    double deadline_ = 0; // CLOCK_MONOTONIC seconds
    bool timed_out_ = false;
};

CommandResult runCommand(const std::vector<std::string>& argv, const ChildOptions& options);

// Lines of `text` without their newlines.
std::vector<std::string> linesOf(const std::string& text);

// Blocks until process `pid` has used `seconds` of CPU time (a sleep on its CPU clock, which
// ends on that event, not after a guessed delay). Returns false if the clock is unusable.
bool waitForCpuTime(pid_t pid, double seconds);

// Processes whose parent is `parent`, found in /proc.
std::vector<pid_t> childrenOf(pid_t parent);

} // namespace hprof::test
