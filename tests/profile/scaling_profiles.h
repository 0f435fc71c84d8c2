// Synthetic profiles of one program at several sizes, for the tests of analyseScaling: each run
// a set of call paths with a number of 1 ms samples each.
#pragma once

#include "hprof/scaling.h"
#include "test_support.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hprof::scaling_profiles {

// A call path (root first) of functions, each (name, file), and how many 1 ms samples end in it.
struct Path {
    std::vector<std::pair<std::string, std::string>> frames;
    size_t samples = 0;
};

inline Profile runOf(const std::vector<Path>& paths, const std::string& program = "/build/prog") {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {program, "{}"};
    profile.run.frequency_hz = 1000;
    profile.processes.push_back(test::makeProcess(10, 1, program, 0, 1, 0));
    profile.threads.push_back({ProcessId(0), 10, "main", 0, 0, 0});
    const ModuleId module = builder.internModule({program, ""});
    int64_t time = 0;
    for (const Path& path : paths) {
        StackId node;
        for (const auto& [name, file] : path.frames) {
            const FunctionId function = builder.internFunction({name, file, 1, module});
            node = builder.internStack(node, builder.internFrame({function, 2, false}));
        }
        for (size_t i = 0; i < path.samples; ++i)
            profile.samples.push_back({time += test::kMs, ThreadId(0), node, test::kMs});
    }
    return builder.take();
}

struct Runs {
    std::vector<Profile> profiles;
    std::vector<double> sizes;
    std::vector<SizedProfile> sized() const {
        std::vector<SizedProfile> runs;
        for (size_t i = 0; i < profiles.size(); ++i)
            runs.push_back({sizes[i], &profiles[i]});
        return runs;
    }
};

template <typename MakePaths> Runs runsAt(const std::vector<double>& sizes, MakePaths make) {
    Runs runs;
    for (double n : sizes) {
        runs.sizes.push_back(n);
        runs.profiles.push_back(runOf(make(n)));
    }
    return runs;
}

inline const FunctionScaling& functionNamed(const ScalingReport& report, const std::string& name) {
    for (const FunctionScaling& function : report.functions)
        if (function.name == name)
            return function;
    throw std::runtime_error("no function " + name);
}

} // namespace hprof::scaling_profiles
