// The private directory where the probe writes one raw stream per profiled process. It lives
// only for one recording: the destructor removes it whatever happened, so no junk is left.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hprof::cli {

// Free space a candidate root needs to be taken without a word: a stream takes its space in
// steps of up to 4 MiB per process, and the default /dev/shm of a container is 64 MB.
inline constexpr uint64_t kMinRunRootFreeBytes = 256ull << 20;

// Where the run directory goes, and why when it is not /dev/shm.
struct RunRootChoice {
    std::string root;
    std::string why_not_first; // empty when the first choice was taken
};

// Free bytes for an unprivileged writer in `root`, or nullopt when it cannot be written.
using FreeSpaceOf = std::function<std::optional<uint64_t>(const std::string& root)>;
std::optional<uint64_t> freeSpaceOf(const std::string& root);

// $HPROF_TMPDIR when set (the user's choice, taken as it is); else the first of /dev/shm,
// $TMPDIR and /tmp that is writable with kMinRunRootFreeBytes free; else the writable one with
// the most room; else /tmp (mkdtemp then says why it fails).
RunRootChoice chooseRunRoot(const char* hprof_tmpdir, const char* tmpdir,
                            const FreeSpaceOf& free_space = freeSpaceOf);

class RunDirectory {
  public:
    // mkdtemp "hprof-run-XXXXXX" under chooseRunRoot(...); prints one line on stderr naming
    // it when it is not the first choice. Throws hprof::Error.
    RunDirectory();
    ~RunDirectory();
    RunDirectory(const RunDirectory&) = delete;
    RunDirectory& operator=(const RunDirectory&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

} // namespace hprof::cli
