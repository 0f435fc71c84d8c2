#include "detached_collection.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace hprof::cli {
namespace {

void closeIfOpen(int& fd) {
    if (fd >= 0)
        close(fd);
    fd = -1;
}

} // namespace

// The collector's end stays open until the collector exits (the kernel closes it then), so
// that the launcher returns after the collector's last line on stderr.
DetachedCollection::~DetachedCollection() {
    closeIfOpen(from_collector_);
}

DetachedCollection::DetachedCollection(DetachedCollection&& other) noexcept
    : from_collector_(std::exchange(other.from_collector_, -1)),
      to_launcher_(std::exchange(other.to_launcher_, -1)) {}

DetachedCollection& DetachedCollection::operator=(DetachedCollection&& other) noexcept {
    if (this != &other) {
        closeIfOpen(from_collector_);
        closeIfOpen(to_launcher_);
        from_collector_ = std::exchange(other.from_collector_, -1);
        to_launcher_ = std::exchange(other.to_launcher_, -1);
    }
    return *this;
}

DetachedCollection DetachedCollection::start() {
    DetachedCollection detached;
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0)
        return detached;
    const pid_t middle = fork();
    if (middle == 0) {
        // The middle process: a session of its own, then the collector forked from it, so that
        // the collector is no session leader (it can never take a terminal) and is reparented
        // at once.
        close(ends[0]);
        if (setsid() < 0)
            _exit(1);
        const pid_t collector = fork();
        if (collector != 0)
            _exit(collector < 0 ? 1 : 0);
        detached.to_launcher_ = ends[1];
        // The launcher's stderr may be a pipe to a launcher that is gone (mpirun): a line
        // written there must not kill the collector.
        signal(SIGPIPE, SIG_IGN);
        return detached;
    }
    close(ends[1]);
    int status = 0;
    if (middle < 0 || waitpid(middle, &status, 0) != middle || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        close(ends[0]);
        return detached; // no collector: hprof collects itself
    }
    detached.from_collector_ = ends[0];
    return detached;
}

bool DetachedCollection::awaitWritten() {
    char byte = 0;
    bool written = false;
    for (;;) {
        const ssize_t got = read(from_collector_, &byte, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return written;
        written = true;
    }
}

void DetachedCollection::reportWritten() {
    if (to_launcher_ < 0)
        return;
    const char written = 1;
    [[maybe_unused]] const ssize_t sent = write(to_launcher_, &written, 1);
}

} // namespace hprof::cli
