// Reading and writing *.hprof files (format: docs/profile-format.md).
#pragma once

#include "hprof/error.h"
#include "hprof/profile.h"

#include <atomic>
#include <functional>
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

// Progress and cancellation for a long read (the viewer loads off the GUI thread).
struct ReadControl {
    // Called now and then with the share done, 0..1, from the reading thread.
    std::function<void(double)> progress;
    // Polled while reading; when it becomes true, readProfile throws ReadCancelled.
    const std::atomic<bool>* cancel = nullptr;
};

struct ReadCancelled : Error {
    ReadCancelled() : Error("reading was cancelled") {}
};

Profile readProfile(const std::string& path, const ReadControl& control);

// Only the run, process and thread sections (the samples and call data stay empty): what a
// window shows before the rest is read. Same errors as readProfile.
Profile readProfileHeader(const std::string& path);

} // namespace hprof
