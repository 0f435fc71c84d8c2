// The readers behind readAnyProfile, one per format, each in its own file. Each takes the whole
// file's bytes and throws hprof::Error with a one-line message (readAnyProfile adds the path).
#pragma once

#include "hprof/profile.h"

#include <string_view>

namespace hprof {

// pstats_import.cpp: marshal.dump() of a pstats dict (cProfile, profile, pstats.dump_stats).
Profile importPstats(std::string_view bytes);
// perf_script_import.cpp: the text `perf script` prints, with or without call chains.
Profile importPerfScript(std::string_view text);
// gperftools_import.cpp: a CPUPROFILE file; its stacks are symbolized from the binaries its
// memory map names, as they are on this machine now.
Profile importGperftools(std::string_view bytes);

// A profile with the run fields every import sets and, when the source has no threads
// (missing.threads), the one process and thread (ids 0) that everything belongs to.
Profile importedProfile(const char* source, const SourceGaps& missing);

} // namespace hprof
