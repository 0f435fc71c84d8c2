// `hprof merge FILES... -o OUT` (issue 14): one profile of an MPI job or task farm from the
// profiles of its ranks or tasks (hprof/merge_job.h, docs/cluster.md).
#pragma once

#include "command_line.h"

namespace hprof::cli {

// Reads the FILES one at a time (any format readAnyProfile knows) and folds each into the
// result, writes OUT, and prints how the inputs were aligned on stderr. Returns 0; throws
// hprof::Error (a FILE unreadable, unknown or corrupt; OUT not writable) before writing.
int runMerge(const MergeCommandOptions& options);

} // namespace hprof::cli
