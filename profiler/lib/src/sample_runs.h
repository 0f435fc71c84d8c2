// The sample tables of `hprof merge` (merge_job.h): hundreds of MB for a large job, so how
// they are ordered and how their memory is faulted in decides the merge's time
// (docs/performance.md).
#pragma once

#include "hprof/profile.h"

#include <vector>

namespace hprof {

// Backs `table`'s reserved room with transparent huge pages where the kernel offers them on
// request (THP "madvise" mode): the sample tables of a large job are hundreds of MB, and
// faulting them in 4 kB at a time was a third of `hprof merge`'s time (docs/performance.md).
// Advice only: where it is refused, nothing changes.
void adviseHugePages(std::vector<Sample>& table);

// The samples in time order, ties in input order (what ProfileBuilder::take's stable sort would
// give), from `run_begins`: where each input's samples begin. Each input keeps its samples in
// time order (profile.h) and alignment shifts them alike, so one pass merging the runs does
// it, where sorting the 25.6 M samples of 256 ranks took ~22 passes over them and a buffer of
// half their size. Returns false, touching nothing, when a run is out of order (an imported
// input): the builder then sorts.
bool mergeSortedRuns(std::vector<Sample>& samples, const std::vector<size_t>& run_begins);

} // namespace hprof
