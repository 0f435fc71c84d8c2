#include "call_tracer.h"
#include "raw_writer.h"
#include "signal_safe.h"

#include <sys/mman.h>
#include <unistd.h>

namespace hprof::probe {

constinit bool g_tracing = false;

namespace {

// 192 KiB of entries per chunk, its pages populated at once (one system call instead of a
// page fault every 341 calls).
constexpr uint32_t kChunkCapacity = 16384;
constexpr double kTargetUnitNs = 1000; // resolution of the kept times: at most 1 us

} // namespace

constinit TraceClock g_trace_clock;
constinit thread_local ThreadTrace t_trace __attribute__((tls_model("initial-exec")));

namespace {

// Chunks start from the process base; once 2^32 units have passed (about 70 minutes at 1 us),
// new chunks move their base so that calls of up to half that range still fit.
uint64_t chunkBase(uint64_t end_tsc) {
    uint64_t range = (uint64_t(UINT32_MAX) << g_trace_clock.unit_shift);
    if (end_tsc - g_trace_clock.base_tsc < range)
        return g_trace_clock.base_tsc;
    return end_tsc - range / 2;
}

// Pages the kernel fills now rather than on first touch; only a hint (kernels before 5.14 say
// EINVAL, and the entries then fault in one page at a time as before).
void populate(void* start, size_t bytes) {
    constexpr int kPopulateWrite = 23; // MADV_POPULATE_WRITE
    const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    const uintptr_t first = uintptr_t(start) & ~(page - 1);
    madvise(reinterpret_cast<void*>(first), uintptr_t(start) + bytes - first, kPopulateWrite);
}

} // namespace

bool startTraceChunk(ThreadTrace& trace, const raw::CallTableRecord* table, uint64_t end_tsc) {
    auto* record = beginRecord(
        uint32_t(sizeof(raw::TraceChunkRecord) + kChunkCapacity * sizeof(raw::TraceEntry)));
    if (!record)
        return false;
    auto* chunk = reinterpret_cast<raw::TraceChunkRecord*>(record);
    chunk->tid = table->tid;
    chunk->capacity = kChunkCapacity;
    chunk->call_table_offset = streamOffsetOf(table);
    chunk->base_tsc = chunkBase(end_tsc);
    chunk->base_ns =
        g_trace_clock.base_ns +
        uint64_t(double(chunk->base_tsc - g_trace_clock.base_tsc) * g_trace_clock.ns_per_tick);
    chunk->ns_per_tick = g_trace_clock.ns_per_tick;
    chunk->min_duration_ns = g_trace_clock.min_duration_ns;
    chunk->unit_shift = g_trace_clock.unit_shift;
    trace.chunk = chunk;
    trace.entries = reinterpret_cast<raw::TraceEntry*>(chunk + 1);
    commitRecord(record, raw::RecordType::TraceChunk);
    populate(trace.entries, kChunkCapacity * sizeof(raw::TraceEntry));
    return true;
}

void enableCallTracing(uint64_t min_duration_ns) {
    uint64_t start_ns = monotonicNs();
    uint64_t start_tsc = traceClock();
    uint64_t now_ns = start_ns;
    while (now_ns - start_ns < 2000000)
        now_ns = monotonicNs();
    uint64_t ticks = traceClock() - start_tsc;
    g_trace_clock.base_tsc = start_tsc;
    g_trace_clock.base_ns = start_ns;
    g_trace_clock.ns_per_tick = ticks ? double(now_ns - start_ns) / double(ticks) : 1.0;
    while (double(uint64_t(1) << (g_trace_clock.unit_shift + 1)) * g_trace_clock.ns_per_tick <=
           kTargetUnitNs)
        ++g_trace_clock.unit_shift;
    g_trace_clock.min_duration_ns = min_duration_ns;
    g_trace_clock.min_ticks = uint64_t(double(min_duration_ns) / g_trace_clock.ns_per_tick);
    g_tracing = true;
}

double traceNsPerTick() {
    return g_trace_clock.ns_per_tick;
}

void forgetTraceChunk() {
    t_trace = ThreadTrace{};
}

} // namespace hprof::probe
