// Wrappers that keep the probe's descriptors open when the program closes "every descriptor
// from 3 up" (a close loop, close_range, closefrom) or dup2s onto one of them. Closing a probe
// descriptor is refused and reported as done (the program's view: it was closed; the numbers
// are >= 900, which its own open() calls would not get meanwhile); a dup2/dup3 onto one moves
// the probe's descriptor away first, so the program gets the number it asked for. The raw
// close_range and close system calls (syscall(2)) bypass these; the sampler then notices the
// lost trigger at the thread's end and warns.
#include "probe_fds.h"
#include "real_functions.h"

#include <climits>
#include <unistd.h>

namespace hprof::probe {
namespace {

using Close = int (*)(int);
using CloseRange = int (*)(unsigned, unsigned, int);
using Dup2 = int (*)(int, int);
using Dup3 = int (*)(int, int, int);
constinit NextFunction<Close> g_close{"close"};
constinit NextFunction<CloseRange> g_close_range{"close_range"};
constinit NextFunction<Dup2> g_dup2{"dup2"};
constinit NextFunction<Dup3> g_dup3{"dup3"};

// Resolved before any wrapper runs: fork and vfork children close descriptors too.
__attribute__((constructor)) void resolveFdFunctions() {
    g_close.resolve();
    g_close_range.resolve();
    g_dup2.resolve();
    g_dup3.resolve();
}

// close_range over [first, last] in pieces that leave the probe's descriptors out.
int closeRangeSparingProbe(unsigned first, unsigned last, int flags) {
    if (first > last)
        return g_close_range.get()(first, last, flags); // EINVAL, as without the probe
    while (first <= last) {
        int probe_fd = firstProbeFdIn(first, last);
        unsigned piece_last = probe_fd < 0 ? last : unsigned(probe_fd) - 1;
        if (probe_fd != int(first) && g_close_range.get()(first, piece_last, flags) != 0)
            return -1;
        if (probe_fd < 0 || unsigned(probe_fd) == UINT_MAX)
            return 0;
        first = unsigned(probe_fd) + 1;
    }
    return 0;
}

} // namespace
} // namespace hprof::probe

using namespace hprof::probe;

extern "C" {

HPROF_EXPORT int close(int fd) {
    if (isProbeFd(fd))
        return 0;
    return g_close.get()(fd);
}

HPROF_EXPORT int close_range(unsigned first, unsigned last, int flags) noexcept {
    return closeRangeSparingProbe(first, last, flags);
}

// glibc's closefrom calls its internal close_range, which no wrapper sees.
HPROF_EXPORT void closefrom(int low) noexcept {
    closeRangeSparingProbe(unsigned(low < 0 ? 0 : low), UINT_MAX, 0);
}

HPROF_EXPORT int dup2(int old_fd, int new_fd) noexcept {
    if (old_fd != new_fd && isProbeFd(new_fd))
        moveProbeFdAway(new_fd);
    return g_dup2.get()(old_fd, new_fd);
}

HPROF_EXPORT int dup3(int old_fd, int new_fd, int flags) noexcept {
    if (old_fd != new_fd && isProbeFd(new_fd))
        moveProbeFdAway(new_fd);
    return g_dup3.get()(old_fd, new_fd, flags);
}

} // extern "C"
