// Finding libhprof_probe.so, the library preloaded into the profiled program.
#pragma once

#include <string>

namespace hprof::cli {

// The probe's place relative to the hprof executable: <bin>/../lib/hprof/libhprof_probe.so.
// The build tree and an installed prefix share this layout.
std::string probePathForExecutable(const std::string& executable);

// $HPROF_PROBE when set and non-empty (made absolute), otherwise the probe next to
// /proc/self/exe. Throws hprof::Error when the file is missing or LD_PRELOAD cannot name it.
std::string locateProbe();

} // namespace hprof::cli
