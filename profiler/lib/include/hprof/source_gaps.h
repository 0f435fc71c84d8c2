// Words for what an imported profile's source did not record (RunInfo::missing), shared by the
// text report and the viewer so that both say the same thing.
#pragma once

#include "hprof/profile.h"

#include <string>

namespace hprof {

// "samples, timestamps, threads", or "nothing".
std::string missingText(const SourceGaps& missing);

// "imported from pstats; not in the source: ...", or "" for a profile hprof recorded.
std::string sourceText(const RunInfo& run);

} // namespace hprof
