// hprof told to stop and killed soon after, as mpirun and Slurm do (SIGTERM to hprof's process
// group, SIGKILL about a second later): the profile is collected by a detached process that the
// SIGKILL does not reach, and appears all the same (detached_collection.h).
#include "collect_gate.h"
#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

using namespace hprof::test;

namespace {

// A detached collector is nobody's child that the test could wait for: the test polls for the
// profile it renames into place when complete.
constexpr double kSecondsForTheProfile = 20;

TEST(StoppedHprof, SigtermThenSigkillOfTheGroupStillWritesTheProfile) {
    const TempDir dir;
    CollectGate gate(dir);
    std::filesystem::create_directory(dir.file("runs")); // no other run's leftovers named
    ChildProcess hprof(
        hprofCommand({"-q", "-o", "profile.hprof", samplePath("spin_forever")}),
        {dir.path(),
         {{"HPROF_TEST_COLLECT_GATE", gate.path()}, {"HPROF_TMPDIR", dir.file("runs")}}});
    ASSERT_EQ(hprof.readLine(), "ready");
    const std::vector<pid_t> children = childrenOf(hprof.pid());
    ASSERT_EQ(children.size(), 1u);
    ASSERT_TRUE(waitForCpuTime(children.front(), 0.2));
    ASSERT_EQ(kill(-hprof.pid(), SIGTERM), 0); // the group: hprof and the program
    // The collection has begun (in whichever process collects): now the group's SIGKILL.
    ASSERT_TRUE(gate.waitUntilHprofCollects());
    ASSERT_EQ(kill(-hprof.pid(), SIGKILL), 0);
    gate.release(); // the collector shares hprof's output pipes: finish() reads to their end
    const CommandResult run = hprof.finish();
    EXPECT_TRUE(run.killed);
    ASSERT_TRUE(waitForFile(dir.file("profile.hprof"), kSecondsForTheProfile)) << run.err;
    EXPECT_GE(sampledSecondsOf(hprof::readProfile(dir.file("profile.hprof")), "spin_until_killed"),
              0.15)
        << run.err; // of 0.2+
    EXPECT_EQ(
        linesContaining(run.err, "should none appear: hprof collect " + dir.file("runs")).size(),
        1u)
        << run.err;
}

} // namespace
