#include "blocked_thread.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

// The kernel's MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED): per-thread (4) scheduler clock (2).
clockid_t threadCpuClock(pid_t tid) {
    return clockid_t((~unsigned(tid) << 3) | 6);
}

// Reads the whole (small) file into `text`, NUL-terminated; false if it cannot be read.
bool readSmallFile(const char* path, char* text, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t length = read(fd, text, size - 1);
    close(fd);
    if (length <= 0)
        return false;
    text[length] = '\0';
    return true;
}

// "nr arg1 ... arg6 sp pc" in a system call, "-1 sp pc" blocked outside one.
bool parseSyscallLine(const char* text, BlockedAt& where) {
    char* end = nullptr;
    where.syscall = strtol(text, &end, 10);
    if (end == text)
        return false;
    uint64_t fields[8];
    int count = 0;
    for (const char* at = end; count < 8; ++count) {
        fields[count] = strtoull(at, &end, 16);
        if (end == at)
            break;
        at = end;
    }
    if (count < 2)
        return false;
    where.sp = fields[count - 2];
    where.pc = fields[count - 1];
    return where.sp != 0 && where.pc != 0;
}

} // namespace

bool threadCpuNsOf(pid_t tid, uint64_t& ns) {
    timespec ts{};
    if (clock_gettime(threadCpuClock(tid), &ts) != 0)
        return false;
    ns = uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
    return true;
}

bool runQueueNsOf(pid_t tid, uint64_t& ns) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/schedstat", int(tid));
    char text[128];
    if (!readSmallFile(path, text, sizeof text))
        return false;
    char* end = nullptr;
    strtoull(text, &end, 10); // time on a CPU: the CPU clock says it already
    const char* wait = end;
    ns = strtoull(wait, &end, 10);
    return end != wait;
}

ThreadState readThreadState(pid_t tid, BlockedAt& where) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", int(tid));
    char text[256];
    if (!readSmallFile(path, text, sizeof text))
        return ThreadState::Gone;
    if (text[0] == 'r') // "running"
        return ThreadState::Running;
    return parseSyscallLine(text, where) ? ThreadState::Blocked : ThreadState::Gone;
}

uint32_t captureBlockedStack(const BlockedAt& where, uint64_t stack_high, uint64_t* addresses,
                             uint32_t max, bool& truncated) {
    static uint8_t copy[kStackCopyBytes]; // one wall sampler thread per process uses it
    truncated = false;
    if (max == 0)
        return 0;
    uint64_t size = kStackCopyBytes;
    if (stack_high > where.sp && stack_high - where.sp < size)
        size = stack_high - where.sp;
    iovec local{copy, size};
    iovec remote{reinterpret_cast<void*>(where.sp), size};
    ssize_t copied = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (copied <= 0) {
        addresses[0] = where.pc; // the stack is gone: the pc alone still says something
        return 1;
    }
    return captureCopiedStack(where.pc, {where.sp, copy, uint64_t(copied)}, addresses, max,
                              truncated);
}

} // namespace hprof::probe
