// hprof's call counts in a profile, summed over threads, by function name as the sample
// programs print them.
#pragma once

#include "hprof/profile.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct CallTotals {
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
    bool operator==(const CallTotals&) const = default;
};

// Of all processes if `pid` is empty, else of the process with that pid only.
std::map<std::string, CallTotals> callTotalsByName(const hprof::Profile& profile,
                                                   std::optional<int> pid = std::nullopt);

// The caller -> callee edge summed over the threads of all processes.
CallTotals edgeTotals(const hprof::Profile& profile, const std::string& caller,
                      const std::string& callee);
