#include "stream_liveness.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace hprof {

bool streamStillWritten(const std::string& path) {
    // O_NONBLOCK: a FIFO named like a stream must not block the collector here (the reader
    // refuses it and names it).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false; // the reader names the problem
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd); // drops our shared lock, if we got it
    return locked;
}

} // namespace hprof
