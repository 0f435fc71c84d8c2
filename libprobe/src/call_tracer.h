// Trace mode (--instrument=trace): every call that lasted at least the minimum duration is kept
// with its start and duration, in per-thread TraceChunkRecords of the raw stream (12 bytes per
// kept call). The call counter (call_counter.cpp) stamps enters and calls traceCall from its
// exit hook, inside its reentrancy guard, so everything here runs one hook at a time per thread.
//
// Times are TSC ticks: the only clock cheap enough to read twice per call (24-29 ns here against
// 58-70 ns for clock_gettime). They are calibrated against CLOCK_MONOTONIC once, at start.
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

// Async-signal-safe. `slot` is the function's total entry in `table`.
void traceCall(const raw::CallTableRecord* table, uint32_t slot, uint64_t start_tsc,
               uint64_t end_tsc);
// The thread ends, or a fork child starts: its chunk belongs to the old thread or stream.
void forgetTraceChunk();

} // namespace hprof::probe
