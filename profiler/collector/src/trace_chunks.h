// The trace chunks of one process (--instrument=trace, raw::TraceChunkRecord), turned into
// Profile::trace_events.
//
// An entry names its function by a slot of its thread's call table, which the probe goes on
// filling until the thread ends: chunks are therefore kept until the whole stream has been
// read, then resolved through CallTables (the same FunctionId as counts and samples).
#pragma once

#include "call_tables.h"
#include "raw_stream_reader.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hprof {

// What the chunks of a run could not trace, and the settings they were recorded with.
struct TraceLosses {
    bool any_chunk = false;
    std::optional<uint64_t> min_duration_ns; // the smallest of the chunks: true of every event
    uint64_t ignored_chunks = 0; // no call table of their thread at their offset, or bad clock
    uint64_t skipped_calls = 0;  // their slot is not a ready function total

    void add(const TraceLosses& other);
    // Sets RunInfo::instrumentation and min_duration_ns and adds one warning per kind of loss.
    void report(RunInfo& run) const;
};

class TraceChunks {
  public:
    // Times in the profile are relative to run_start_ns (CLOCK_MONOTONIC).
    TraceChunks(Profile& profile, uint64_t run_start_ns);

    // Keeps event.entries as they are: the reader's mapping must outlive finish().
    void add(ThreadId thread, const RawTraceChunkEvent& event);
    // Appends the events of every chunk to the profile (unsorted); call before tables.finish().
    void finish(CallTables& tables);

    const TraceLosses& losses() const { return losses_; }

  private:
    struct Chunk {
        ThreadId thread;
        int32_t tid = 0;
        uint64_t call_table_offset = 0;
        uint64_t base_ns = 0;
        double ns_per_tick = 0;
        uint32_t unit_shift = 0;
        std::span<const raw::TraceEntry> entries; // into the raw stream's mapping
    };

    static int64_t nanoseconds(const Chunk& chunk, uint64_t units);
    void addEvents(const Chunk& chunk, size_t table, CallTables& tables);

    Profile& profile_;
    uint64_t run_start_ns_;
    std::vector<Chunk> chunks_;
    TraceLosses losses_;
};

} // namespace hprof
