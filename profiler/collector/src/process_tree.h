// Links the processes of a run once every stream has been read: who started whom (fork, vfork,
// posix_spawn, exec), the children that were started but never loaded the probe, and each
// process's exit status.
#pragma once

#include "hprof/profile.h"
#include "hprof/raw_stream.h"

#include <optional>
#include <string>
#include <vector>

namespace hprof {

// An exec or posix_spawn that a stream recorded; times are relative to the run start.
struct LaunchFact {
    raw::RecordType type = raw::RecordType::Exec; // Exec or Spawn
    int64_t time_ns = 0;
    int32_t pid = 0; // the process that execs, or the spawned child
    raw::NotFollowed not_followed = raw::NotFollowed::No;
    std::string command; // argv joined with spaces
    std::string path;
};

// A child that the stream's process reaped (wait, waitpid, ...), with its waitpid status.
struct ChildExitFact {
    int64_t time_ns = 0;
    int32_t pid = 0;
    int wait_status = 0;
};

// What one stream said about the processes around its own.
struct ProcessFacts {
    ProcessId process;
    std::vector<LaunchFact> launches; // in stream order
    std::vector<ChildExitFact> child_exits;
    std::optional<int64_t> end_record_ns; // its ProcessEnd record (exit, _exit), if any
    std::vector<ThreadId> open_threads;   // threads without a ThreadEnd record
    // The thread whose tid is the pid, and its CPU time as last seen (it survives an exec).
    std::optional<ThreadId> main_thread;
    uint64_t main_thread_cpu_ns = 0;
    // Index in Profile::samples of the sample holding the CPU time spent before the probe
    // started (raw::ProcessStartRecord).
    std::optional<size_t> start_cost_sample;
    // The job it ran in, from its launcher's environment ("" and 0 outside a job).
    std::string job_id;
    int32_t world_size = 0;
};

// The shell convention for a waitpid status: the exit code, or 128+N for death by signal N.
int shellExitStatus(int wait_status);

// Sets Process::parent and from_exec, ends the images that exec replaced, appends a Process with
// profiled = false (and a line in run.warnings) for every child that did not load the probe, and
// settles exit statuses: a parent's ChildExit record, else the process's own ProcessEnd, else
// for the run's first process the status the launcher saw (run.exit_status). `reaped_by_launcher`
// are the orphans the launcher reaped itself, as a parent's ChildExit records would be.
// A process without a ProcessEnd record (killed by a signal) ends when it was reaped: at its
// parent's (or the launcher's) ChildExit, or for the run's first process at `program_end_ns`
// (the launcher's wait, relative to the run start), not at its last sample.
void linkProcesses(Profile& profile, const std::vector<ProcessFacts>& facts,
                   const std::vector<ChildExitFact>& reaped_by_launcher, RunInfo& run,
                   std::optional<int64_t> program_end_ns = std::nullopt);

} // namespace hprof
