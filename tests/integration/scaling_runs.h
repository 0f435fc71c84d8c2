// `hprof scaling` runs of the samples for the integration tests, and the report read back.
#pragma once

#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"
#include "hprof/scaling.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace hprof::scaling_runs {

using namespace hprof::test;

struct ScalingRun {
    CommandResult result;
    std::optional<hprof::ScalingReport> report; // fitted again from the directory
    hprof::ScalingDirectory directory;          // owns the profiles the report points into
};

// `hprof scaling OPTIONS -o runs -- SAMPLE ARGS` in `dir`, and the report of its directory.
inline ScalingRun scaling(const TempDir& dir, const std::vector<std::string>& options,
                          const std::string& sample, const std::vector<std::string>& args) {
    std::vector<std::string> command{"scaling", "-o", "runs"};
    command.insert(command.end(), options.begin(), options.end());
    command.push_back("--");
    command.push_back(samplePath(sample));
    command.insert(command.end(), args.begin(), args.end());
    ScalingRun run;
    run.result = runHprof(command, dir);
    if (run.result.status == 0) {
        run.directory = hprof::readScalingDirectory(dir.file("runs"));
        run.report = hprof::analyseScaling(run.directory.runs());
    }
    return run;
}

// The one listed function whose plain name is `plain`.
inline const hprof::FunctionScaling* functionNamed(const hprof::ScalingReport& report,
                                                   const std::string& plain) {
    const hprof::FunctionScaling* found = nullptr;
    for (const hprof::FunctionScaling& function : report.functions)
        if (plainName(function.name) == plain) {
            EXPECT_EQ(found, nullptr) << "two functions named " << plain;
            found = &function;
        }
    EXPECT_NE(found, nullptr) << "no function named " << plain;
    return found;
}

// The fit of the exact call counts of the function named `plain` (an empty fit if none).
inline hprof::ScalingFit callsFitOf(const hprof::ScalingReport& report, const std::string& plain) {
    const hprof::FunctionScaling* function = functionNamed(report, plain);
    EXPECT_TRUE(function && function->calls_fit) << plain;
    return function && function->calls_fit ? *function->calls_fit : hprof::ScalingFit{};
}

inline std::string bottleneckOf(const hprof::ScalingReport& report) {
    return report.bottleneck ? plainName(report.functions[report.bottleneck->function].name) : "";
}

} // namespace hprof::scaling_runs
