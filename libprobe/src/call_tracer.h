// Trace mode (--instrument=trace): every call that lasted at least the minimum duration is kept
// with its start and duration, in per-thread TraceChunkRecords of the raw stream (12 bytes per
// kept call). The call counter (call_counter.cpp) stamps enters and calls traceCall from its
// exit hook, inside its reentrancy guard, so everything here runs one hook at a time per thread.
//
// Times are TSC ticks: the only clock cheap enough to read twice per call (10-29 ns here against
// 23-70 ns for clock_gettime, depending on the host: bench/clock_cost.sh). They are calibrated
// against CLOCK_MONOTONIC once, at start.
#pragma once

#include "hprof/raw_stream.h"

#include <cstdint>
#include <x86intrin.h>

namespace hprof::probe {

// Calibrates the TSC (a 2 ms spin: trace mode only) and turns tracing on.
void enableCallTracing(uint64_t min_duration_ns);
extern bool g_tracing;
double traceNsPerTick();
inline uint64_t traceClock() {
    return __rdtsc();
}

// What traceCall needs on every call; set once by enableCallTracing.
struct TraceClock {
    uint64_t base_tsc = 0; // process start: every traced call starts after it
    uint64_t base_ns = 0;
    double ns_per_tick = 1;
    uint32_t unit_shift = 0;
    uint64_t min_duration_ns = 0;
    uint64_t min_ticks = 0;
};
extern TraceClock g_trace_clock;

struct ThreadTrace {
    raw::TraceChunkRecord* chunk = nullptr;
    raw::TraceEntry* entries = nullptr;
};
extern thread_local ThreadTrace t_trace __attribute__((tls_model("initial-exec")));

// The slow path of traceCall: a new chunk for the thread. False when the stream is full.
bool startTraceChunk(ThreadTrace& trace, const raw::CallTableRecord* table, uint64_t end_tsc);

inline uint32_t traceUnits(uint64_t ticks) {
    uint64_t units = ticks >> g_trace_clock.unit_shift;
    return units > UINT32_MAX ? UINT32_MAX : uint32_t(units);
}

// Async-signal-safe. `slot` is the function's total entry in `table`. Inline: it runs on every
// return in trace mode.
inline void traceCall(const raw::CallTableRecord* table, uint32_t slot, uint64_t start_tsc,
                      uint64_t end_tsc) {
    if (end_tsc - start_tsc < g_trace_clock.min_ticks)
        return;
    ThreadTrace& trace = t_trace;
    raw::TraceChunkRecord* chunk = trace.chunk;
    bool fits = chunk && chunk->count < chunk->capacity &&
                end_tsc - chunk->base_tsc <= (uint64_t(UINT32_MAX) << g_trace_clock.unit_shift);
    if (!fits && !startTraceChunk(trace, table, end_tsc))
        return;
    chunk = trace.chunk;
    // A call older than the chunk's base (it spans more than the clock range) starts at the base.
    uint64_t start = start_tsc > chunk->base_tsc ? start_tsc - chunk->base_tsc : 0;
    // The end is truncated to units on its own, not start + the truncated duration: calls that
    // nest in ticks then nest in units too (before, a callee could end up to a unit, ~1 us,
    // after its caller, and Chrome's "X" events did not nest).
    uint32_t start_units = traceUnits(start);
    uint32_t duration_units = traceUnits(end_tsc - chunk->base_tsc) - start_units;
    trace.entries[chunk->count] = {slot, start_units, duration_units};
    __atomic_store_n(&chunk->count, chunk->count + 1, __ATOMIC_RELEASE);
}
// The thread ends, or a fork child starts: its chunk belongs to the old thread or stream.
void forgetTraceChunk();

} // namespace hprof::probe
