#include "hprof/source_gaps.h"

#include <utility>

namespace hprof {

std::string missingText(const SourceGaps& missing) {
    const std::pair<bool, const char*> gaps[] = {
        {missing.samples, "samples"},
        {missing.timestamps, "timestamps"},
        {missing.threads, "threads"},
        {missing.call_counts, "call counts"},
        {missing.sample_weights, "sample times"},
        {missing.run_times, "the run's wall time, CPU time and exit status"}};
    std::string text;
    for (const auto& [gap, name] : gaps) {
        if (gap)
            text += (text.empty() ? "" : ", ") + std::string(name);
    }
    return text.empty() ? "nothing" : text;
}

std::string sourceText(const RunInfo& run) {
    if (run.source.empty())
        return "";
    return "imported from " + run.source + "; not in the source: " + missingText(run.missing);
}

} // namespace hprof
