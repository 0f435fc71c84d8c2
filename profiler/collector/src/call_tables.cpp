#include "call_tables.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hprof {
namespace {

bool isUsed(const raw::CallCountEntry& entry) {
    return entry.ready != 0 && entry.callee != 0;
}

// Longer than a century: only a damaged entry or clock gets there, and more would overflow.
constexpr double kLongestNs = 0x1p62;

// Tables whose clock is damaged (not a finite positive number) count calls but give no times.
bool hasTimes(double ns_per_tick) {
    return std::isfinite(ns_per_tick) && ns_per_tick > 0;
}

int64_t nanoseconds(uint64_t ticks, double ns_per_tick) {
    return std::llround(std::min(static_cast<double>(ticks) * ns_per_tick, kLongestNs));
}

// Saturates instead of overflowing when damaged entries are summed.
void addTime(std::optional<int64_t>& sum, int64_t ns) {
    int64_t result = 0;
    sum = __builtin_add_overflow(sum.value_or(0), ns, &result) ? std::numeric_limits<int64_t>::max()
                                                               : result;
}

std::string threadList(std::vector<int32_t> tids) {
    std::sort(tids.begin(), tids.end());
    tids.erase(std::unique(tids.begin(), tids.end()), tids.end());
    std::string text =
        tids.size() == 1 ? "the call table of thread " : "the call tables of threads ";
    for (size_t i = 0; i < tids.size(); ++i)
        text += (i == 0 ? "" : ", ") + std::to_string(tids[i]);
    return text + (tids.size() == 1 ? " was full" : " were full");
}

// Names what the probe saw that can cause it: context switches it could not follow (to a
// context saved by getcontext, resumed on another thread, or too many at once), if any.
std::string unpairedExitsWarning(uint64_t unpaired_exits, uint64_t context_switches) {
    std::string text = std::to_string(unpaired_exits) + " function exits had no matching entry";
    if (context_switches == 0)
        return text + " (longjmp or a missing enter hook)";
    return text + " after " + std::to_string(context_switches) +
           " context switches (swapcontext/setcontext) on the same threads, or a longjmp or a "
           "missing enter hook";
}

} // namespace

void CallTableLosses::add(const CallTableLosses& other) {
    any_table = any_table || other.any_table;
    overflowed_calls += other.overflowed_calls;
    full_table_tids.insert(full_table_tids.end(), other.full_table_tids.begin(),
                           other.full_table_tids.end());
    unpaired_exits += other.unpaired_exits;
    context_switches += other.context_switches;
}

void CallTableLosses::report(RunInfo& run) const {
    if (!any_table)
        return;
    run.instrumentation = "counts";
    if (overflowed_calls > 0)
        run.warnings.push_back(std::to_string(overflowed_calls) +
                               " calls were not counted: " + threadList(full_table_tids));
    if (unpaired_exits > 0)
        run.warnings.push_back(unpairedExitsWarning(unpaired_exits, context_switches));
}

CallTables::CallTables(ProfileBuilder& builder, FrameResolver& resolver)
    : builder_(builder), resolver_(resolver) {}

void CallTables::moduleLoaded(const LiveModule& module) {
    loads_.push_back(module);
}

void CallTables::moduleUnloaded() {
    for (size_t i = first_open_table_; i < tables_.size(); ++i)
        tables_[i].loads_end = loads_.size();
    first_open_table_ = tables_.size();
}

void CallTables::add(ThreadId thread, const RawCallTableEvent& event,
                     const ModuleMap& live_modules) {
    tables_.push_back({thread,
                       event.tid,
                       event.offset,
                       hasTimes(event.ns_per_tick) ? event.ns_per_tick : 0,
                       live_modules,
                       loads_.size(),
                       SIZE_MAX,
                       {event.entries.begin(), event.entries.end()},
                       {}});
    losses_.any_table = true;
    losses_.overflowed_calls += event.overflowed_calls;
    if (event.overflowed_calls > 0)
        losses_.full_table_tids.push_back(event.tid);
    losses_.unpaired_exits += event.unpaired_exits;
    if (event.unpaired_exits > 0)
        losses_.context_switches += event.context_switches;
}

const LiveModule* CallTables::moduleOf(uint64_t address, const Table& table) const {
    if (const LiveModule* module = table.modules_at_record.find(address))
        return module;
    for (size_t i = std::min(loads_.size(), table.loads_end); i > table.later_loads; --i) {
        const LiveModule& module = loads_[i - 1];
        if (module.start <= address && address < module.end)
            return &module;
    }
    return nullptr;
}

// The function whose machine code holds the address: the outermost frame of its chain, the
// same function a sample anywhere inside that code is attributed to.
FunctionId CallTables::functionAt(uint64_t address, const Table& table) {
    const LiveModule* module = moduleOf(address, table);
    const FrameResolver::Chain chain =
        module ? resolver_.resolve(module->file, address - module->load_bias)
               : resolver_.resolveUnknown(address);
    return builder_.profile().frame(resolver_.frames(chain).back()).function;
}

std::optional<size_t> CallTables::tableAt(uint64_t offset, int32_t tid) const {
    for (size_t i = 0; i < tables_.size(); ++i) {
        if (tables_[i].offset == offset && tables_[i].tid == tid)
            return i;
    }
    return std::nullopt;
}

// Trace mode asks for the same few slots millions of times: each is resolved once.
std::optional<FunctionId> CallTables::slotFunction(size_t table, uint32_t slot) {
    Table& slots = tables_[table];
    if (slot >= slots.entries.size())
        return std::nullopt;
    const raw::CallCountEntry& entry = slots.entries[slot];
    if (!isUsed(entry) || entry.caller != raw::kFunctionTotal)
        return std::nullopt;
    slots.slot_functions.resize(slots.entries.size());
    FunctionId& function = slots.slot_functions[slot];
    if (!function.valid())
        function = functionAt(entry.callee, slots);
    return function;
}

void CallTables::Counts::add(const raw::CallCountEntry& entry, double ns_per_tick) {
    calls += entry.calls;
    primitive_calls += entry.primitive_calls;
    if (ns_per_tick == 0)
        return;
    addTime(tottime_ns, nanoseconds(entry.tottime_ticks, ns_per_tick));
    addTime(cumtime_ns, nanoseconds(entry.cumtime_ticks, ns_per_tick));
}

void CallTables::finish() {
    // Keyed by (thread, callee) and (thread, callee, caller): equal keys are summed, whether
    // duplicated in one table, spread over the tables of a reused tid, or two addresses of one
    // function.
    std::map<std::tuple<ThreadId, FunctionId>, Counts> totals;
    std::map<std::tuple<ThreadId, FunctionId, FunctionId>, Counts> edges;
    for (const Table& table : tables_) {
        for (const raw::CallCountEntry& entry : table.entries) {
            if (!isUsed(entry))
                continue;
            const FunctionId callee = functionAt(entry.callee, table);
            Counts& counts =
                entry.caller == raw::kFunctionTotal
                    ? totals[{table.thread, callee}]
                    : edges[{table.thread, callee,
                             entry.caller == 0 ? FunctionId() : functionAt(entry.caller, table)}];
            counts.add(entry, table.ns_per_tick);
        }
    }
    Profile& profile = builder_.profile();
    for (const auto& [key, counts] : totals) {
        const auto& [thread, function] = key;
        profile.call_counts.push_back({thread, function, counts.calls, counts.primitive_calls,
                                       counts.tottime_ns, counts.cumtime_ns});
    }
    for (const auto& [key, counts] : edges) {
        const auto& [thread, callee, caller] = key;
        profile.call_edges.push_back({thread, caller, callee, counts.calls, counts.primitive_calls,
                                      counts.tottime_ns, counts.cumtime_ns});
    }
    tables_.clear();
    first_open_table_ = 0;
}

} // namespace hprof
