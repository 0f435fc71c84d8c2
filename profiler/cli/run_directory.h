// The private directory where the probe writes one raw stream per profiled process. It lives
// only for one recording: the destructor removes it whatever happened, so no junk is left.
#pragma once

#include <string>

namespace hprof::cli {

class RunDirectory {
  public:
    // mkdtemp "hprof-run-XXXXXX" under $HPROF_TMPDIR, else $TMPDIR, else /dev/shm when
    // writable, else /tmp. Throws hprof::Error.
    RunDirectory();
    ~RunDirectory();
    RunDirectory(const RunDirectory&) = delete;
    RunDirectory& operator=(const RunDirectory&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

} // namespace hprof::cli
