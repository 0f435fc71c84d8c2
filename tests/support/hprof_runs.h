// Running the built hprof on the sample programs, and questions about the profiles it writes.
#pragma once

#include "child_process.h"
#include "temp_dir.h"

#include "hprof/analysis.h"
#include "hprof/profile.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hprof::test {

// Path of a sample program in the build tree's bin directory.
std::string samplePath(const std::string& name);

// hprof's own command line: HPROF_BIN followed by `args`.
std::vector<std::string> hprofCommand(const std::vector<std::string>& args);

// Runs `hprof args...` in `dir`.
CommandResult runHprof(const std::vector<std::string>& args, const TempDir& dir);

// Runs `hprof -q -o profile.hprof <options> <sample> <sample_args>` in `dir`.
CommandResult recordSample(const TempDir& dir, const std::vector<std::string>& options,
                           const std::string& sample,
                           const std::vector<std::string>& sample_args = {});
// The profile recordSample wrote.
hprof::Profile recordedProfile(const TempDir& dir);

// "burn_in_library" for "splitwork::burn_in_library(double)": no scope, no parameters.
std::string plainName(std::string_view function_name);

// Statistics of the one function whose plain name is `plain`; nullopt if none or several.
std::optional<hprof::FunctionStats> statsOf(const hprof::Profile& profile, std::string_view plain,
                                            const hprof::SampleFilter& filter = {});

// The CPU seconds the samples of that function (inclusive) stand for, 0 if none: their weights
// are steps of the thread's CPU clock, so they hold the CPU time however few samples a loaded
// machine lets through (sample counts against fixed floors failed in CI: 195 of 200).
double sampledSecondsOf(const hprof::Profile& profile, std::string_view plain);

// Sum of all sample weights: the CPU time the samples stand for.
int64_t sampledCpuNs(const hprof::Profile& profile);

// N from "key=N" (key at the start of a word) in a program's `output`, or -1.
int64_t valueAfter(const std::string& output, const std::string& key);

// "split: spend_half=0.45 spend_thirty=0.30 ..." -> {spend_half: 0.45, spend_thirty: 0.30, ...}
// from the first line of `output` that contains `prefix` (the split sample's lines).
std::map<std::string, double> parseSplit(const std::string& output,
                                         const std::string& prefix = "split:");

// The profile's warnings but the comparison of sampled CPU time with the kernel's: a matter of
// sampling, tested in tests/integration (Accuracy, CpuAccounting), that a virtual machine's CPU
// clock can trigger in any run (measured: a thread's CPU clock advanced by 100 ms in one step at
// load 8, after the thread's last sample, in 1 of 200 runs of s_fork).
std::vector<std::string> warningsButCpuAccounting(const hprof::Profile& profile);

// Lines of hprof's stderr that contain `text`.
std::vector<std::string> linesContaining(const std::string& output, std::string_view text);

// Questions about the processes of a profile; they fail the current test (gtest) when the profile
// cannot answer them.

// The run's first process: the earliest one that nothing started.
hprof::ProcessId rootOf(const hprof::Profile& profile);

// The one process whose command line is `command`, other than `except`.
std::optional<hprof::ProcessId> processRunning(const hprof::Profile& profile,
                                               const std::string& command,
                                               hprof::ProcessId except = {});

// Whether a function with this plain name is on the stack from `stack` up.
bool stackContains(const hprof::Profile& profile, hprof::StackId stack, const std::string& plain);

// How many parent links lead from `process` up to `ancestor`; nullopt if they never do.
std::optional<int> linksUpTo(const hprof::Profile& profile, hprof::ProcessId process,
                             hprof::ProcessId ancestor);

} // namespace hprof::test
