// What mergeRuns (merge_runs.h) and JobMerger (merge_job.h) share: folding one input profile
// into a result whose modules, functions, frames and stack nodes are interned once, and whose
// processes, threads and events are appended with remapped ids.
#pragma once

#include "hprof/profile.h"
#include "hprof/profile_builder.h"
#include <string>
#include <vector>

namespace hprof {

// Appends `input` to the builder's profile: its processes, threads, samples, call counts, edges
// and trace events with remapped ids and times shifted by time_offset_ns (saturating: a forged
// time near INT64_MAX must not wrap around); its modules, functions, frames and stack nodes are
// interned, so what several inputs share gets one id.
void appendProfile(const Profile& input, int64_t time_offset_ns, ProfileBuilder& builder);

// How long an input lasted on its own time axis: the latest time it holds.
int64_t runExtent(const Profile& input);

// Adds each warning not in `merged` yet.
void addWarnings(const std::vector<std::string>& warnings, std::vector<std::string>& merged);

// Trace events are sorted by thread, then start (profile.h). Each input's are, and its threads
// come after the previous input's, so this only restores the order of a file that did not keep it.
void sortTraceEvents(std::vector<TraceEvent>& events);

} // namespace hprof
