#include "run_directory.h"

#include "hprof/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace hprof::cli {

// The raw streams are written through shared memory maps; on tmpfs that costs no disk I/O.
// Measured: a profiled fork took 0.3-0.6 ms with the streams on /dev/shm and 5-16 ms on the
// ext4 /tmp of a loaded VM (file creation and first-write page faults).
std::string runDirectoryRoot() {
    for (const char* variable : {"HPROF_TMPDIR", "TMPDIR"}) {
        const char* value = std::getenv(variable);
        if (value && *value)
            return value;
    }
    if (access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return "/tmp";
}

RunDirectory::RunDirectory()
    : path_(runDirectoryRoot() + "/" + kRunDirectoryPrefix + std::to_string(getpid()) + "-XXXXXX") {
    if (!mkdtemp(path_.data()))
        throw Error("cannot create a run directory in " + runDirectoryRoot() + ": " +
                    std::strerror(errno));
}

RunDirectory::~RunDirectory() {
    if (kept_)
        return;
    std::error_code ignored; // nothing sensible to do about a failure in a destructor
    std::filesystem::remove_all(path_, ignored);
}

} // namespace hprof::cli

namespace hprof::cli {

bool holdsRawStreams(const std::string& directory) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().extension() == ".raw")
            return true;
    }
    return false;
}

} // namespace hprof::cli
