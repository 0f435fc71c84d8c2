#include "child_environment.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace hprof::cli;

namespace {

const ProbeSettings kProbe{"/opt/lib/hprof/libhprof_probe.so", "/tmp/hprof-run-abc", 250, ""};

std::vector<std::string> environmentFrom(std::vector<const char*> entries) {
    entries.push_back(nullptr);
    return childEnvironment(const_cast<char* const*>(entries.data()), kProbe);
}

} // namespace

TEST(ChildEnvironment, AddsProbeVariablesAndKeepsTheRest) {
    EXPECT_EQ(environmentFrom({"HOME=/root", "A=b=c"}),
              (std::vector<std::string>{
                  "HOME=/root", "A=b=c", "LD_PRELOAD=/opt/lib/hprof/libhprof_probe.so",
                  "HPROF_RUN_DIR=/tmp/hprof-run-abc", "HPROF_FREQUENCY=250"}));
}

TEST(ChildEnvironment, ProbeGoesBeforeAnExistingPreload) {
    const auto environment = environmentFrom({"LD_PRELOAD=/x/libasan.so", "LD_PRELOADX=1"});
    EXPECT_EQ(environment[0], "LD_PRELOADX=1");
    EXPECT_EQ(environment[1], "LD_PRELOAD=/opt/lib/hprof/libhprof_probe.so:/x/libasan.so");
    EXPECT_EQ(environment.size(), 4u);
}

TEST(ChildEnvironment, StaleProbeVariablesAreReplaced) {
    const auto environment =
        environmentFrom({"HPROF_RUN_DIR=/old", "HPROF_FREQUENCY=9", "LD_PRELOAD="});
    EXPECT_EQ(environment, (std::vector<std::string>{"LD_PRELOAD=/opt/lib/hprof/libhprof_probe.so",
                                                     "HPROF_RUN_DIR=/tmp/hprof-run-abc",
                                                     "HPROF_FREQUENCY=250"}));
}

TEST(ChildEnvironment, InstrumentModeIsPassedOnlyWhenAsked) {
    ProbeSettings probe = kProbe;
    probe.instrument = "off";
    const char* entries[] = {"HPROF_INSTRUMENT=counts", nullptr};
    const auto environment = childEnvironment(const_cast<char* const*>(entries), probe);
    EXPECT_EQ(environment.back(), "HPROF_INSTRUMENT=off");
    EXPECT_EQ(std::count(environment.begin(), environment.end(), "HPROF_INSTRUMENT=counts"), 0);
    EXPECT_EQ(environmentFrom({}).size(), 3u); // automatic: the variable is not set
}
