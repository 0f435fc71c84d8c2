// Reads one "<pid>.raw" file written by libprobe (format: hprof/raw_stream.h) and hands its
// complete records, in file order, to a visitor. Every length in the file is checked: a stream
// cut anywhere yields the records before the cut.
#pragma once

#include "hprof/raw_stream.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hprof {

struct RawProcessEvent {
    uint64_t time_ns = 0;
    int32_t pid = 0;
    int32_t ppid = 0;
    std::vector<std::string_view> argv;
    std::string_view executable;
    int32_t rank = -1;      // in an MPI job or task farm (hprof/job_environment.h)
    int32_t world_size = 0; // 0: unknown
    std::string_view job_id;
};

struct RawModuleLoadEvent {
    uint64_t time_ns = 0;
    uint64_t load_bias = 0;
    uint64_t start = 0;
    uint64_t end = 0;
    std::span<const uint8_t> build_id;
    std::string_view path;
};

struct RawModuleUnloadEvent {
    uint64_t time_ns = 0;
    uint64_t start = 0;
};

struct RawThreadEvent {
    raw::RecordType type = raw::RecordType::ThreadStart; // ThreadStart, ThreadEnd or ThreadName
    uint64_t time_ns = 0;
    int32_t tid = 0;
    uint64_t cpu_ns = 0;
    std::string_view name;
};

struct RawSampleEvent {
    uint64_t time_ns = 0;
    uint64_t cpu_delta_ns = 0;
    int32_t tid = 0;
    bool truncated = false;
    bool off_cpu = false; // raw::kSampleOffCpu: cpu_delta_ns is the time the thread was blocked
    std::span<const uint64_t> addresses; // leaf first
};

struct RawProcessEndEvent {
    uint64_t time_ns = 0;
    int32_t exit_status = -1;
};

struct RawWarningEvent {
    uint64_t time_ns = 0;
    std::string_view message;
};

// A thread's call table as it was when the stream was read (the probe updates it in place).
// `entries` is every slot, free or half-written ones included: see raw::CallCountEntry.
struct RawCallTableEvent {
    uint64_t offset = 0; // of the record in the file: trace chunks name their table by it
    int32_t tid = 0;
    uint64_t overflowed_calls = 0;
    uint64_t unpaired_exits = 0;
    double ns_per_tick = 0; // converts the entries' times; 0: no times (counts mode)
    std::span<const raw::CallCountEntry> entries;
    uint64_t context_switches = 0; // swapcontext/setcontext calls the probe saw
};

// A thread's trace chunk (raw::TraceChunkRecord): `entries` are the complete ones, its count
// clamped to its capacity.
struct RawTraceChunkEvent {
    int32_t tid = 0;
    uint64_t call_table_offset = 0;
    uint64_t base_ns = 0;
    double ns_per_tick = 0;
    uint64_t min_duration_ns = 0;
    uint32_t unit_shift = 0;
    std::span<const raw::TraceEntry> entries;
};

// An exec (raw::ExecRecord) or a posix_spawn (raw::SpawnRecord): `pid` is the process that
// execs, or the spawned child.
struct RawLaunchEvent {
    raw::RecordType type = raw::RecordType::Exec; // Exec or Spawn
    uint64_t time_ns = 0;
    int32_t pid = 0;
    raw::NotFollowed not_followed = raw::NotFollowed::No;
    std::vector<std::string_view> argv;
    std::string_view path;
};

struct RawChildExitEvent {
    uint64_t time_ns = 0;
    int32_t child_pid = 0;
    int32_t wait_status = 0;
};

struct RawProcessStartEvent {
    uint64_t time_ns = 0;
    int32_t tid = 0;
    uint64_t cpu_ns = 0; // the thread's CPU time when the probe started
};

// Wall-clock mode: time the thread waited for a CPU (raw::RunQueueRecord).
struct RawRunQueueEvent {
    uint64_t time_ns = 0;
    int32_t tid = 0;
    uint64_t wait_ns = 0;
};

class RawStreamVisitor {
  public:
    virtual ~RawStreamVisitor() = default;
    virtual void onProcess(const RawProcessEvent& event) = 0;
    virtual void onModuleLoad(const RawModuleLoadEvent& event) = 0;
    virtual void onModuleUnload(const RawModuleUnloadEvent& event) = 0;
    virtual void onThread(const RawThreadEvent& event) = 0;
    virtual void onSample(const RawSampleEvent& event) = 0;
    virtual void onProcessEnd(const RawProcessEndEvent& event) = 0;
    virtual void onWarning(const RawWarningEvent& event) = 0;
    virtual void onCallTable(const RawCallTableEvent& event) = 0;
    virtual void onTraceChunk(const RawTraceChunkEvent& event) = 0;
    virtual void onLaunch(const RawLaunchEvent&) {}
    virtual void onChildExit(const RawChildExitEvent&) {}
    virtual void onProcessStart(const RawProcessStartEvent&) {}
    virtual void onRunQueue(const RawRunQueueEvent&) {}
};

// What read() got out of a stream. A stream the probe wrote completely has no unreadable bytes
// except, when the process was killed while writing, its last unpublished or unsized records.
struct RawReadSummary {
    size_t visited = 0;             // complete records handed to the visitor
    size_t invalid_records = 0;     // published records of an unknown type or that fail checks
    uint64_t invalid_bytes = 0;     // their bytes
    uint64_t unread_tail_bytes = 0; // after a record whose size cannot be right: the stream
                                    // cannot be followed past it
    uint64_t record_bytes = 0;      // bytes of records the header announces
    bool damaged() const { return invalid_records > 0 || unread_tail_bytes > 0; }
};

// Why and when the probe stopped recording a process before it ended (a full disk, say).
struct RawStreamStop {
    raw::StopReason reason = raw::StopReason::None;
    uint64_t time_ns = 0;     // CLOCK_MONOTONIC
    uint64_t file_bytes = 0;  // the stream's size then
    uint64_t limit_bytes = 0; // the file system's size, or RLIMIT_FSIZE
    uint64_t dropped_records = 0;
};

// The header fields the collector needs, copied out of the mapped file.
struct RawStreamInfo {
    int32_t pid = 0;
    int32_t ppid = 0;
    uint64_t start_monotonic_ns = 0;
    uint64_t start_realtime_ns = 0;
    uint64_t dropped_samples = 0;
    uint32_t frequency_hz = 0;
    raw::Trigger trigger = raw::Trigger::PerfTaskClock;
    raw::Clock clock = raw::Clock::Cpu;
    RawStreamStop stop;
};

class RawStreamReader {
  public:
    // Maps the file (as far as it can be read without a fault) and validates its header;
    // throws hprof::Error naming the file otherwise, a non-regular file included.
    explicit RawStreamReader(const std::string& path);
    ~RawStreamReader();
    RawStreamReader(RawStreamReader&& other) noexcept;
    RawStreamReader(const RawStreamReader&) = delete;
    RawStreamReader& operator=(const RawStreamReader&) = delete;
    RawStreamReader& operator=(RawStreamReader&&) = delete;

    const std::string& path() const { return path_; }
    const RawStreamInfo& info() const { return info_; }

    // Visits the complete records in file order.
    RawReadSummary read(RawStreamVisitor& visitor) const;

  private:
    std::string path_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
    size_t records_end_ = 0;
    RawStreamInfo info_;
};

} // namespace hprof
