// What the probe can tell about a program before a child starts it: which file runs (the PATH
// search of execvp) and whether that file will load the probe. Async-signal-safe (system calls
// and stack buffers only): used by the exec wrappers, also in vfork children.
#pragma once

#include "hprof/raw_stream.h"

#include <cstddef>

namespace hprof::probe {

// Why the program in `path` will not load the probe: a set-user/group-ID file that changes
// identity (the loader then ignores LD_PRELOAD), or an ELF file without PT_INTERP (no loader).
// NotFollowed::No when neither holds or the file cannot be read.
raw::NotFollowed classifyProgram(const char* path);
// The same for an open file (fexecve).
raw::NotFollowed classifyProgramFd(int fd);

// The file execvp(file) runs: `file` itself if it contains a '/', otherwise the first
// executable file in the PATH directories, written to `out`. Returns `file` if none is found.
const char* findOnPath(const char* file, char* out, size_t size);

} // namespace hprof::probe
