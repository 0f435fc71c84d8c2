// Query helpers shared by the report formatters and the viewer: table order, name matching and
// the nesting of traced calls.
#pragma once

#include "hprof/analysis.h"
#include "hprof/filter.h"
#include "hprof/profile.h"

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace hprof {

enum class SortKey { TotTime, CumTime, NCalls, Name };

// Sorts by the key (descending for numbers); unknown call counts last; ties by tottime (for
// ncalls), then name, then id, so the order never depends on the input order.
void sortFunctionStats(const Profile& profile, std::vector<FunctionStats>& stats, SortKey key);

// Matches function labels or names: by substring, or by ECMAScript regular expression
// (searched, not matched whole). An invalid expression throws hprof::Error.
class NameMatcher {
  public:
    enum class Kind { Substring, Regex };
    NameMatcher(std::string pattern, Kind kind, bool case_sensitive = true);
    bool matches(const std::string& text) const;
    const std::string& pattern() const { return pattern_; }

  private:
    std::string pattern_;
    Kind kind_;
    bool case_sensitive_;
    std::optional<std::regex> regex_;
};

// One kept call of the trace and how deeply the thread's other kept calls enclose it.
struct TraceCall {
    const TraceEvent* event = nullptr;
    size_t depth = 0; // 0: no kept call of the thread encloses it
};

// The calls of one thread in time order, cut to `limit`.
struct ThreadTrace {
    ThreadId thread;
    std::vector<TraceCall> calls;
    size_t omitted = 0; // calls in the time range cut by the limit
};

// The trace of every thread the filter accepts that has calls in its time range. Throws
// hprof::Error for a profile without trace events.
std::vector<ThreadTrace> computeTrace(const Profile& profile, const SampleFilter& filter,
                                      std::optional<size_t> limit = std::nullopt);

} // namespace hprof
