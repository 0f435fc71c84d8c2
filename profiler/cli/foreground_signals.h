// Signal handling of hprof over a whole recording, like a shell running a foreground job:
//
// 1. While the program runs: Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT) reach the program through the
//    terminal's process group and hprof ignores them, so it survives to write the profile;
//    SIGTERM and SIGHUP, which are usually sent to hprof alone, are forwarded to the program.
// 2. While hprof waits for the processes the program left running (takeInterrupts): SIGINT,
//    SIGQUIT, SIGTERM and SIGHUP stop the waiting (awaitSignal returns them).
// 3. While hprof collects and writes the profile (guardCollection): the first of those signals
//    is answered with a line saying that the profile is being finished; a second one abandons
//    it, keeps the run directory, names the `hprof collect` command for it and exits 128+N.
//
// SIGTERM, SIGHUP and SIGCHLD are blocked and taken with sigwaitinfo, so a signal is forwarded
// before the program is reaped and never to a recycled pid. Everything is restored when the
// object dies; signals still pending then take their usual effect.
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
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

    // Waits for SIGCHLD, SIGTERM or SIGHUP (and, after takeInterrupts, SIGINT or SIGQUIT).
    // SIGTERM and SIGHUP are forwarded to `forward_to` unless it is 0. Returns the signal, or 0
    // when `timeout_ns` (negative: no limit) passed first.
    int awaitSignal(pid_t forward_to, int64_t timeout_ns) const;

    // The first of SIGTERM and SIGHUP that hprof was sent before collecting, taken by
    // awaitSignal or still pending (then taken now), or 0. After one of them, whoever sent it
    // may follow with SIGKILL (detached_collection.h).
    int stopSignal();

    // Phase 2: SIGINT and SIGQUIT are no longer ignored but taken by awaitSignal.
    void takeInterrupts();

    // Phase 3, for the rest of this object's life. `run_dir` is named if the profile is
    // abandoned.
    void guardCollection(const std::string& run_dir);

  private:
    void restore() const;

    struct sigaction old_interrupt_ {};
    struct sigaction old_quit_ {};
    struct sigaction old_terminate_ {};
    struct sigaction old_hangup_ {};
    struct sigaction old_child_ {};
    sigset_t old_mask_{};
    sigset_t waited_{};
    mutable int stop_signal_ = 0; // noted by awaitSignal
};

} // namespace hprof::cli
