#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <algorithm>
#include <cctype>

namespace hprof::test {
namespace {

const char* const kProfileName = "profile.hprof";

} // namespace

std::string samplePath(const std::string& name) {
    return std::string(SAMPLES_DIR) + "/" + name;
}

std::vector<std::string> hprofCommand(const std::vector<std::string>& args) {
    std::vector<std::string> command{HPROF_BIN};
    command.insert(command.end(), args.begin(), args.end());
    return command;
}

CommandResult runHprof(const std::vector<std::string>& args, const TempDir& dir) {
    return runCommand(hprofCommand(args), {dir.path()});
}

CommandResult recordSample(const TempDir& dir, const std::vector<std::string>& options,
                           const std::string& sample, const std::vector<std::string>& sample_args) {
    std::vector<std::string> args{"-q", "-o", kProfileName};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(samplePath(sample));
    args.insert(args.end(), sample_args.begin(), sample_args.end());
    return runHprof(args, dir);
}

hprof::Profile recordedProfile(const TempDir& dir) {
    return hprof::readProfile(dir.file(kProfileName));
}

std::string plainName(std::string_view function_name) {
    std::string_view name = function_name.substr(0, function_name.find('('));
    const size_t scope = name.rfind("::");
    if (scope != std::string_view::npos)
        name.remove_prefix(scope + 2);
    return std::string(name);
}

std::optional<hprof::FunctionStats> statsOf(const hprof::Profile& profile, std::string_view plain,
                                            const hprof::SampleFilter& filter) {
    std::optional<hprof::FunctionStats> found;
    for (const hprof::FunctionStats& stats : hprof::computeFunctionStats(profile, filter)) {
        if (plainName(profile.function(stats.function).name) != plain)
            continue;
        if (found)
            return std::nullopt;
        found = stats;
    }
    return found;
}

int64_t sampledCpuNs(const hprof::Profile& profile) {
    return hprof::computeTotals(profile).weight_ns;
}

int64_t valueAfter(const std::string& output, const std::string& key) {
    // A whole key: "sleep_ns" must not match inside "child_sleep_ns".
    for (size_t at = output.find(key + "="); at != std::string::npos;
         at = output.find(key + "=", at + 1)) {
        if (at == 0 || std::isspace(static_cast<unsigned char>(output[at - 1])))
            return std::stoll(output.substr(at + key.size() + 1));
    }
    return -1;
}

std::vector<std::string> linesContaining(const std::string& output, std::string_view text) {
    std::vector<std::string> lines = linesOf(output);
    std::erase_if(lines,
                  [text](const std::string& line) { return line.find(text) == std::string::npos; });
    return lines;
}

} // namespace hprof::test
