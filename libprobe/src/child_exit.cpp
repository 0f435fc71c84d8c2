// Wrappers of wait, waitpid, wait3, wait4 and waitid: when the program reaps a child, a
// ChildExitRecord says how the child ended. For a child killed by a signal (which writes nothing
// itself) this is the only place its exit status is known.
//
// Async-signal-safe, as the wrapped functions are (programs call waitpid in SIGCHLD handlers).
#include "raw_writer.h"
#include "real_functions.h"
#include "signal_safe.h"

#include <cerrno>
#include <sys/resource.h>
#include <sys/wait.h>

namespace hprof::probe {
namespace {

using Wait = pid_t (*)(int*);
using Waitpid = pid_t (*)(pid_t, int*, int);
using Wait3 = pid_t (*)(int*, int, struct rusage*);
using Wait4 = pid_t (*)(pid_t, int*, int, struct rusage*);
using Waitid = int (*)(idtype_t, id_t, siginfo_t*, int);

constinit NextFunction<Wait> g_wait{"wait"};
constinit NextFunction<Waitpid> g_waitpid{"waitpid"};
constinit NextFunction<Wait3> g_wait3{"wait3"};
constinit NextFunction<Wait4> g_wait4{"wait4"};
constinit NextFunction<Waitid> g_waitid{"waitid"};

__attribute__((constructor)) void resolveWaitFunctions() {
    g_wait.resolve();
    g_waitpid.resolve();
    g_wait3.resolve();
    g_wait4.resolve();
    g_waitid.resolve();
}

// `status` as waitpid reported it; stopped and continued children were not reaped.
void noteReaped(pid_t child, int status) {
    if (child <= 0 || !(WIFEXITED(status) || WIFSIGNALED(status)) || !streamIsOwn())
        return;
    const int saved_errno = errno;
    raw::RecordHeader* header = beginRecord(sizeof(raw::ChildExitRecord));
    if (header) {
        auto* record = reinterpret_cast<raw::ChildExitRecord*>(header);
        record->time_ns = monotonicNs();
        record->child_pid = child;
        record->wait_status = status;
        commitRecord(header, raw::RecordType::ChildExit);
    }
    errno = saved_errno;
}

// waitid's report as a waitpid status; -1 for a child that was not reaped (stopped, continued).
int waitStatusOf(const siginfo_t& info) {
    switch (info.si_code) {
    case CLD_EXITED:
        return (info.si_status & 0xff) << 8;
    case CLD_KILLED:
        return info.si_status & 0x7f;
    case CLD_DUMPED:
        return (info.si_status & 0x7f) | 0x80;
    default:
        return -1;
    }
}

} // namespace
} // namespace hprof::probe

using namespace hprof::probe;

// The program may pass a null status: the wrappers then wait into their own.
extern "C" {

HPROF_EXPORT pid_t wait(int* status) {
    int own = 0;
    int* target = status ? status : &own;
    const pid_t child = g_wait.get()(target);
    noteReaped(child, *target);
    return child;
}

HPROF_EXPORT pid_t waitpid(pid_t pid, int* status, int options) {
    int own = 0;
    int* target = status ? status : &own;
    const pid_t child = g_waitpid.get()(pid, target, options);
    noteReaped(child, *target);
    return child;
}

HPROF_EXPORT pid_t wait3(int* status, int options, struct rusage* usage) {
    int own = 0;
    int* target = status ? status : &own;
    const pid_t child = g_wait3.get()(target, options, usage);
    noteReaped(child, *target);
    return child;
}

HPROF_EXPORT pid_t wait4(pid_t pid, int* status, int options, struct rusage* usage) {
    int own = 0;
    int* target = status ? status : &own;
    const pid_t child = g_wait4.get()(pid, target, options, usage);
    noteReaped(child, *target);
    return child;
}

HPROF_EXPORT int waitid(idtype_t type, id_t id, siginfo_t* info, int options) {
    siginfo_t own{};
    siginfo_t* target = info ? info : &own;
    const int result = g_waitid.get()(type, id, target, options);
    // WNOWAIT leaves the child waitable; WNOHANG with nothing to report leaves si_pid 0.
    if (result == 0 && !(options & WNOWAIT)) {
        const int status = waitStatusOf(*target);
        if (status >= 0)
            noteReaped(target->si_pid, status);
    }
    return result;
}

} // extern "C"
