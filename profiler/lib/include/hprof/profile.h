// The profile data model: plain structs, no behaviour. One Profile holds one run, all of its
// processes and threads. Tables are vectors indexed by the typed ids of typed_id.h.
//
// Stacks are stored as a trie: each StackNode is (parent, frame), the root frame (outermost,
// e.g. _start) has an invalid parent. A sample points at its leaf node. Inlined functions are
// frames of their own (Frame::inlined), placed between the physical frame and its caller.
#pragma once

#include "hprof/typed_id.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

// 2: call counts and edges, RunInfo::instrumentation. 3: trace events, RunInfo::min_duration_ns.
// 4: CallCount and CallEdge times. 5: RunInfo::clock, Sample::off_cpu, Process parent/exec/
// profiled/note/executable. 6: Sample::run_queue. 7: RunInfo::runs. 8: RunInfo::source and
// RunInfo::missing. 9: RunInfo::job_id/world_size, Process::rank/host. Older files are still read
// (without what they did not have).
inline constexpr uint32_t kSchemaVersion = 9;

// What the source of an imported profile (`hprof import`, docs/import.md) did not record. The
// profile holds no made-up values for these: reports say "not in the source" instead.
struct SourceGaps {
    bool samples = false;        // no samples: times are the source's exact per-function times
    bool timestamps = false;     // sample times are unknown (all 0)
    bool threads = false;        // one pseudo-thread stands for all threads of the program
    bool call_counts = false;    // no call counts (a sampling profiler)
    bool sample_weights = false; // samples carry no time; each weighs 1 ns
    bool run_times = false;      // the run's wall and CPU time, start, host and exit status
    bool operator==(const SourceGaps&) const = default;
};

// The fastest sampling rate `hprof record -F` takes (RunInfo::frequency_hz).
inline constexpr uint32_t kMaxSamplingHz = 20000;

struct RunInfo {
    std::vector<std::string> command; // argv of the profiled program
    int64_t start_time_unix_ns = 0;   // wall-clock start of the run
    int64_t wall_ns = 0;              // wall duration of the whole run
    int64_t cpu_ns = 0;               // CPU time of all processes as the kernel accounted it
    std::string host;
    uint32_t frequency_hz = 0;
    std::string trigger; // "perf-task-clock" or "cpu-timer": how samples were taken
    std::string hprof_version;
    uint32_t schema_version = kSchemaVersion;
    int exit_status = -1; // shell convention: 128+N for death by signal N; -1 unknown
    uint64_t dropped_samples = 0;
    std::vector<std::string> warnings; // e.g. "program owns SIGPROF; sampled with signal 60"
    std::string instrumentation;       // "" (none), "counts" or "trace": how calls were recorded
    int64_t min_duration_ns = 0;       // trace mode: shorter calls were not kept
    // "cpu": samples are taken every 1/F s of a thread's CPU time (the default); "wall": off-CPU
    // samples (Sample::off_cpu) also cover the time threads spent blocked.
    std::string clock = "cpu";
    // How many runs of the program the profile holds (`hprof record --repeat N`): their
    // processes follow each other in time (merge_runs.h).
    uint32_t runs = 1;
    // "" for `hprof record`; for an imported profile the format it was read from ("pstats",
    // "perf script", "gperftools"), and what that format did not have.
    std::string source;
    SourceGaps missing;
    // MPI jobs and task farms (issue 14, docs/cluster.md): the launcher's job id (SLURM_JOB_ID,
    // or Open MPI's / PMIx's) and the number of ranks of the job; "" and 0 outside a job.
    std::string job_id;
    int32_t world_size = 0;
};

// One program image in one process. A pid that exec'd has one Process per image: the later
// image has from_exec set and the earlier one as its parent.
struct Process {
    int32_t pid = 0;
    int32_t ppid = 0;
    // The profiled process that created this one (fork, vfork, posix_spawn, system, popen), or
    // for an exec'd image the image it replaced; invalid for the first process of the run.
    ProcessId parent;
    bool from_exec = false;
    std::string command;    // argv joined with spaces
    std::string executable; // path of the program file, empty if unknown
    int64_t start_ns = 0;   // times are nanoseconds since RunInfo start
    int64_t end_ns = 0;
    // Shell convention: the exit() status, 128+N for death by signal N; empty when unknown
    // (and for an image replaced by exec).
    std::optional<int> exit_status;
    // false: a child hprof saw being started but could not enter (setuid or static program,
    // environment without the probe); it has no threads or samples, and `note` says why.
    // A profiled process whose note is "still running when collected" had not ended when its
    // stream was read: its data ends there, and it has no exit status.
    bool profiled = true;
    std::string note;
    // The process's rank in an MPI job or task farm, from the launcher's environment
    // (OMPI_COMM_WORLD_RANK, PMI_RANK, PMIX_RANK, SLURM_PROCID); -1 when it has none.
    int32_t rank = -1;
    // The machine it ran on; "" means RunInfo::host (a merged job has several hosts).
    std::string host;
};

struct Thread {
    ProcessId process;
    int32_t tid = 0;
    std::string name;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    int64_t cpu_ns = 0; // CPU time of the thread as the kernel accounted it (0 if unknown)
};

struct Module {
    std::string path;
    std::string build_id; // lowercase hex, empty if none
};

// A function (or a "module+0xOFFSET" pseudo-function when nothing better is known).
struct Function {
    std::string name;  // demangled
    std::string file;  // source file of the definition, empty if unknown
    uint32_t line = 0; // line of the definition, 0 if unknown
    ModuleId module;
};

// One position in a stack: a function and the line being executed in it.
struct Frame {
    FunctionId function;
    uint32_t line = 0; // sampled source line, 0 if unknown
    bool inlined = false;
};

struct StackNode {
    StackId parent; // invalid for the outermost frame
    FrameId frame;
};

struct Sample {
    int64_t time_ns = 0; // since RunInfo start
    ThreadId thread;
    StackId stack;         // leaf node
    int64_t weight_ns = 0; // CPU time this sample stands for (off-CPU: the time blocked)
    // Wall-clock mode only: the thread was blocked (sleep, lock, I/O) rather than running, and
    // the stack is where it waited.
    bool off_cpu = false;
    // Wall-clock mode only: the thread was runnable but waiting for a CPU (neither on-CPU nor
    // blocked); the stack is the frame "[waiting for a CPU (run queue)]".
    bool run_queue = false;
};

// Exact call counts from -finstrument-functions, per thread. For a function (CallCount) and for a
// caller -> callee edge (CallEdge), primitive_calls counts the calls made while that function
// (or edge) was not already active on the thread's stack, as in pstats ("3/1").
struct CallCount {
    ThreadId thread;
    FunctionId function;
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
    // Trace mode only: exact times of the calls that returned (tottime: in the function itself;
    // cumtime: including callees, counted at the outermost activation). Empty otherwise.
    std::optional<int64_t> tottime_ns;
    std::optional<int64_t> cumtime_ns;
};

struct CallEdge {
    ThreadId thread;
    FunctionId caller; // invalid: called from code that is not instrumented
    FunctionId callee;
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
    std::optional<int64_t> tottime_ns; // trace mode only, as in CallCount (per edge)
    std::optional<int64_t> cumtime_ns;
};

// Trace mode: one call that lasted at least RunInfo::min_duration_ns, with its exact times.
struct TraceEvent {
    ThreadId thread;
    FunctionId function;
    int64_t start_ns = 0; // since RunInfo start
    int64_t duration_ns = 0;
};

struct Profile {
    RunInfo run;
    std::vector<Process> processes;
    std::vector<Thread> threads;
    std::vector<Module> modules;
    std::vector<Function> functions;
    std::vector<Frame> frames;
    std::vector<StackNode> stacks;
    std::vector<Sample> samples;        // sorted by time
    std::vector<CallCount> call_counts; // empty unless the program was instrumented
    std::vector<CallEdge> call_edges;
    std::vector<TraceEvent> trace_events; // trace mode only; sorted by thread, then start

    const Process& process(ProcessId id) const { return processes[id.value]; }
    const Thread& thread(ThreadId id) const { return threads[id.value]; }
    const Module& module(ModuleId id) const { return modules[id.value]; }
    const Function& function(FunctionId id) const { return functions[id.value]; }
    const Frame& frame(FrameId id) const { return frames[id.value]; }
    const StackNode& stack(StackId id) const { return stacks[id.value]; }
};

} // namespace hprof
