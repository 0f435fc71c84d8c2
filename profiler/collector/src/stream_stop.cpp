#include "stream_stop.h"

#include <cstdio>

namespace hprof {
namespace {

// "64 MB", or "12 KB" below a megabyte (a small `ulimit -f`).
std::string megabytes(uint64_t bytes) {
    if (bytes < (1u << 20))
        return std::to_string((bytes + 512) >> 10) + " KB";
    return std::to_string((bytes + (1u << 19)) >> 20) + " MB";
}

std::string whatStopped(const RawStreamStop& stop, const std::string& run_dir) {
    switch (stop.reason) {
    case raw::StopReason::DiskFull:
        return run_dir + " is full (" + megabytes(stop.limit_bytes) +
               "; set HPROF_TMPDIR to a directory with more room)";
    case raw::StopReason::FileLimit:
        return "its raw stream reached the file size limit (ulimit -f, " +
               megabytes(stop.limit_bytes) + ")";
    case raw::StopReason::None:
    case raw::StopReason::OtherError:
        break;
    }
    return "its raw stream could not grow past " + megabytes(stop.file_bytes);
}

} // namespace

std::optional<std::string> streamStopWarning(const RawStreamInfo& info,
                                             const std::string& run_dir) {
    const RawStreamStop& stop = info.stop;
    if (stop.reason == raw::StopReason::None)
        return std::nullopt;
    char after[48];
    const double seconds =
        stop.time_ns > info.start_monotonic_ns ? (stop.time_ns - info.start_monotonic_ns) / 1e9 : 0;
    std::snprintf(after, sizeof after, "%.2f", seconds);
    return "stopped recording process " + std::to_string(info.pid) + " after " + after +
           " s: " + whatStopped(stop, run_dir) + "; " + std::to_string(info.dropped_samples) +
           " samples dropped, " + std::to_string(stop.dropped_records) + " records refused";
}

} // namespace hprof
