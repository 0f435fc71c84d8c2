// What wall-clock mode learns about another thread of this process from outside, without
// signals: its CPU clock, whether it is blocked in the kernel and where (pc and stack pointer,
// from /proc/self/task/TID/syscall), and its call stack there.
#pragma once

#include "unwinder.h"

#include <cstdint>
#include <sys/types.h>

namespace hprof::probe {

// The thread's CPU time (CLOCK_SCHED of its per-thread CPU clock); false if it is gone.
bool threadCpuNsOf(pid_t tid, uint64_t& ns);

// The time the thread has spent runnable, waiting for a CPU (/proc/self/task/TID/schedstat,
// second field); false if it is gone or the kernel has no schedstats.
bool runQueueNsOf(pid_t tid, uint64_t& ns);

enum class ThreadState {
    Running, // on a CPU or runnable: the kernel does not say where it is
    Blocked, // sleeping in the kernel (a system call, or a fault): pc and sp are its user state
    Gone,    // exited, or the file could not be read
};

struct BlockedAt {
    long syscall = -1; // system call number; -1 when blocked outside a system call
    uint64_t pc = 0;
    uint64_t sp = 0;
};

ThreadState readThreadState(pid_t tid, BlockedAt& where);

// Copies the top of the blocked thread's stack (up to kStackCopyBytes above sp, not past
// `stack_high` when known) with process_vm_readv, so a thread exiting meanwhile makes the copy
// short instead of making us fault, then unwinds it. Leaf first, like captureStack.
inline constexpr uint64_t kStackCopyBytes = 128 * 1024;
uint32_t captureBlockedStack(const BlockedAt& where, uint64_t stack_high, uint64_t* addresses,
                             uint32_t max, bool& truncated);

} // namespace hprof::probe
