#include "trace_chunks.h"

#include <algorithm>
#include <cmath>

namespace hprof {
namespace {

// The longest time a chunk may express (UINT32_MAX units): more than a century means its clock
// fields are damaged, and converting them would overflow.
constexpr double kLongestTraceNs = 0x1p62;

bool usableClock(const RawTraceChunkEvent& event) {
    return std::isfinite(event.ns_per_tick) && event.ns_per_tick > 0 && event.unit_shift < 64 &&
           std::ldexp(double{UINT32_MAX}, static_cast<int>(event.unit_shift)) * event.ns_per_tick <
               kLongestTraceNs;
}

} // namespace

void TraceLosses::add(const TraceLosses& other) {
    any_chunk = any_chunk || other.any_chunk;
    if (other.min_duration_ns)
        min_duration_ns = std::min(min_duration_ns.value_or(UINT64_MAX), *other.min_duration_ns);
    ignored_chunks += other.ignored_chunks;
    skipped_calls += other.skipped_calls;
}

void TraceLosses::report(RunInfo& run) const {
    if (!any_chunk)
        return;
    run.instrumentation = "trace";
    run.min_duration_ns = static_cast<int64_t>(min_duration_ns.value_or(0));
    if (ignored_chunks > 0)
        run.warnings.push_back(std::to_string(ignored_chunks) +
                               " trace chunks were ignored (damaged: no call table of their "
                               "thread at their call table offset, or an unusable clock)");
    if (skipped_calls > 0)
        run.warnings.push_back(std::to_string(skipped_calls) +
                               " traced calls were skipped (their function slot holds no "
                               "counted function)");
}

TraceChunks::TraceChunks(Profile& profile, uint64_t run_start_ns)
    : profile_(profile), run_start_ns_(run_start_ns) {}

void TraceChunks::add(ThreadId thread, const RawTraceChunkEvent& event) {
    losses_.any_chunk = true;
    if (!usableClock(event)) {
        ++losses_.ignored_chunks;
        return;
    }
    losses_.min_duration_ns =
        std::min(losses_.min_duration_ns.value_or(UINT64_MAX), event.min_duration_ns);
    chunks_.push_back({thread, event.tid, event.call_table_offset, event.base_ns, event.ns_per_tick,
                       event.unit_shift, event.entries});
}

int64_t TraceChunks::nanoseconds(const Chunk& chunk, uint64_t units) {
    const double ticks = std::ldexp(static_cast<double>(units), static_cast<int>(chunk.unit_shift));
    return std::llround(ticks * chunk.ns_per_tick);
}

void TraceChunks::addEvents(const Chunk& chunk, size_t table, CallTables& tables) {
    for (const raw::TraceEntry& entry : chunk.entries) {
        const std::optional<FunctionId> function = tables.slotFunction(table, entry.function_slot);
        if (!function) {
            ++losses_.skipped_calls;
            continue;
        }
        // Unsigned arithmetic, like sample times: a start before the run start wraps to the
        // negative offset it is.
        const int64_t begin = nanoseconds(chunk, entry.start);
        // The end is rounded on its own, not as start + rounded duration: a call that ends where
        // the next one starts must not overlap it by a rounding nanosecond (exports whose
        // events must nest, Chrome's "X", saw such overlaps in 1 run of 6).
        const int64_t end = nanoseconds(chunk, uint64_t(entry.start) + entry.duration);
        const uint64_t start = chunk.base_ns + static_cast<uint64_t>(begin);
        profile_.trace_events.push_back(
            {chunk.thread, *function, static_cast<int64_t>(start - run_start_ns_), end - begin});
    }
}

void TraceChunks::finish(CallTables& tables) {
    size_t events = profile_.trace_events.size();
    for (const Chunk& chunk : chunks_)
        events += chunk.entries.size();
    profile_.trace_events.reserve(events); // tens of millions: growing would copy them all
    for (const Chunk& chunk : chunks_) {
        const std::optional<size_t> table = tables.tableAt(chunk.call_table_offset, chunk.tid);
        if (table)
            addEvents(chunk, *table, tables);
        else
            ++losses_.ignored_chunks;
    }
    chunks_.clear();
}

} // namespace hprof
