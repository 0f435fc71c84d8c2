#include "probe_location.h"

#include "hprof/error.h"

#include <cstdlib>
#include <filesystem>

namespace hprof::cli {
namespace {

std::string defaultProbePath() {
    std::error_code error;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        throw Error("cannot find the hprof executable: /proc/self/exe: " + error.message());
    return probePathForExecutable(executable);
}

// LD_PRELOAD separates libraries with ':' and blanks, so such a path cannot be preloaded.
void checkPreloadable(const std::string& probe) {
    if (probe.find_first_of(": \t") != std::string::npos)
        throw Error("probe library path " + probe +
                    " contains ':' or a blank, which LD_PRELOAD "
                    "cannot express");
}

} // namespace

std::string probePathForExecutable(const std::string& executable) {
    const std::filesystem::path bin = std::filesystem::path(executable).parent_path();
    return (bin / ".." / "lib" / "hprof" / "libhprof_probe.so").lexically_normal();
}

std::string locateProbe() {
    const char* override_path = std::getenv("HPROF_PROBE");
    const std::string probe =
        (override_path && *override_path)
            ? std::filesystem::absolute(override_path).lexically_normal().string()
            : defaultProbePath();
    if (!std::filesystem::is_regular_file(probe))
        throw Error("probe library not found: " + probe +
                    " (build the hprof_probe target, or set HPROF_PROBE)");
    checkPreloadable(probe);
    return probe;
}

} // namespace hprof::cli
