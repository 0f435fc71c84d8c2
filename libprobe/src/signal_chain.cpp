#include "signal_chain.h"
#include "real_functions.h"
#include "sampler.h"
#include "signal_mask.h"
#include "signal_safe.h"

#include <atomic>
#include <cstring>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

// Double-buffered: a writer fills the slot not published and then publishes it, so a reader
// never sees a half-written action, even a handler interrupting a writer in its own thread.
// Writers take a spin lock with every signal blocked (sigaction is async-signal-safe, so a
// handler may call it: a mutex could deadlock against the interrupted thread).
constinit struct sigaction g_actions[2];
constinit std::atomic<uint32_t> g_generation{0};
constinit std::atomic_flag g_writing = ATOMIC_FLAG_INIT;

struct sigaction publishedAction() {
    struct sigaction action;
    for (;;) { // retried only if another thread published twice meanwhile
        uint32_t generation = g_generation.load(std::memory_order_acquire);
        action = g_actions[generation & 1];
        if (g_generation.load(std::memory_order_acquire) == generation)
            return action;
    }
}

void publish(const struct sigaction& action) {
    uint32_t next = g_generation.load(std::memory_order_relaxed) + 1;
    g_actions[next & 1] = action;
    g_generation.store(next, std::memory_order_release);
}

class WriterLock {
  public:
    WriterLock() {
        sigset_t all;
        sigfillset(&all);
        setThreadMaskRaw(SIG_SETMASK, &all, &saved_);
        while (g_writing.test_and_set(std::memory_order_acquire)) {
        }
    }
    ~WriterLock() {
        g_writing.clear(std::memory_order_release);
        setThreadMaskRaw(SIG_SETMASK, &saved_, nullptr);
    }
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

  private:
    sigset_t saved_;
};

// The default action: let the kernel perform it (for SIGPROF: the process dies of it, with the
// status a shell shows as 128+27), then take the signal back if the process is still alive.
void performDefaultAction(int signal) {
    struct sigaction probe_action;
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    real::sigaction(signal, &defaults, &probe_action);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    syscall(SYS_tgkill, getpid(), currentTid(), signal);
    setThreadMaskRaw(SIG_UNBLOCK, &only, nullptr); // delivered here, the kernel acts on it
    real::sigaction(signal, &probe_action, nullptr);
}

// Calls the program's handler with the mask the kernel would have set for it.
void callProgramHandler(const struct sigaction& action, int signal, siginfo_t* info,
                        void* context) {
    sigset_t mask = static_cast<ucontext_t*>(context)->uc_sigmask;
    sigorset(&mask, &mask, &action.sa_mask);
    if (!(action.sa_flags & SA_NODEFER))
        sigaddset(&mask, signal);
    setThreadMaskRaw(SIG_SETMASK, &mask, nullptr);
    if (action.sa_flags & SA_SIGINFO)
        action.sa_sigaction(signal, info, context);
    else
        action.sa_handler(signal);
    // The kernel restores the interrupted mask from `context` when the probe's handler returns.
}

sigset_t onlySamplingSignal() {
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, samplingSignal());
    return only;
}

} // namespace

void adoptInheritedProgramAction(const struct sigaction& inherited) {
    WriterLock lock;
    publish(inherited);
}

void exchangeProgramAction(const struct sigaction* action, struct sigaction* old) {
    WriterLock lock;
    struct sigaction previous = g_actions[g_generation.load(std::memory_order_relaxed) & 1];
    if (action)
        publish(*action);
    if (old)
        *old = previous;
}

ProgramSignalsForExec::ProgramSignalsForExec() {
    if (!isSamplingSignal(samplingSignal()))
        return;
    if (publishedAction().sa_handler == SIG_IGN) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        ignored_ = real::sigaction(samplingSignal(), &ignore, &probe_action_) == 0;
    }
    if (programBlocksSamplingSignal()) {
        sigset_t only = onlySamplingSignal();
        blocked_ = setThreadMaskRaw(SIG_BLOCK, &only, nullptr) == 0;
    }
}

ProgramSignalsForExec::~ProgramSignalsForExec() {
    if (blocked_) {
        sigset_t only = onlySamplingSignal();
        setThreadMaskRaw(SIG_UNBLOCK, &only, nullptr);
    }
    if (ignored_)
        real::sigaction(samplingSignal(), &probe_action_, nullptr);
}

void releaseProgramActionLockAfterFork() {
    g_writing.clear(std::memory_order_release);
}

void forwardToProgram(int signal, siginfo_t* info, void* context) {
    if (deferWhileProgramBlocks())
        return;
    struct sigaction action = publishedAction();
    if (action.sa_handler == SIG_IGN)
        return;
    if (action.sa_handler == SIG_DFL) {
        performDefaultAction(signal);
        return;
    }
    if (action.sa_flags & SA_RESETHAND) {
        struct sigaction defaults {};
        defaults.sa_handler = SIG_DFL;
        exchangeProgramAction(&defaults, nullptr);
    }
    callProgramHandler(action, signal, info, context);
}

} // namespace hprof::probe
