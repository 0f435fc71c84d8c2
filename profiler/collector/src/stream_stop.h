// The warning for a raw stream that the probe stopped before its process ended: its file
// could not grow (a full file system, the file size limit).
#pragma once

#include "raw_stream_reader.h"

#include <optional>
#include <string>

namespace hprof {

// "stopped recording process 42 after 1.20 s: /dev/shm/hprof-run-x is full (64 MB); 812
// samples dropped, 815 records refused", or nullopt when the stream ran to its process's end.
std::optional<std::string> streamStopWarning(const RawStreamInfo& info, const std::string& run_dir);

} // namespace hprof
