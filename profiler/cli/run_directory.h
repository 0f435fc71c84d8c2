// The private directory where the probe writes one raw stream per profiled process. It lives
// only for one recording: the destructor removes it, unless keep() was called because the
// profile could not be made (then `hprof collect` can make it later). A killed hprof leaves it
// behind: its name holds hprof's pid, and the next hprof names it (leftover_runs.h).
#pragma once

#include <string>

namespace hprof::cli {

class RunDirectory {
  public:
    // mkdtemp "hprof-run-<hprof's pid>-XXXXXX" under $HPROF_TMPDIR, else $TMPDIR, else /dev/shm
    // when writable, else /tmp. Throws hprof::Error.
    RunDirectory();
    ~RunDirectory();
    RunDirectory(const RunDirectory&) = delete;
    RunDirectory& operator=(const RunDirectory&) = delete;

    const std::string& path() const { return path_; }
    // Leaves the directory in place when this object dies.
    void keep() { kept_ = true; }

  private:
    std::string path_;
    bool kept_ = false;
};

// Where run directories are made: $HPROF_TMPDIR, else $TMPDIR, else /dev/shm when writable,
// else /tmp.
std::string runDirectoryRoot();

// Whether `directory` holds at least one raw stream ("*.raw").
bool holdsRawStreams(const std::string& directory);

// The prefix of every run directory's name.
inline constexpr const char* kRunDirectoryPrefix = "hprof-run-";

} // namespace hprof::cli
