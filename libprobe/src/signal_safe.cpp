#include "signal_safe.h"
#include "probe_fds.h"

#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace hprof::probe {

// The probe's descriptors live high up so the program's own open() calls get the numbers they
// would get without hprof.
constexpr int kFirstPrivateFd = 900;

int moveFdHigh(int fd) {
    int high = fcntl(fd, F_DUPFD_CLOEXEC, kFirstPrivateFd);
    if (high < 0)
        return fd;
    close(fd);
    markProbeFd(high);
    return high;
}

void warnOnStderr(const char* message) {
    char line[512];
    size_t length = boundedLength(message, sizeof line - 9);
    memcpy(line, "hprof: ", 7);
    memcpy(line + 7, message, length);
    line[7 + length] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, 8 + length);
    (void)ignored;
}

} // namespace hprof::probe
