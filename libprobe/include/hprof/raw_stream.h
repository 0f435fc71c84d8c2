// The raw stream: what libprobe writes inside the profiled process and the collector reads.
//
// One file per process, "<run_dir>/<pid>.raw", created by the probe with O_EXCL and mapped
// MAP_SHARED, so every record is in the page cache the moment it is written: a crash, _exit or
// SIGKILL of the process loses nothing that was already committed.
//
// The header's magic is written last, so a file without it is a process that died before its
// stream started.
//
// Layout: a RawFileHeader (kRawHeaderSize bytes), then records, each 8-byte aligned, starting
// with a RecordHeader. A writer reserves space with an atomic fetch_add on `used`, writes `size`
// first (so a reader can always skip the record), then the payload, then publishes `type` with a
// release store. A reader stops at a record whose size is 0 or runs past `used`/the file end, and
// skips records whose type is still 0 (the writer died mid-record).
//
// Plain C-layout structs only: this header is shared by the probe (no exceptions, no libstdc++
// allocation in the signal path) and the collector.
#pragma once

#include <atomic>
#include <cstdint>

namespace hprof::raw {

inline constexpr char kRawMagic[8] = {'H', 'P', 'R', 'F', 'R', 'A', 'W', '\0'};
inline constexpr uint32_t kRawVersion = 2; // 2: ProcessRecord's rank, world size, job id
inline constexpr uint32_t kRawHeaderSize = 4096;
inline constexpr uint32_t kMaxFrames = 256;

// How samples were triggered; recorded so the report can say how exact the rate is.
enum class Trigger : uint32_t {
    PerfTaskClock = 1, // perf_event_open(PERF_COUNT_SW_TASK_CLOCK): exact rate, on-CPU only
    CpuTimer = 2,      // timer_create(CLOCK_THREAD_CPUTIME_ID): tick-limited fallback
};

// What the samples measure (HPROF_CLOCK).
enum class Clock : uint32_t {
    Cpu = 0,  // on-CPU samples only
    Wall = 1, // also off-CPU samples (kSampleOffCpu) for the time threads spend blocked
};

// Why a stream stopped before its process ended (RawFileHeader::stop_reason).
enum class StopReason : uint32_t {
    None = 0,
    DiskFull = 1,  // growing the file failed with ENOSPC (or EDQUOT)
    FileLimit = 2, // growing it would pass RLIMIT_FSIZE (the kernel would raise SIGXFSZ)
    OtherError = 3,
};

struct RawFileHeader {
    char magic[8];
    uint32_t version;
    uint32_t header_size;                  // == kRawHeaderSize; records start here
    std::atomic<uint64_t> used;            // bytes reserved for records after the header
    std::atomic<uint64_t> dropped_samples; // samples lost (stream full, nested signal, ...)
    int32_t pid;
    int32_t ppid;
    uint64_t start_monotonic_ns; // CLOCK_MONOTONIC at probe start; sample times use this clock
    uint64_t start_realtime_ns;  // CLOCK_REALTIME at the same moment
    uint32_t frequency_hz;
    uint32_t trigger; // Trigger
    int32_t signal_number;
    uint32_t clock; // Clock
    // Appended: why the probe stopped recording this process (StopReason), set once by the first
    // writer whose growth of the file failed; from then on every record is refused, counted in
    // `dropped_records` (samples also in `dropped_samples`).
    std::atomic<uint32_t> stop_reason;
    uint32_t reserved;
    std::atomic<uint64_t> dropped_records; // records refused after the stop
    uint64_t stopped_at_ns;                // CLOCK_MONOTONIC when the stream stopped
    uint64_t stopped_file_bytes;           // the stream file's size then
    uint64_t stop_limit_bytes;             // the limit hit: the file system's size, or RLIMIT_FSIZE
};
static_assert(sizeof(RawFileHeader) <= kRawHeaderSize);

enum class RecordType : uint16_t {
    Incomplete = 0,
    Process = 1,       // ProcessRecord + argv strings
    ModuleLoad = 2,    // ModuleLoadRecord + build id bytes + path
    ModuleUnload = 3,  // ModuleUnloadRecord
    ThreadStart = 4,   // ThreadRecord + name
    ThreadEnd = 5,     // ThreadRecord + name
    ThreadName = 6,    // ThreadRecord + name
    Sample = 7,        // SampleRecord + addresses
    ProcessEnd = 8,    // ProcessEndRecord
    Warning = 9,       // WarningRecord + message text
    CallTable = 10,    // CallTableRecord + capacity CallCountEntry, updated in place
    TraceChunk = 11,   // TraceChunkRecord + capacity TraceEntry, filled in place
    Exec = 12,         // ExecRecord + argv strings + path
    Spawn = 13,        // SpawnRecord + argv strings + path
    ChildExit = 14,    // ChildExitRecord
    ProcessStart = 15, // ProcessStartRecord
    RunQueue = 18,     // RunQueueRecord, updated in place
};

struct RecordHeader {
    uint32_t size;              // whole record including this header, multiple of 8
    std::atomic<uint16_t> type; // RecordType; published last
    uint16_t flags;
};
static_assert(sizeof(RecordHeader) == 8);

// Followed by `argc` NUL-terminated strings (argv), the executable path, then the job id
// (NUL-terminated, "" outside a job). rank, world_size and the job id come from the launcher's
// environment as the image started (hprof/job_environment.h).
struct ProcessRecord {
    RecordHeader header;
    uint64_t time_ns; // CLOCK_MONOTONIC
    int32_t pid;
    int32_t ppid;
    uint32_t argc;
    int32_t rank;       // -1: not a rank of a job
    int32_t world_size; // 0: unknown
    uint32_t reserved;
};

// A module (executable, shared library, vdso) is mapped at `load_bias`: file virtual address
// + load_bias = runtime address. [start, end) is the runtime range of its PT_LOAD segments.
// Followed by `build_id_size` bytes of GNU build id, then the path (NUL-terminated; empty for
// the main program means "the executable", "[vdso]" for the vDSO).
struct ModuleLoadRecord {
    RecordHeader header;
    uint64_t time_ns;
    uint64_t load_bias;
    uint64_t start;
    uint64_t end;
    uint32_t build_id_size;
    uint32_t reserved;
};

struct ModuleUnloadRecord {
    RecordHeader header;
    uint64_t time_ns;
    uint64_t start; // identifies the module by its start address among live modules
};

// Followed by the thread name (NUL-terminated, at most 16 bytes with the NUL).
struct ThreadRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t tid;
    uint32_t reserved;
    uint64_t cpu_ns; // the thread's CPU time at this moment (CLOCK_THREAD_CPUTIME_ID)
};

inline constexpr uint16_t kSampleTruncated = 1; // flags: the stack had more than kMaxFrames
// flags, wall-clock mode: the thread was blocked; cpu_delta_ns is then the off-CPU time this
// sample stands for, and the stack is where the thread waits (in a system call). An off-CPU
// sample without frames holds blocked time that no visit of the wall sampler saw (waits that
// began and ended between two visits).
inline constexpr uint16_t kSampleOffCpu = 2;

// Followed by `frame_count` uint64 addresses, leaf first. Addresses are ready for symbolization:
// the leaf is the interrupted PC; callers are return addresses minus one (so they fall inside the
// call instruction), except frames interrupted by a signal, which are exact PCs.
struct SampleRecord {
    RecordHeader header;   // flags: kSampleTruncated
    uint64_t time_ns;      // CLOCK_MONOTONIC
    uint64_t cpu_delta_ns; // thread CPU time consumed since this thread's previous sample
    int32_t tid;
    uint32_t frame_count;
};

// Written by exit() (on_exit), _exit() and _Exit().
struct ProcessEndRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t exit_status; // as passed to exit(); -1 if unknown
    uint32_t reserved;
};

// Why the probe expects that a program it sees being started will not load it.
enum class NotFollowed : uint32_t {
    No = 0,          // expected to be followed
    Setuid = 1,      // set-user/group-ID file: the loader ignores LD_PRELOAD (AT_SECURE)
    Static = 2,      // no PT_INTERP: no dynamic loader to preload anything
    Environment = 3, // its environment has no LD_PRELOAD of the probe and could not be fixed
};

// Written just before an exec function runs (in the process that execs, forked or vfork'ed
// child included; pid is getpid() of that process). If the exec succeeds, the image's stream
// ends here; if it fails the process goes on writing. Followed by `argc` NUL-terminated argv
// strings, then the path (NUL-terminated) as the program passed it (for execvp, execlp and
// execvpe: the file found on PATH). Not written when the file cannot be executed at all.
struct ExecRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t pid;
    uint32_t argc;
    uint32_t not_followed; // NotFollowed
    uint32_t reserved;
};

// Written by the parent after posix_spawn/posix_spawnp succeeded; same trailing strings as
// ExecRecord.
struct SpawnRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t child_pid;
    uint32_t argc;
    uint32_t not_followed; // NotFollowed
    uint32_t reserved;
};

// Written by the parent when one of its wait functions (wait, waitpid, wait3, wait4, waitid)
// reaped a child: how the child ended, including death by a signal.
struct ChildExitRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t child_pid;
    int32_t wait_status; // as from waitpid (WIFEXITED/WIFSIGNALED decode it)
};

// Written once by a new program image (not by a fork child) as the probe starts: the CPU time
// its first thread had used by then (exec, dynamic loading, constructors of libraries loaded
// before the probe), which no sample covers. For an image that an exec replaced in the same
// process, that time includes the CPU the thread used before the exec (the kernel's thread
// clock survives exec).
struct ProcessStartRecord {
    RecordHeader header;
    uint64_t time_ns;
    int32_t tid;
    uint32_t reserved;
    uint64_t cpu_ns; // CLOCK_THREAD_CPUTIME_ID of `tid` at probe start
};

// Wall-clock mode: time the thread spent runnable but waiting for a CPU (the run queue: the
// second field of /proc/self/task/TID/schedstat), measured by the wall sampler between its
// visits. Extended in place like off-CPU samples (wait_ns and time_ns grow), at most 100 ms
// per record.
struct RunQueueRecord {
    RecordHeader header;
    uint64_t time_ns; // the last visit it covers
    int32_t tid;
    uint32_t reserved;
    uint64_t wait_ns;
};

// Followed by a NUL-terminated message (for example "program installed its own SIGPROF ...").
struct WarningRecord {
    RecordHeader header;
    uint64_t time_ns;
};

// Instrumentation (-finstrument-functions): one call table per thread, reserved in the stream at
// the thread's first instrumented call and then updated in place, so a crash keeps the counts.
// After a ModuleUnload record the thread continues in a new table (reserved at its next call):
// a table's addresses belong to modules live between its record and the first unload after it.
// Entries are keyed by (callee, caller) function entry addresses. caller == kFunctionTotal holds
// the function's own totals; any other caller is an edge (caller 0: called from code that is
// not instrumented). primitive_calls counts calls made while that function (for a total) or
// that edge (for an edge) was not already active on the thread's stack, as in Python's pstats.
inline constexpr uint64_t kFunctionTotal = UINT64_MAX;

struct CallCountEntry {
    uint64_t callee; // 0: free slot
    uint64_t caller;
    uint64_t calls;
    uint64_t primitive_calls;
    uint32_t active; // activations now on the stack (the probe's bookkeeping)
    uint32_t ready;  // 1 once callee and caller are both written; readers skip 0
    // Trace mode only (CallTableRecord::ns_per_tick != 0), exact, in TSC ticks, for calls that
    // returned through their exit hook: time in the function itself, and time including callees
    // counted at the outermost activation (of the function for a total, of the edge for an edge).
    uint64_t tottime_ticks;
    uint64_t cumtime_ticks;
};
static_assert(sizeof(CallCountEntry) == 56);

// Duplicated keys may occur (an instrumented signal handler can insert the same key while the
// interrupted code is inserting it): readers sum entries with equal keys.
struct CallTableRecord {
    RecordHeader header;
    int32_t tid;
    uint32_t capacity;         // number of CallCountEntry that follow
    uint64_t overflowed_calls; // calls not counted because the table was full
    uint64_t unpaired_exits;   // exit hooks with no matching entry (longjmp, missing enter)
    double ns_per_tick;        // trace mode: converts the entries' times; 0: no times recorded
    uint64_t context_switches; // swapcontext/setcontext calls seen (0 before this field existed)
};

// Trace mode (--instrument=trace): every call of the thread that lasted at least
// `min_duration_ns` is kept, written when it returns, into per-thread chunks filled in place.
// Times are TSC ticks relative to the chunk's base, in units of 2^unit_shift ticks;
// ns = base_ns + (units << unit_shift) * ns_per_tick. A call is identified by the slot of its
// function's total entry (caller == kFunctionTotal) in the same thread's CallTableRecord, found
// at file offset call_table_offset. Calls skipped by longjmp are not traced (their end is unknown).
struct TraceEntry {
    uint32_t function_slot; // index into the thread's CallCountEntry array
    uint32_t start;         // units since base_tsc
    uint32_t duration;      // units; UINT32_MAX means "at least that long"
};
static_assert(sizeof(TraceEntry) == 12);

struct TraceChunkRecord {
    RecordHeader header;
    int32_t tid;
    uint32_t capacity;          // TraceEntry slots that follow
    uint64_t call_table_offset; // file offset of this thread's CallTableRecord
    uint64_t base_tsc;
    uint64_t base_ns;   // CLOCK_MONOTONIC at base_tsc
    double ns_per_tick; // calibrated once per process at start
    uint64_t min_duration_ns;
    uint32_t unit_shift;
    uint32_t count; // entries written so far; each entry is complete before count covers it
};

inline constexpr uint32_t alignRecordSize(uint32_t size) {
    return (size + 7u) & ~7u;
}

} // namespace hprof::raw
