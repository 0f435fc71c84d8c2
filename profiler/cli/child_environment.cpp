#include "child_environment.h"

#include <optional>
#include <string_view>

namespace hprof::cli {
namespace {

// The value of `entry` when it is "<name>=value".
std::optional<std::string_view> valueOf(std::string_view entry, std::string_view name) {
    if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=')
        return entry.substr(name.size() + 1);
    return std::nullopt;
}

std::string preloadValue(const std::string& probe, std::string_view existing) {
    if (existing.empty())
        return probe;
    return probe + ":" + std::string(existing);
}

// The variables hprof sets for the probe: a value inherited from the user's environment (say,
// from an outer hprof) must not reach the probe when this run does not set it.
bool isProbeSetting(std::string_view entry) {
    for (std::string_view name : {"HPROF_RUN_DIR", "HPROF_FREQUENCY", "HPROF_INSTRUMENT",
                                  "HPROF_MIN_DURATION_NS", "HPROF_CLOCK"}) {
        if (valueOf(entry, name))
            return true;
    }
    return false;
}

} // namespace

std::vector<std::string> childEnvironment(char* const* environment, const ProbeSettings& probe) {
    std::vector<std::string> result;
    std::string_view existing_preload;
    for (char* const* entry = environment; entry && *entry; ++entry) {
        const std::string_view variable = *entry;
        if (auto preload = valueOf(variable, "LD_PRELOAD"))
            existing_preload = *preload;
        else if (!isProbeSetting(variable))
            result.emplace_back(variable);
    }
    result.push_back("LD_PRELOAD=" + preloadValue(probe.probe_path, existing_preload));
    result.push_back("HPROF_RUN_DIR=" + probe.run_dir);
    result.push_back("HPROF_FREQUENCY=" + std::to_string(probe.frequency_hz));
    if (!probe.instrument.empty())
        result.push_back("HPROF_INSTRUMENT=" + probe.instrument);
    if (probe.min_duration_ns)
        result.push_back("HPROF_MIN_DURATION_NS=" + std::to_string(*probe.min_duration_ns));
    if (probe.wall_clock)
        result.push_back("HPROF_CLOCK=wall");
    return result;
}

} // namespace hprof::cli
