// One profile from several runs of the same program (`hprof record --repeat N`), so that the
// statistics of one function gather the samples of every run.
#pragma once

#include "hprof/profile.h"

#include <vector>

namespace hprof {

// Merges `runs` in order into one profile. Each run keeps its own processes, threads, call counts
// and trace events (remapped ids, nothing summed across runs); modules, functions, frames and
// stack nodes are interned once, so a function of every run has one id. Run k's times are shifted
// to start where run k-1 ended, so the samples stay sorted by time. RunInfo: the first run's
// command, host and settings; summed wall and CPU time, dropped samples and run counts; the
// warnings of all runs once each; the exit status of the last run that failed (non-zero), or 0.
// An empty `runs` gives an empty profile with RunInfo::runs 0.
Profile mergeRuns(std::vector<Profile> runs);

} // namespace hprof
