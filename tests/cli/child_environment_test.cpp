#include "child_environment.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace hprof::cli;

namespace {

const ProbeSettings kProbe{"/opt/lib/hprof/libhprof_probe.so", "/tmp/hprof-run-abc", 250, "",
                           std::nullopt};

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

TEST(ChildEnvironment, MinimumDurationIsPassedInTraceModeAndReplacesAStaleOne) {
    ProbeSettings probe = kProbe;
    probe.instrument = "trace";
    probe.min_duration_ns = 50'000;
    const char* entries[] = {"HPROF_MIN_DURATION_NS=7", "HPROF_MIN_DURATION_NSX=1", nullptr};
    EXPECT_EQ(childEnvironment(const_cast<char* const*>(entries), probe),
              (std::vector<std::string>{"HPROF_MIN_DURATION_NSX=1",
                                        "LD_PRELOAD=/opt/lib/hprof/libhprof_probe.so",
                                        "HPROF_RUN_DIR=/tmp/hprof-run-abc", "HPROF_FREQUENCY=250",
                                        "HPROF_INSTRUMENT=trace", "HPROF_MIN_DURATION_NS=50000"}));
    probe.min_duration_ns = 0;
    EXPECT_EQ(childEnvironment(const_cast<char* const*>(entries), probe).back(),
              "HPROF_MIN_DURATION_NS=0");
    // Not in trace mode: a stale value is dropped, none is set.
    const auto environment = environmentFrom({"HPROF_MIN_DURATION_NS=7"});
    EXPECT_EQ(std::count_if(environment.begin(), environment.end(),
                            [](const std::string& entry) {
                                return entry.starts_with("HPROF_MIN_DURATION_NS=");
                            }),
              0);
}

TEST(ChildEnvironment, WallClockIsPassedOnlyWhenAsked) {
    ProbeSettings probe = kProbe;
    probe.wall_clock = true;
    const char* entries[] = {"HPROF_CLOCK=cpu", nullptr};
    const auto environment = childEnvironment(const_cast<char* const*>(entries), probe);
    EXPECT_EQ(environment.back(), "HPROF_CLOCK=wall");
    EXPECT_EQ(std::count(environment.begin(), environment.end(), "HPROF_CLOCK=cpu"), 0);
    // CPU mode: a stale value is dropped, none is set.
    const auto cpu = environmentFrom({"HPROF_CLOCK=wall"});
    EXPECT_EQ(std::count(cpu.begin(), cpu.end(), "HPROF_CLOCK=wall"), 0);
    EXPECT_EQ(cpu.size(), 3u);
}
