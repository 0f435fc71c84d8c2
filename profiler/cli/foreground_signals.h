// Signal handling of hprof while it runs a program, like a shell running a foreground job:
// Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT) reach the program through the terminal's process group
// and hprof ignores them, so it survives to write the profile; SIGTERM and SIGHUP, which are
// usually sent to hprof alone, are forwarded to the program.
//
// SIGTERM, SIGHUP and SIGCHLD are blocked and taken with sigwaitinfo, so a signal is forwarded
// before the program is reaped and never to a recycled pid. Everything is restored when the
// object dies; signals still pending then take their usual effect.
#pragma once

#include <csignal>
#include <sys/resource.h>
#include <sys/types.h>

namespace hprof::cli {

class ForegroundSignals {
  public:
    ForegroundSignals();
    ~ForegroundSignals();
    ForegroundSignals(const ForegroundSignals&) = delete;
    ForegroundSignals& operator=(const ForegroundSignals&) = delete;

    // In the forked child before exec: gives the program the dispositions and mask hprof got.
    // Async-signal-safe.
    void restoreInChild() const;

    // Waits until `child` terminates, forwarding SIGTERM and SIGHUP to it. Returns the wait
    // status and the child's resource usage.
    int waitForExit(pid_t child, struct rusage& usage) const;

  private:
    void restore() const;

    struct sigaction old_interrupt_ {};
    struct sigaction old_quit_ {};
    struct sigaction old_child_ {};
    sigset_t old_mask_{};
    sigset_t waited_{};
};

} // namespace hprof::cli
