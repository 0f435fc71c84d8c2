#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <sstream>

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

double sampledSecondsOf(const hprof::Profile& profile, std::string_view plain) {
    const std::optional<hprof::FunctionStats> stats = statsOf(profile, plain);
    return stats ? double(stats->total_ns) * 1e-9 : 0;
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

std::map<std::string, double> parseSplit(const std::string& output, const std::string& prefix) {
    std::map<std::string, double> shares;
    const size_t start = output.find(prefix);
    if (start == std::string::npos)
        return shares;
    const size_t end = std::min(output.find('\n', start), output.size());
    std::istringstream words(output.substr(start + prefix.size(), end - start - prefix.size()));
    std::string word;
    while (words >> word) {
        const size_t equals = word.find('=');
        if (equals != std::string::npos)
            shares[word.substr(0, equals)] = std::stod(word.substr(equals + 1));
    }
    return shares;
}

std::vector<std::string> warningsButCpuAccounting(const hprof::Profile& profile) {
    std::vector<std::string> warnings;
    for (const std::string& warning : profile.run.warnings)
        if (!warning.starts_with("sampled CPU time differs from the kernel's accounting"))
            warnings.push_back(warning);
    return warnings;
}

std::vector<std::string> linesContaining(const std::string& output, std::string_view text) {
    std::vector<std::string> lines = linesOf(output);
    std::erase_if(lines,
                  [text](const std::string& line) { return line.find(text) == std::string::npos; });
    return lines;
}

hprof::ProcessId rootOf(const hprof::Profile& profile) {
    std::optional<uint32_t> root;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        const hprof::Process& process = profile.processes[i];
        if (!process.parent.valid() &&
            (!root || process.start_ns < profile.processes[*root].start_ns))
            root = i;
    }
    EXPECT_TRUE(root) << "no process without a parent";
    return hprof::ProcessId(root.value_or(0));
}

std::optional<hprof::ProcessId>
processRunning(const hprof::Profile& profile, const std::string& command, hprof::ProcessId except) {
    std::optional<hprof::ProcessId> found;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].command != command || except == hprof::ProcessId(i))
            continue;
        EXPECT_FALSE(found) << "two processes run " << command;
        found = hprof::ProcessId(i);
    }
    return found;
}

bool stackContains(const hprof::Profile& profile, hprof::StackId stack, const std::string& plain) {
    for (; stack.valid(); stack = profile.stack(stack).parent) {
        const hprof::Frame& frame = profile.frame(profile.stack(stack).frame);
        if (plainName(profile.function(frame.function).name) == plain)
            return true;
    }
    return false;
}

std::optional<int> linksUpTo(const hprof::Profile& profile, hprof::ProcessId process,
                             hprof::ProcessId ancestor) {
    for (int links = 0; links <= static_cast<int>(profile.processes.size()); ++links) {
        if (process == ancestor)
            return links;
        const hprof::Process& current = profile.process(process);
        if (!current.parent.valid())
            return std::nullopt;
        EXPECT_LE(profile.process(current.parent).start_ns, current.start_ns);
        process = current.parent;
    }
    return std::nullopt;
}

} // namespace hprof::test
