#include "collect_gate.h"

#include "files.h"

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof::test {

CollectGate::CollectGate(const TempDir& dir) : path_(dir.file("gate")) {
    if (mkfifo(path_.c_str(), 0600) != 0)
        throw std::runtime_error("mkfifo failed");
}

bool CollectGate::waitUntilHprofCollects() {
    const double deadline = monotonicSeconds() + 60;
    while (fd_ < 0 && monotonicSeconds() < deadline) {
        fd_ = open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0 && errno != ENXIO)
            return false;
        if (fd_ < 0)
            usleep(10'000);
    }
    return fd_ >= 0;
}

void CollectGate::release() {
    if (fd_ >= 0)
        close(fd_);
    fd_ = -1;
}

} // namespace hprof::test
