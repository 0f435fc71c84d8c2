// A library's constructor that calls dlopen before the probe's constructor has run (hwloc and
// UCX do so under MPICH): the modules known then must still be in the profile, or every sample
// in the program and its libraries is "[unknown]" (module_table.h, writeModulesAtStreamStart).
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

using namespace hprof::test;

TEST(EarlyDlopen, ModulesLoadedBeforeTheProbeStartedAreSymbolized) {
    const TempDir dir;
    const CommandResult run = runCommand(
        hprofCommand({"-q", "-o", "profile.hprof", samplePath("early_dlopen")}), {dir.path()});
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = hprof::readProfile(dir.file("profile.hprof"));
    EXPECT_GE(sampledSecondsOf(profile, "burn_in_the_program"), 0.1) << run.err; // of 0.2
}
