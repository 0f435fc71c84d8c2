// The lock that tells the collector a stream is still being written: the probe holds an
// exclusive flock on its stream file for as long as the process lives. The kernel drops it when
// the last reference to the open file goes (exit, SIGKILL, exec), so nothing needs to run at the
// end; the MAP_SHARED mapping holds a reference too, so a program that closes every descriptor
// (a daemon) keeps the lock. See docs/design.md, "Processes that outlive the program".
#pragma once

namespace hprof::probe {

// Takes the lock on the freshly created stream file. Async-signal-safe. A file system without
// flock leaves the stream unlocked: the collector then takes it for a finished one.
void lockStreamFile(int fd);

} // namespace hprof::probe
