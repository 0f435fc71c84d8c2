// The pid of a process's parent, right even when the parent has already ended: a fork child
// that asks getppid() after its parent exited gets its reaper's pid (hprof, or 1) instead, and
// the collector could not link it to its parent.
#pragma once

#include <sys/types.h>

namespace hprof::probe {

// Called by the fork prepare handler in the process about to fork.
void noteForkingProcess();

// In a fork child: the pid of the process that forked it. Otherwise getppid(). Async-signal-safe.
pid_t parentPid();

} // namespace hprof::probe
