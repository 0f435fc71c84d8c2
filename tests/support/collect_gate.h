// The test's end of the FIFO that hprof reads before collecting (HPROF_TEST_COLLECT_GATE).
// Opening it succeeds once hprof has opened its end: hprof is then in its collection phase.
#pragma once

#include "temp_dir.h"

#include <string>

namespace hprof::test {

class CollectGate {
  public:
    explicit CollectGate(const TempDir& dir);
    ~CollectGate() { release(); }
    CollectGate(const CollectGate&) = delete;
    CollectGate& operator=(const CollectGate&) = delete;

    const std::string& path() const { return path_; }

    // Polls for hprof's end for at most 60 s (a non-blocking open fails with ENXIO until then).
    bool waitUntilHprofCollects();
    // hprof reads the end of the FIFO and goes on collecting.
    void release();

  private:
    std::string path_;
    int fd_ = -1;
};

} // namespace hprof::test
