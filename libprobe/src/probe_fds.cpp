#include "probe_fds.h"
#include "raw_writer.h"
#include "signal_safe.h"

#include <atomic>
#include <cstdint>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

constexpr unsigned kBitsPerWord = 64;
constinit std::atomic<uint64_t> g_probe_fd_bits[kTrackedFds / kBitsPerWord];

bool tracked(int fd) {
    return fd >= 0 && fd < kTrackedFds;
}
uint64_t bitOf(int fd) {
    return uint64_t(1) << (unsigned(fd) % kBitsPerWord);
}

void unmarkProbeFd(int fd) {
    if (tracked(fd))
        g_probe_fd_bits[unsigned(fd) / kBitsPerWord].fetch_and(~bitOf(fd));
}

} // namespace

// Defined by the sampler (or a no-op where it is not linked, e.g. the probe's unit tests).
__attribute__((weak)) void perfFdMoved(int, int) {}

void markProbeFd(int fd) {
    if (tracked(fd))
        g_probe_fd_bits[unsigned(fd) / kBitsPerWord].fetch_or(bitOf(fd));
}

bool isProbeFd(int fd) {
    return tracked(fd) &&
           (g_probe_fd_bits[unsigned(fd) / kBitsPerWord].load(std::memory_order_relaxed) &
            bitOf(fd)) != 0;
}

int firstProbeFdIn(unsigned first, unsigned last) {
    if (last >= unsigned(kTrackedFds))
        last = kTrackedFds - 1;
    for (unsigned fd = first; fd <= last; ++fd) {
        uint64_t word = g_probe_fd_bits[fd / kBitsPerWord].load(std::memory_order_relaxed);
        if (word == 0) { // skip the rest of an empty word
            fd |= kBitsPerWord - 1;
            continue;
        }
        if (word & bitOf(int(fd)))
            return int(fd);
    }
    return -1;
}

void closeProbeFd(int fd) {
    unmarkProbeFd(fd);
    syscall(SYS_close, fd);
}

void moveProbeFdAway(int fd) {
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, fd + 1);
    if (moved < 0)
        return; // the program's dup2 will close it; the sampler notices at the thread's end
    markProbeFd(moved);
    streamFdMoved(fd, moved);
    perfFdMoved(fd, moved);
    unmarkProbeFd(fd);
}

} // namespace hprof::probe
