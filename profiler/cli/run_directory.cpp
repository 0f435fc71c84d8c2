#include "run_directory.h"

#include "cli_error.h"
#include "hprof/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace hprof::cli {
namespace {

std::string megabytes(uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MB";
}

// Why `root` was passed over; empty if it will do.
std::string unsuitability(const std::string& root, const std::optional<uint64_t>& free) {
    if (!free)
        return root + " is not writable";
    if (*free < kMinRunRootFreeBytes)
        return root + " has " + megabytes(*free) + " free, less than " +
               megabytes(kMinRunRootFreeBytes);
    return {};
}

} // namespace

std::optional<uint64_t> freeSpaceOf(const std::string& root) {
    struct statvfs status {};
    if (access(root.c_str(), W_OK | X_OK) != 0 || statvfs(root.c_str(), &status) != 0)
        return std::nullopt;
    return uint64_t(status.f_bavail) * uint64_t(status.f_frsize);
}

// /dev/shm first: the raw streams are written through shared memory maps, and on tmpfs that
// costs no disk I/O. Measured: a profiled fork took 0.3-0.6 ms with the streams on /dev/shm and
// 5-16 ms on the ext4 /tmp of a loaded VM (file creation and first-write page faults).
RunRootChoice chooseRunRoot(const char* hprof_tmpdir, const char* tmpdir,
                            const FreeSpaceOf& free_space) {
    if (hprof_tmpdir && *hprof_tmpdir)
        return {hprof_tmpdir, {}};
    std::vector<std::string> candidates{"/dev/shm"};
    if (tmpdir && *tmpdir)
        candidates.push_back(tmpdir);
    candidates.push_back("/tmp");

    std::string why_not;
    std::optional<std::string> roomiest;
    uint64_t roomiest_free = 0;
    for (const std::string& root : candidates) {
        const std::optional<uint64_t> free = free_space(root);
        const std::string problem = unsuitability(root, free);
        if (problem.empty())
            return {root, why_not};
        why_not += (why_not.empty() ? "" : ", ") + problem;
        if (free && (!roomiest || *free > roomiest_free)) {
            roomiest = root;
            roomiest_free = *free;
        }
    }
    if (roomiest)
        return {*roomiest, why_not + "; taking the roomiest"};
    return {"/tmp", why_not};
}

RunDirectory::RunDirectory() {
    const RunRootChoice choice = chooseRunRoot(std::getenv("HPROF_TMPDIR"), std::getenv("TMPDIR"));
    path_ = choice.root + "/hprof-run-XXXXXX";
    if (!mkdtemp(path_.data()))
        throw Error("cannot create a run directory in " + choice.root + ": " +
                    std::strerror(errno));
    if (!choice.why_not_first.empty())
        printError("raw streams go to " + path_ + " (" + choice.why_not_first +
                   "; HPROF_TMPDIR chooses)");
}

RunDirectory::~RunDirectory() {
    std::error_code ignored; // nothing sensible to do about a failure in a destructor
    std::filesystem::remove_all(path_, ignored);
}

} // namespace hprof::cli
