#include "probe_location.h"
#include "temp_dir.h"

#include "hprof/error.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace hprof::cli;
using hprof::test::TempDir;

namespace {

// Sets $HPROF_PROBE for one test.
class ProbeVariable {
  public:
    explicit ProbeVariable(const std::string& value) { setenv("HPROF_PROBE", value.c_str(), 1); }
    ~ProbeVariable() { unsetenv("HPROF_PROBE"); }
};

} // namespace

TEST(ProbeLocation, NextToTheExecutable) {
    EXPECT_EQ(probePathForExecutable("/usr/local/bin/hprof"),
              "/usr/local/lib/hprof/libhprof_probe.so");
    EXPECT_EQ(probePathForExecutable("/w/build/bin/hprof"), "/w/build/lib/hprof/libhprof_probe.so");
}

TEST(ProbeLocation, EnvironmentOverrideIsMadeAbsolute) {
    TempDir dir;
    dir.writeFile("probe.so", "", 0644);
    char* previous = get_current_dir_name();
    ASSERT_EQ(chdir(dir.path().c_str()), 0);
    {
        const ProbeVariable variable("./probe.so");
        EXPECT_EQ(locateProbe(), dir.file("probe.so"));
    }
    ASSERT_EQ(chdir(previous), 0);
    free(previous);
}

TEST(ProbeLocation, MissingProbeIsAnError) {
    TempDir dir;
    const ProbeVariable variable(dir.file("none.so"));
    try {
        locateProbe();
        FAIL() << "no error";
    } catch (const hprof::Error& error) {
        EXPECT_EQ(std::string(error.what()), "probe library not found: " + dir.file("none.so") +
                                                 " (build the hprof_probe target, or set "
                                                 "HPROF_PROBE)");
    }
}

TEST(ProbeLocation, PathsLdPreloadCannotNameAreRefused) {
    TempDir dir;
    const ProbeVariable variable(dir.writeFile("a:b.so", "", 0644));
    EXPECT_THROW(locateProbe(), hprof::Error);
}
