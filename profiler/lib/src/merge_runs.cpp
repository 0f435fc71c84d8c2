#include "hprof/merge_runs.h"

#include "hprof/profile_builder.h"
#include "profile_merge.h"
#include "saturating.h"

namespace hprof {
namespace {

// The merged RunInfo after `run` was appended (`first`: it is the first run).
void mergeRunInfo(const RunInfo& run, bool first, RunInfo& merged) {
    if (first) { // its command, host and settings; the sums start from 0
        merged = run;
        merged.warnings.clear();
        merged.exit_status = 0;
        merged.wall_ns = merged.cpu_ns = 0;
        merged.dropped_samples = 0;
        merged.runs = 0;
    }
    addSaturating(merged.cpu_ns, run.cpu_ns);
    merged.dropped_samples += run.dropped_samples;
    merged.runs += run.runs;
    if (run.exit_status != 0)
        merged.exit_status = run.exit_status;
    if (merged.instrumentation.empty())
        merged.instrumentation = run.instrumentation;
    addWarnings(run.warnings, merged.warnings);
}

} // namespace

Profile mergeRuns(std::vector<Profile> runs) {
    ProfileBuilder builder;
    Profile& merged = builder.profile();
    merged.run.runs = 0;
    int64_t time_offset_ns = 0;
    for (size_t index = 0; index < runs.size(); ++index) {
        const Profile& run = runs[index];
        appendProfile(run, time_offset_ns, builder);
        mergeRunInfo(run.run, index == 0, merged.run);
        addSaturating(time_offset_ns, runExtent(run));
        merged.run.wall_ns = time_offset_ns;
        runs[index] = Profile{}; // frees each run as soon as it is merged
    }
    sortTraceEvents(merged.trace_events);
    return builder.take();
}

} // namespace hprof
