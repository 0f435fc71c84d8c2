// Where the profile goes: a pre-flight writability check and the never-overwrite rule (an
// existing profile becomes "<output>.old", like perf.data.old).
#pragma once

#include <optional>
#include <string>

namespace hprof::cli {

// Throws hprof::Error when no profile could be written at `output`. Tested by creating and
// removing a temporary file in the output's directory, where writeProfile creates its own.
void checkOutputWritable(const std::string& output);

// "<output>.old"
std::string backupPath(const std::string& output);

// Renames an existing `output` to backupPath(output), replacing an older backup. Returns the
// backup's name, or nullopt when there was nothing to move. Throws hprof::Error.
std::optional<std::string> moveAsideExisting(const std::string& output);

} // namespace hprof::cli
