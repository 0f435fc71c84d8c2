#include "fork_parent.h"

#include <atomic>
#include <unistd.h>

namespace hprof::probe {
namespace {

// The pid of the last process of this image that forked; a fork child inherits its parent's.
constinit std::atomic<pid_t> g_forking_pid{0};

} // namespace

void noteForkingProcess() {
    g_forking_pid.store(getpid(), std::memory_order_relaxed);
}

pid_t parentPid() {
    const pid_t forking = g_forking_pid.load(std::memory_order_relaxed);
    return forking != 0 && forking != getpid() ? forking : getppid();
}

} // namespace hprof::probe
