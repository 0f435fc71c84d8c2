// The modules mapped into one process at the current point of its raw stream. Samples are
// resolved against the map as it is when they are read, so a library that was dlclosed later
// (or an address range reused by another library) still resolves to the right file.
#pragma once

#include <cstdint>
#include <vector>

namespace hprof {

struct LiveModule {
    uint64_t start = 0; // runtime range [start, end)
    uint64_t end = 0;
    uint64_t load_bias = 0; // runtime address - load_bias = address in the file
    uint32_t file = 0;      // the collector's index of the module file
};

class ModuleMap {
  public:
    // A new mapping replaces whatever overlapped its range.
    void load(const LiveModule& module);
    void unload(uint64_t start);
    const LiveModule* find(uint64_t address) const;
    // Changes whenever the set of live modules changes, so callers can cache lookups.
    uint64_t generation() const { return generation_; }

  private:
    std::vector<LiveModule> modules_; // sorted by start, not overlapping
    uint64_t generation_ = 0;
};

} // namespace hprof
