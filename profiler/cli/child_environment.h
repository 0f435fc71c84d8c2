// The environment of the profiled program: the user's own, plus what the probe needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof::cli {

struct ProbeSettings {
    std::string probe_path; // absolute path of libhprof_probe.so
    std::string run_dir;
    uint32_t frequency_hz = 0;
    std::string instrument; // HPROF_INSTRUMENT ("counts", "trace" or "off"); unset when empty
    std::optional<int64_t> min_duration_ns; // HPROF_MIN_DURATION_NS (trace mode); unset if empty
    bool wall_clock = false;                // HPROF_CLOCK=wall; unset (CPU mode) when false
};

// `environment` is a NULL-terminated "NAME=value" array like environ. The result sets
// LD_PRELOAD=<probe>[:<existing LD_PRELOAD>], HPROF_RUN_DIR, HPROF_FREQUENCY and, if asked,
// HPROF_INSTRUMENT, HPROF_MIN_DURATION_NS and HPROF_CLOCK, drops stale values of these HPROF_
// variables, and keeps every other variable as it was.
std::vector<std::string> childEnvironment(char* const* environment, const ProbeSettings& probe);

} // namespace hprof::cli
