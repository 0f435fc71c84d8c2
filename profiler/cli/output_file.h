// Where the profile goes. A regular file (or a new one) is never overwritten in place: the new
// profile is written and synced beside it first, then an existing profile becomes
// "<output>.old" (like perf.data.old) and the new one takes its name. A character device or a
// FIFO (/dev/null, /dev/stdout, a pipe to another program) gets the profile written straight
// into it and is never renamed. Anything else is refused.
#pragma once

#include "hprof/profile.h"

#include <functional>
#include <optional>
#include <string>

namespace hprof::cli {

// Throws hprof::Error when no profile could be written at `output`: a directory, a socket or a
// block device; a character device or FIFO not writable by us; a file in a directory where a
// temporary file cannot be created (tested by creating and removing one, as saveProfile will).
void checkOutputWritable(const std::string& output);

// "<output>.old"
std::string backupPath(const std::string& output);

// Renames an existing `output` to backupPath(output), replacing an older backup. Returns the
// backup's name, or nullopt when there was nothing to move. Throws hprof::Error.
std::optional<std::string> moveAsideExisting(const std::string& output);

// Writes `profile` at `output` as the header comment says. Returns the backup's name when an
// existing profile was moved aside. Throws hprof::Error; when writing the new profile failed,
// `output` and its backup are as they were, and the message says so.
std::optional<std::string> saveProfile(const Profile& profile, const std::string& output);

// Writes whatever `write` puts into the file descriptor it gets (throwing hprof::Error when it
// fails) the same way: beside the output first, then renamed over it; straight into a character
// device or FIFO. Backup::Keep moves an existing output to "<output>.old" as saveProfile does;
// Backup::None replaces it (`hprof export`: an export is made again from its profile).
using FileWriter = std::function<void(int fd)>;
enum class Backup { Keep, None };
std::optional<std::string> saveFile(const FileWriter& write, const std::string& output,
                                    Backup backup);

} // namespace hprof::cli
