// Reading and writing *.hprof files (format: docs/profile-format.md).
#pragma once

#include "hprof/profile.h"

#include <string>

namespace hprof {

// Writes atomically: to "<path>.tmp.<pid>" first, fsync, then rename(2). Throws hprof::Error.
void writeProfile(const Profile& profile, const std::string& path);

// Writes the whole profile to `fd` (a new file, a FIFO, a character device), neither syncing
// nor closing it. Throws hprof::Error with the system's reason.
void writeProfile(const Profile& profile, int fd);

// Throws hprof::Error with a one-line message for a missing, foreign, corrupt (checksum),
// truncated or newer-schema file, for ids that point outside their tables, and for anything
// but a regular file (a FIFO is refused without waiting for a writer).
Profile readProfile(const std::string& path);

} // namespace hprof
