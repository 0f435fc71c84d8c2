// Aggregations over a Profile, shared by `hprof report`, exporters, `hprof check` and the viewer.
#pragma once

#include "hprof/profile.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace hprof {

// Which samples count. Empty optionals mean "all".
struct SampleFilter {
    std::optional<int32_t> pid;
    std::optional<int32_t> tid;
    std::optional<int64_t> from_ns; // inclusive, relative to run start
    std::optional<int64_t> to_ns;   // exclusive
    bool accepts(const Profile& profile, const Sample& sample) const;
};

struct FunctionStats {
    FunctionId function;
    uint64_t self_samples = 0;
    uint64_t total_samples = 0; // samples with the function anywhere on the stack, once each
    int64_t self_ns = 0;        // tottime: sum of weights of samples where it is the leaf
    int64_t total_ns = 0;       // cumtime: sum of weights of samples containing it (once)
    std::optional<uint64_t> ncalls;          // unknown from sampling alone
    std::optional<uint64_t> primitive_calls; // unknown from sampling alone
};

struct Totals {
    uint64_t samples = 0;
    int64_t weight_ns = 0;
};

struct ThreadStats {
    ThreadId thread;
    uint64_t samples = 0;
    int64_t cpu_ns = 0; // sum of sample weights
};

struct ProcessStats {
    ProcessId process;
    uint64_t samples = 0;
    int64_t cpu_ns = 0;
};

Totals computeTotals(const Profile& profile, const SampleFilter& filter = {});
// One entry per function that appears in at least one accepted sample, unsorted.
std::vector<FunctionStats> computeFunctionStats(const Profile& profile,
                                                const SampleFilter& filter = {});
std::vector<ThreadStats> computeThreadStats(const Profile& profile, const SampleFilter& filter = {});
std::vector<ProcessStats> computeProcessStats(const Profile& profile,
                                              const SampleFilter& filter = {});

} // namespace hprof
