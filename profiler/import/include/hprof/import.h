// Reading other tools' profiles (docs/import.md): Python cProfile/pstats files, `perf script`
// text and gperftools CPU profiles become a normal Profile, with RunInfo::source naming the
// format and RunInfo::missing what it did not record.
#pragma once

#include "hprof/profile.h"
#include "hprof/profile_io.h"

#include <string>

namespace hprof {

// The formats readAnyProfile recognises, by content (never by the file name).
enum class ProfileFormat { Hprof, Pstats, PerfScript, Gperftools, Unknown };

// Looks at the first bytes of `path`. Throws hprof::Error when it cannot be read.
ProfileFormat detectProfileFormat(const std::string& path);

// Reads an *.hprof file (readProfile) or imports any of the other formats. Every error is an
// hprof::Error with a one-line message that starts with the path.
Profile readAnyProfile(const std::string& path, const ReadControl& control = {});

} // namespace hprof
