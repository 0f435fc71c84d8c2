// Small helpers that are safe to call from a signal handler: raw syscalls and plain memory
// operations only (no malloc, no locks, no stdio).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace hprof::probe {

inline uint64_t clockNs(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}
inline uint64_t monotonicNs() {
    return clockNs(CLOCK_MONOTONIC);
}
inline uint64_t threadCpuNs() {
    return clockNs(CLOCK_THREAD_CPUTIME_ID);
}
inline pid_t currentTid() {
    return pid_t(syscall(SYS_gettid));
}

inline size_t boundedLength(const char* text, size_t max) {
    size_t n = 0;
    while (n < max && text[n] != '\0')
        ++n;
    return n;
}

// Writes "hprof: <message>\n" to stderr with one write(2).
void warnOnStderr(const char* message);
// Moves a descriptor of the probe's to a high number (>= 900), close-on-exec.
int moveFdHigh(int fd);

} // namespace hprof::probe
