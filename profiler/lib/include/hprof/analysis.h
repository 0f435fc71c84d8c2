// Aggregations over a Profile, shared by `hprof report`, exporters, `hprof check` and the viewer.
#pragma once

#include "hprof/call_tree.h"
#include "hprof/filter.h"
#include "hprof/profile.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

struct FunctionStats {
    FunctionId function;
    uint64_t self_samples = 0;
    uint64_t total_samples = 0; // samples with the function anywhere on the stack, once each
    int64_t self_ns = 0;        // tottime: sum of weights of samples where it is the leaf
    int64_t total_ns = 0;       // cumtime: sum of weights of samples containing it (once)
    // (A profile without samples, RunInfo::missing.samples, has the exact times here instead.)
    // Wall-clock mode: the parts of self_ns and total_ns that off-CPU samples (time blocked)
    // contributed; 0 in CPU mode.
    int64_t off_cpu_self_ns = 0;
    int64_t off_cpu_total_ns = 0;
    // Sums of Profile::call_counts over the accepted threads; nullopt for a function that has no
    // counts at all (not instrumented, or a sampling-only profile).
    std::optional<uint64_t> ncalls;
    std::optional<uint64_t> primitive_calls;
    // Exact times (trace mode): sums of CallCount::tottime_ns / cumtime_ns over the accepted
    // threads; nullopt unless at least one counted thread of the function had times.
    std::optional<int64_t> instrumented_tottime_ns;
    std::optional<int64_t> instrumented_cumtime_ns;
};

// One caller -> callee pair, seen from one side: in callers(F) `function` is the caller, in
// callees(F) it is the callee. Counts sum Profile::call_edges over the accepted threads (nullopt
// when the profile has no edge for the pair); times come from the accepted samples, where the
// caller is simply the function of the next outer frame, inlined or not:
//   self_ns  (tottime): samples whose leaf frame is the callee, with the caller right outside it
//   total_ns (cumtime): samples where the caller is right outside an occurrence of the callee,
//                       each sample counted once per pair
// The instrumented times sum CallEdge::tottime_ns / cumtime_ns over the accepted threads
// (nullopt unless at least one accepted edge of the pair had times).
struct EdgeStats {
    FunctionId function; // invalid: a caller that is not instrumented ("none" in CallEdge)
    std::optional<uint64_t> ncalls;
    std::optional<uint64_t> primitive_calls;
    std::optional<int64_t> instrumented_tottime_ns;
    std::optional<int64_t> instrumented_cumtime_ns;
    int64_t self_ns = 0;
    int64_t total_ns = 0;
};

// Exact call totals over all functions of the accepted threads (pstats' "N function calls
// (P primitive calls)"); nullopt unless the run was instrumented.
struct CallTotals {
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
};

// Sums over the accepted samples (without samples, RunInfo::missing.samples: weight_ns and
// cpu_ns are the sum of the exact self times of the accepted threads). weight_ns = cpu_ns +
// off_cpu_ns + run_queue_ns is what shares divide by.
struct Totals {
    uint64_t samples = 0;
    int64_t weight_ns = 0;
    int64_t cpu_ns = 0;       // weights of the on-CPU samples
    int64_t off_cpu_ns = 0;   // weights of the off-CPU samples (wall-clock mode)
    int64_t run_queue_ns = 0; // time runnable, waiting for a CPU (wall-clock mode)
};

struct ThreadStats {
    ThreadId thread;
    uint64_t samples = 0;     // accepted samples, on- and off-CPU
    int64_t cpu_ns = 0;       // weights of its on-CPU samples
    int64_t off_cpu_ns = 0;   // weights of its off-CPU samples
    int64_t run_queue_ns = 0; // weights of its run-queue samples
};

struct ProcessStats {
    ProcessId process;
    uint64_t samples = 0;
    int64_t cpu_ns = 0;
    int64_t off_cpu_ns = 0;
    int64_t run_queue_ns = 0;
    size_t threads = 0; // its threads that computeThreadStats lists
};

// Each takes the samples a SampleSelector accepts; the SampleFilter overloads compile the filter
// first (callers that aggregate several times per filter keep one selector).
Totals computeTotals(const SampleSelector& selector);
Totals computeTotals(const Profile& profile, const SampleFilter& filter = {});
// One entry per function that appears in at least one accepted sample or was called on an
// accepted thread, unsorted. `costs` must come from the same selector (computeStackCosts): the
// stats sum them per distinct stack.
std::vector<FunctionStats> computeFunctionStats(const SampleSelector& selector,
                                                const StackCosts& costs);
std::vector<FunctionStats> computeFunctionStats(const SampleSelector& selector);
std::vector<FunctionStats> computeFunctionStats(const Profile& profile,
                                                const SampleFilter& filter = {});
std::optional<CallTotals> computeCallTotals(const SampleSelector& selector);
std::optional<CallTotals> computeCallTotals(const Profile& profile,
                                            const SampleFilter& filter = {});
// The callers of `callee` and the callees of `caller`, ordered by name (the invalid "none"
// caller last), each pair from the call edges and from the samples merged into one entry.
std::vector<EdgeStats> computeCallers(const SampleSelector& selector, const StackCosts& costs,
                                      FunctionId callee);
std::vector<EdgeStats> computeCallers(const SampleSelector& selector, FunctionId callee);
std::vector<EdgeStats> computeCallers(const Profile& profile, FunctionId callee,
                                      const SampleFilter& filter = {});
std::vector<EdgeStats> computeCallees(const SampleSelector& selector, const StackCosts& costs,
                                      FunctionId caller);
std::vector<EdgeStats> computeCallees(const SampleSelector& selector, FunctionId caller);
std::vector<EdgeStats> computeCallees(const Profile& profile, FunctionId caller,
                                      const SampleFilter& filter = {});
// Every caller -> callee pair at once, as computeCallers would give it for each callee (the
// exporters need the whole call graph): ordered by (caller, callee) id, the "none" caller last.
struct CallPairStats {
    FunctionId caller; // invalid: a caller that is not instrumented
    FunctionId callee;
    EdgeStats stats; // stats.function is the caller
};
std::vector<CallPairStats> computeCallPairs(const SampleSelector& selector,
                                            const StackCosts& costs);
// In profile order, the threads that the process and thread selections accept and that had an
// accepted sample or lived during the time range (Thread start_ns..end_ns).
std::vector<ThreadStats> computeThreadStats(const SampleSelector& selector);
std::vector<ThreadStats> computeThreadStats(const Profile& profile,
                                            const SampleFilter& filter = {});
// The processes that the process and thread selections accept and that have a listed thread
// or, for a process without threads (one hprof could not enter), lived during the time range; in
// the order they started, a parent before the children that started at the same time.
std::vector<ProcessStats> computeProcessStats(const SampleSelector& selector);
std::vector<ProcessStats> computeProcessStats(const Profile& profile,
                                              const SampleFilter& filter = {});

} // namespace hprof
