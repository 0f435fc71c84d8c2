// Reading and writing *.hprof files (format: docs/profile-format.md).
#pragma once

#include "hprof/profile.h"

#include <string>

namespace hprof {

// Writes atomically: to "<path>.tmp.<pid>" first, then rename(2). Throws hprof::Error.
void writeProfile(const Profile& profile, const std::string& path);

// Throws hprof::Error with a one-line message for a missing, foreign, corrupt (checksum),
// truncated or newer-schema file, and for ids that point outside their tables.
Profile readProfile(const std::string& path);

} // namespace hprof
