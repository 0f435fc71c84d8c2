// Whether a process is still writing its raw stream: the probe holds an exclusive flock on the
// file for as long as the process lives (libprobe/src/stream_lock.h).
#pragma once

#include <string>

namespace hprof {

// True while some process holds the stream's lock. Ask before reading the stream: a stream
// found unlocked then was complete when it was read.
bool streamStillWritten(const std::string& path);

} // namespace hprof
