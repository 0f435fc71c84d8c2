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

// The profile's warnings but the comparison of sampled CPU time with the kernel's: a sampling
// matter, tested in tests/integration, that a virtual machine's CPU clock can trigger in any
// run (measured: a thread's CPU clock advanced by 100 ms in one step at load 8, after the
// thread's last sample in 1 of 200 runs of s_fork). Call counting has no part in it.
std::vector<std::string> warningsButCpuAccounting(const hprof::Profile& profile);

// The caller -> callee edge summed over the threads of all processes.
CallTotals edgeTotals(const hprof::Profile& profile, const std::string& caller,
                      const std::string& callee);
