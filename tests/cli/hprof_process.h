// Runs the built hprof executable as a child process for the end-to-end tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

struct HprofRun {
    int status = -1;     // shell convention: exit code, or 128+N for a death by signal N
    bool killed = false; // hprof itself died by a signal
    std::string out;
    std::string err;
};

struct HprofSetup {
    std::string working_dir;
    std::string stderr_file;                        // where hprof's stderr goes
    std::string tmpdir;                             // $TMPDIR of hprof
    std::optional<std::string> probe;               // $HPROF_PROBE; unset if empty
    std::map<std::string, std::string> environment; // extra variables
    bool own_process_group = false; // like a shell's foreground job, for terminal signals
};

class HprofProcess {
  public:
    HprofProcess(const std::vector<std::string>& args, const HprofSetup& setup);
    ~HprofProcess();

    pid_t pid() const { return pid_; }
    // Reads the child's stdout up to and including the next newline.
    std::string readLine();
    // Reads the rest of stdout, waits for the exit, and collects stderr.
    HprofRun finish();

  private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string stderr_path_;
    std::string consumed_;
};

HprofRun runHprof(const std::vector<std::string>& args, const HprofSetup& setup);

// Lines of `text`, without their newlines.
std::vector<std::string> linesOf(const std::string& text);
