// The sampling signal (SIGPROF) is shared with the program by chaining, as the JVM's libjsig
// does: the probe's handler stays installed for the whole run, the program's sigaction/signal
// calls on that signal are recorded here instead of reaching the kernel, and every SIGPROF
// that is not a sample trigger (kill, raise, ITIMER_PROF, the program's own timers) gets the
// program's disposition: its handler, the default action (the process dies of SIGPROF), or
// nothing (SIG_IGN). The program never loses a signal to the probe, nor the probe to it.
#pragma once

#include <csignal>

namespace hprof::probe {

// The disposition the program inherited (read before the probe installs its handler).
void adoptInheritedProgramAction(const struct sigaction& inherited);
// sigaction() on the sampling signal, as the program sees it. Async-signal-safe.
void exchangeProgramAction(const struct sigaction* action, struct sigaction* old);
// In a fork child: another thread of the parent may have held the writers' lock at the fork.
void releaseProgramActionLockAfterFork();
// Runs the program's disposition for a signal that is not the probe's. Async-signal-safe; runs
// in the probe's handler, with `context` the interrupted thread's.
void forwardToProgram(int signal, siginfo_t* info, void* context);

// For the duration of an exec: the kernel gets the program's view of the sampling signal, since
// SIG_IGN and a blocked mask survive exec and the new image must inherit them as without hprof
// (its own probe then takes the signal again). Undone if the exec fails. No allocation, no lock:
// runs in vfork children.
class ProgramSignalsForExec {
  public:
    ProgramSignalsForExec();
    ~ProgramSignalsForExec();
    ProgramSignalsForExec(const ProgramSignalsForExec&) = delete;
    ProgramSignalsForExec& operator=(const ProgramSignalsForExec&) = delete;

  private:
    struct sigaction probe_action_ {};
    bool ignored_ = false;
    bool blocked_ = false;
};

} // namespace hprof::probe
