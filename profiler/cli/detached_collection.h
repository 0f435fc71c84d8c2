// Collecting in a process that outlives hprof. When hprof is told to stop (SIGTERM, SIGHUP),
// whoever told it commonly follows with SIGKILL to hprof's whole process group: Open MPI's
// mpirun, when one rank crashed, sends SIGTERM to every other rank's process group (hprof and
// the program under it) and SIGKILL about a second later; Slurm does the same at a job's time
// limit. A profile still being collected then was lost. So once the program has ended, hprof
// hands the collection to a process in a session of its own (setsid between two forks: nobody's
// child in the old group, and no terminal's), which a kill of the group does not reach, and
// waits for it; the profile appears under its name only when complete (profile_io.h writes it
// to a temporary name and renames it).
#pragma once

namespace hprof::cli {

class DetachedCollection {
  public:
    // Not detached: reportWritten() does nothing.
    DetachedCollection() = default;
    ~DetachedCollection();
    DetachedCollection(DetachedCollection&& other) noexcept;
    DetachedCollection& operator=(DetachedCollection&& other) noexcept;

    // Forks the collector and returns in both processes; inLauncher() says in which. When the
    // collector cannot be started, returns in hprof as the collector (it collects itself).
    static DetachedCollection start();

    bool inLauncher() const { return from_collector_ >= 0; }

    // In the launcher: waits until the collector has ended; whether it said the profile was
    // written.
    bool awaitWritten();

    // In the collector: tells the launcher that the profile was written.
    void reportWritten();

  private:
    int from_collector_ = -1; // the launcher's end of the pipe
    int to_launcher_ = -1;    // the collector's end
};

} // namespace hprof::cli
