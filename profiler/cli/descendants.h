// The processes a program leaves running when it ends (daemons, double forks, children of a
// parent that did not wait): hprof makes itself their reaper, waits for them within a time
// limit, and learns how they ended. See docs/design.md, "Processes that outlive the program".
#pragma once

#include "foreground_signals.h"

#include "hprof/collector.h"

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hprof::cli {

// prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants become hprof's children instead of
// init's. Call before starting the program.
void becomeChildSubreaper();

// Reaps every child that has ended without waiting. The program's wait status goes to
// `program_status`, every other child to `orphans`. Returns false once hprof has no child left.
bool reapEndedChildren(pid_t program, std::optional<int>& program_status,
                       std::vector<ReapedProcess>& orphans);

struct RunningChild {
    pid_t pid = 0;
    std::string command; // its /proc cmdline, arguments joined with spaces
};

// hprof's children still running, from /proc.
std::vector<RunningChild> runningChildren();

// "1234 (daemon --x), 1240 (sleep 100)"
std::string describe(const std::vector<RunningChild>& children);

// After the program ended: waits until no child is left, for at most `timeout_ns`, reaping
// them into `orphans`. Says on stderr what it waits for, and what it cut when it stops: at the
// time limit, or at SIGINT, SIGQUIT, SIGTERM or SIGHUP.
void waitForDescendants(ForegroundSignals& signals, int64_t timeout_ns,
                        std::vector<ReapedProcess>& orphans);

} // namespace hprof::cli
