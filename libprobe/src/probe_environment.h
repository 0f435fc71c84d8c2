// What a child needs in its environment to be followed: LD_PRELOAD naming the probe and the
// HPROF_* settings. They are copied when the probe starts (the program may change or clear its
// own environment later); the exec and posix_spawn wrappers put back what a child would lack.
#pragma once

#include <cstddef>

namespace hprof::probe {

// Called once as the probe is loaded, before the program's main().
void snapshotProbeEnvironment();

// The environment to pass to a child instead of `environment`. Built on the caller's stack, with
// no allocation, lock or stdio, since exec wrappers run in vfork children and in children of
// multithreaded forks. An environment too large for its buffers is passed unchanged.
class ChildEnvironment {
  public:
    explicit ChildEnvironment(char* const* environment);
    ChildEnvironment(const ChildEnvironment&) = delete;
    ChildEnvironment& operator=(const ChildEnvironment&) = delete;

    char* const* get() const { return result_; }
    // The child lacks the probe and the environment could not be fixed.
    bool fixFailed() const { return fix_failed_; }

  private:
    static constexpr size_t kMaxEntries = 1024;
    static constexpr size_t kMaxPreload = 4096;

    bool buildFixedCopy(char* const* environment, const char* preload_entry, bool preload_ok);
    bool add(char* entry);

    char* const* result_;
    bool fix_failed_ = false;
    size_t count_ = 0;
    char* entries_[kMaxEntries + 1];
    char preload_[kMaxPreload];
};

} // namespace hprof::probe
