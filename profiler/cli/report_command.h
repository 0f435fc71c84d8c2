// `hprof report`: prints the function table of a profile file on stdout.
#pragma once

#include "command_line.h"

namespace hprof::cli {

// The filter options resolved against the profile read from `file`; the error names the file.
// `hprof export` filters the same way.
SampleFilter resolveFilterOf(const Profile& profile, const std::string& file,
                             const FilterRequest& request);

// Returns 0; throws hprof::Error for an unreadable profile.
int runReport(const ReportCommandOptions& options);

} // namespace hprof::cli
