#include "stream_lock.h"

#include <sys/file.h>

namespace hprof::probe {

void lockStreamFile(int fd) {
    // Never blocks: the file was just created with O_EXCL, nobody else can hold it.
    flock(fd, LOCK_EX | LOCK_NB);
}

} // namespace hprof::probe
