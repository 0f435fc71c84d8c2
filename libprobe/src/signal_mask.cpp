// Wrappers: sigprocmask, pthread_sigmask. Not wrapped, on purpose: sigsuspend, pselect, ppoll,
// epoll_pwait and sigtimedwait set a mask only while the thread waits in the kernel, where the
// task-clock trigger (exclude_kernel) and the CPU-time timer do not fire, so sampling loses
// nothing there and the program's waits keep their exact semantics.
#include "signal_mask.h"
#include "real_functions.h"
#include "signal_safe.h"

#include <atomic>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

using MaskFunction = int (*)(int, const sigset_t*, sigset_t*);
constinit NextFunction<MaskFunction> g_sigprocmask{"sigprocmask"};
constinit NextFunction<MaskFunction> g_pthread_sigmask{"pthread_sigmask"};

// Resolved before any wrapper runs: fork children of threaded programs must not call dlsym.
__attribute__((constructor)) void resolveMaskFunctions() {
    g_sigprocmask.resolve();
    g_pthread_sigmask.resolve();
}

constinit std::atomic<int> g_filtered_signal{0}; // 0 until the sampler runs

// Constant-initialized, initial-exec: read in the signal handler.
struct ThreadMaskState {
    bool program_blocks = false; // the program's mask has the sampling signal blocked
    bool pending = false;        // a program's signal arrived meanwhile, raised on unblock
};
constinit thread_local ThreadMaskState t_mask __attribute__((tls_model("initial-exec")));

// The program's new view of the signal after a successful mask call.
bool blockedAfter(int how, bool member, bool was_blocked) {
    switch (how) {
    case SIG_BLOCK:
        return was_blocked || member;
    case SIG_UNBLOCK:
        return was_blocked && !member;
    default: // SIG_SETMASK (anything else failed)
        return member;
    }
}

void raiseDeferredSignal(int signal) {
    if (t_mask.program_blocks || !t_mask.pending)
        return;
    t_mask.pending = false;
    syscall(SYS_tgkill, getpid(), currentTid(), signal);
}

// Runs `call` with the sampling signal removed from `set`, and shows it in `old` if the program
// had it blocked. `set` and `old` may be the same set.
template <class Call> int filteredMaskCall(int how, const sigset_t* set, sigset_t* old, Call call) {
    int signal = g_filtered_signal.load(std::memory_order_relaxed);
    if (signal == 0)
        return call(how, set, old);
    bool was_blocked = t_mask.program_blocks;
    sigset_t filtered;
    bool member = false;
    if (set) {
        filtered = *set;
        member = sigismember(&filtered, signal) == 1;
        sigdelset(&filtered, signal);
    }
    int result = call(how, set ? &filtered : nullptr, old);
    if (result != 0)
        return result;
    if (set)
        t_mask.program_blocks = blockedAfter(how, member, was_blocked);
    if (old && was_blocked)
        sigaddset(old, signal);
    raiseDeferredSignal(signal);
    return result;
}

} // namespace

void startMaskFiltering(int signal) {
    g_filtered_signal.store(signal, std::memory_order_relaxed);
}

void adoptInheritedMask(bool program_blocks) {
    int signal = g_filtered_signal.load(std::memory_order_relaxed);
    if (signal == 0)
        return;
    sigset_t current;
    setThreadMaskRaw(SIG_SETMASK, nullptr, &current);
    bool blocked = sigismember(&current, signal) == 1;
    t_mask.program_blocks = program_blocks || blocked;
    t_mask.pending = false;
    if (blocked) {
        sigset_t only;
        sigemptyset(&only);
        sigaddset(&only, signal);
        setThreadMaskRaw(SIG_UNBLOCK, &only, nullptr);
    }
}

bool programBlocksSamplingSignal() {
    return t_mask.program_blocks;
}

bool deferWhileProgramBlocks() {
    if (!t_mask.program_blocks)
        return false;
    t_mask.pending = true;
    return true;
}

int setThreadMaskRaw(int how, const sigset_t* set, sigset_t* old) {
    return int(syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8));
}

} // namespace hprof::probe

using namespace hprof::probe;

extern "C" {

HPROF_EXPORT int sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept {
    return filteredMaskCall(how, set, old, g_sigprocmask.get());
}

HPROF_EXPORT int pthread_sigmask(int how, const sigset_t* set, sigset_t* old) noexcept {
    return filteredMaskCall(how, set, old, g_pthread_sigmask.get());
}

} // extern "C"
