// Pre-flight checks on the program to profile, so that hprof fails with one clear line before
// it starts anything instead of recording a failed exec.
#pragma once

#include <string>

namespace hprof::cli {

// The file execvp(3) would run for `name`: `name` itself when it contains a '/', otherwise the
// first executable regular file in the directories of `path_variable` (the value of $PATH;
// nullptr when unset, which searches "/bin:/usr/bin" like glibc; an empty entry is the current
// directory). Throws hprof::Error when no directory holds such a file.
std::string findProgram(const std::string& name, const char* path_variable);

// Throws hprof::Error when `path` is missing, not a regular file, not executable, or setuid /
// setgid (the dynamic loader ignores LD_PRELOAD for those, so nothing would be recorded).
void checkProgram(const std::string& path);

} // namespace hprof::cli
