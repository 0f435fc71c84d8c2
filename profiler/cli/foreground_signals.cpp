#include "foreground_signals.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/wait.h>

namespace hprof::cli {
namespace {

struct sigaction disposition(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    return action;
}

} // namespace

ForegroundSignals::ForegroundSignals() {
    const struct sigaction ignore = disposition(SIG_IGN);
    // SIGCHLD must not be ignored: an inherited SIG_IGN would make the kernel reap the child
    // before wait4 could report its status.
    const struct sigaction fallback = disposition(SIG_DFL);
    sigaction(SIGINT, &ignore, &old_interrupt_);
    sigaction(SIGQUIT, &ignore, &old_quit_);
    sigaction(SIGCHLD, &fallback, &old_child_);
    sigemptyset(&waited_);
    sigaddset(&waited_, SIGTERM);
    sigaddset(&waited_, SIGHUP);
    sigaddset(&waited_, SIGCHLD);
    sigprocmask(SIG_BLOCK, &waited_, &old_mask_);
}

ForegroundSignals::~ForegroundSignals() {
    restore();
}

void ForegroundSignals::restoreInChild() const {
    restore();
}

void ForegroundSignals::restore() const {
    sigaction(SIGINT, &old_interrupt_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
    sigaction(SIGCHLD, &old_child_, nullptr);
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

int ForegroundSignals::waitForExit(pid_t child, struct rusage& usage) const {
    for (;;) {
        int status = 0;
        const pid_t reaped = wait4(child, &status, WNOHANG, &usage);
        if (reaped == child)
            return status;
        if (reaped < 0)
            throw Error(std::string("waiting for the program: ") + std::strerror(errno));
        siginfo_t info{};
        if (sigwaitinfo(&waited_, &info) < 0)
            continue; // EINTR: hprof was stopped and continued
        if (info.si_signo == SIGTERM || info.si_signo == SIGHUP)
            kill(child, info.si_signo);
    }
}

} // namespace hprof::cli
