#include "call_tracer.h"
#include "raw_writer.h"
#include "signal_safe.h"

namespace hprof::probe {

constinit bool g_tracing = false;

namespace {

constexpr uint32_t kChunkCapacity = 4096;
constexpr double kTargetUnitNs = 1000; // resolution of the kept times: at most 1 us

struct Calibration {
    uint64_t base_tsc = 0; // process start: every traced call starts after it
    uint64_t base_ns = 0;
    double ns_per_tick = 1;
    uint32_t unit_shift = 0;
    uint64_t min_duration_ns = 0;
    uint64_t min_ticks = 0;
};
constinit Calibration g_clock;

struct ThreadTrace {
    raw::TraceChunkRecord* chunk = nullptr;
    raw::TraceEntry* entries = nullptr;
};
constinit thread_local ThreadTrace t_trace __attribute__((tls_model("initial-exec")));

// Chunks start from the process base; once 2^32 units have passed (about 70 minutes at 1 us),
// new chunks move their base so that calls of up to half that range still fit.
uint64_t chunkBase(uint64_t end_tsc) {
    uint64_t range = (uint64_t(UINT32_MAX) << g_clock.unit_shift);
    if (end_tsc - g_clock.base_tsc < range)
        return g_clock.base_tsc;
    return end_tsc - range / 2;
}

bool startChunk(ThreadTrace& trace, const raw::CallTableRecord* table, uint64_t end_tsc) {
    auto* record = beginRecord(
        uint32_t(sizeof(raw::TraceChunkRecord) + kChunkCapacity * sizeof(raw::TraceEntry)));
    if (!record)
        return false;
    auto* chunk = reinterpret_cast<raw::TraceChunkRecord*>(record);
    chunk->tid = table->tid;
    chunk->capacity = kChunkCapacity;
    chunk->call_table_offset = streamOffsetOf(table);
    chunk->base_tsc = chunkBase(end_tsc);
    chunk->base_ns = g_clock.base_ns +
                     uint64_t(double(chunk->base_tsc - g_clock.base_tsc) * g_clock.ns_per_tick);
    chunk->ns_per_tick = g_clock.ns_per_tick;
    chunk->min_duration_ns = g_clock.min_duration_ns;
    chunk->unit_shift = g_clock.unit_shift;
    trace.chunk = chunk;
    trace.entries = reinterpret_cast<raw::TraceEntry*>(chunk + 1);
    commitRecord(record, raw::RecordType::TraceChunk);
    return true;
}

uint32_t toUnits(uint64_t ticks) {
    uint64_t units = ticks >> g_clock.unit_shift;
    return units > UINT32_MAX ? UINT32_MAX : uint32_t(units);
}

} // namespace

void enableCallTracing(uint64_t min_duration_ns) {
    uint64_t start_ns = monotonicNs();
    uint64_t start_tsc = traceClock();
    uint64_t now_ns = start_ns;
    while (now_ns - start_ns < 2000000)
        now_ns = monotonicNs();
    uint64_t ticks = traceClock() - start_tsc;
    g_clock.base_tsc = start_tsc;
    g_clock.base_ns = start_ns;
    g_clock.ns_per_tick = ticks ? double(now_ns - start_ns) / double(ticks) : 1.0;
    while (double(uint64_t(1) << (g_clock.unit_shift + 1)) * g_clock.ns_per_tick <= kTargetUnitNs)
        ++g_clock.unit_shift;
    g_clock.min_duration_ns = min_duration_ns;
    g_clock.min_ticks = uint64_t(double(min_duration_ns) / g_clock.ns_per_tick);
    g_tracing = true;
}

void traceCall(const raw::CallTableRecord* table, uint32_t slot, uint64_t start_tsc,
               uint64_t end_tsc) {
    if (end_tsc - start_tsc < g_clock.min_ticks)
        return;
    ThreadTrace& trace = t_trace;
    raw::TraceChunkRecord* chunk = trace.chunk;
    bool fits = chunk && chunk->count < chunk->capacity &&
                end_tsc - chunk->base_tsc <= (uint64_t(UINT32_MAX) << g_clock.unit_shift);
    if (!fits && !startChunk(trace, table, end_tsc))
        return;
    chunk = trace.chunk;
    // A call older than the chunk's base (it spans more than the clock range) starts at the base.
    uint64_t start = start_tsc > chunk->base_tsc ? start_tsc - chunk->base_tsc : 0;
    trace.entries[chunk->count] = {slot, toUnits(start), toUnits(end_tsc - start_tsc)};
    __atomic_store_n(&chunk->count, chunk->count + 1, __ATOMIC_RELEASE);
}

double traceNsPerTick() {
    return g_clock.ns_per_tick;
}

void forgetTraceChunk() {
    t_trace = ThreadTrace{};
}

} // namespace hprof::probe
