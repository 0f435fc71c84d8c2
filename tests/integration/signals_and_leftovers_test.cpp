// Killing hprof never orphans the program's data: SIGTERM is forwarded to the program and the
// profile still written; signals during collection do not kill hprof before it has written the
// profile, unless a second one abandons it, naming the run directory it keeps; after a SIGKILL
// the next hprof names the leftover run directory, and `hprof collect` turns it into a profile.
#include "collect_gate.h"
#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hprof::test;
using hprof::Profile;

namespace {

// The run directories under `root`.
std::vector<std::string> runDirectoriesIn(const std::string& root) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        if (entry.path().filename().string().starts_with("hprof-run-"))
            found.push_back(entry.path());
    }
    return found;
}

// The text after `marker` on the line of `text` that has it, up to the next space.
std::string wordAfter(const std::string& text, const std::string& marker) {
    const size_t at = text.find(marker);
    if (at == std::string::npos)
        return "";
    const size_t start = at + marker.size();
    return text.substr(start, text.find_first_of(" \n", start) - start);
}

ChildOptions withTmpdir(const TempDir& dir, const std::string& tmpdir) {
    std::filesystem::create_directory(tmpdir);
    return {dir.path(), {{"HPROF_TMPDIR", tmpdir}}};
}

} // namespace

TEST(HprofSignals, SigtermWhileTheProgramRunsIsForwardedAndTheProfileWritten) {
    const TempDir dir;
    ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", samplePath("spin_forever")}),
                       {dir.path()});
    ASSERT_EQ(hprof.readLine(), "ready");
    const std::vector<pid_t> children = childrenOf(hprof.pid());
    ASSERT_EQ(children.size(), 1u);
    ASSERT_TRUE(waitForCpuTime(children.front(), 0.2));
    ASSERT_EQ(kill(hprof.pid(), SIGTERM), 0);
    const CommandResult run = hprof.finish();
    EXPECT_FALSE(run.killed) << run.err;
    EXPECT_EQ(run.status, 128 + SIGTERM) << run.err; // the program's death, passed through
    EXPECT_EQ(linesContaining(run.err, "killed by signal 15").size(), 1u) << run.err;
    EXPECT_GE(sampledSecondsOf(recordedProfile(dir), "spin_until_killed"), 0.15)
        << run.err; // of 0.2+
}

TEST(HprofSignals, SigtermDuringCollectionStillWritesTheProfile) {
    const TempDir dir;
    CollectGate gate(dir);
    ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", samplePath("exit_underscore")}),
                       {dir.path(), {{"HPROF_TEST_COLLECT_GATE", gate.path()}}});
    ASSERT_TRUE(gate.waitUntilHprofCollects());
    ASSERT_EQ(kill(hprof.pid(), SIGTERM), 0);
    gate.release();
    const CommandResult run = hprof.finish();
    EXPECT_FALSE(run.killed) << run.err;
    EXPECT_EQ(run.status, 3) << run.err; // the program's own status
    EXPECT_EQ(linesContaining(run.err, "finishing the profile").size(), 1u) << run.err;
    EXPECT_GE(sampledSecondsOf(recordedProfile(dir), "burn_before_exit"), 0.25)
        << run.err; // of 0.3
}

TEST(HprofSignals, SecondSignalAbandonsTheProfileAndKeepsTheRunDirectory) {
    const TempDir dir;
    CollectGate gate(dir);
    ChildOptions options = withTmpdir(dir, dir.file("tmp"));
    options.environment["HPROF_TEST_COLLECT_GATE"] = gate.path();
    ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", samplePath("exit_underscore")}),
                       options);
    ASSERT_TRUE(gate.waitUntilHprofCollects());
    ASSERT_EQ(kill(hprof.pid(), SIGTERM), 0);
    ASSERT_EQ(kill(hprof.pid(), SIGHUP), 0);
    // hprof handles both signals before it can see the end of the FIFO; an hprof that ignored
    // them would go on and write the profile, which fails the test rather than hanging it.
    gate.release();
    const CommandResult run = hprof.finish();
    EXPECT_TRUE(run.status == 128 + SIGTERM || run.status == 128 + SIGHUP) << run.status;
    EXPECT_FALSE(fileExists(dir.file("profile.hprof")));
    const std::string kept = wordAfter(run.err, "profile abandoned; the raw streams are kept: "
                                                "hprof collect ");
    ASSERT_EQ(runDirectoriesIn(dir.file("tmp")), std::vector<std::string>{kept}) << run.err;

    const CommandResult collect = runHprof({"collect", kept, "-q", "-o", "collected.hprof"}, dir);
    ASSERT_EQ(collect.status, 0) << collect.err;
    EXPECT_FALSE(fileExists(kept));
    const Profile profile = hprof::readProfile(dir.file("collected.hprof"));
    EXPECT_GE(sampledSecondsOf(profile, "burn_before_exit"), 0.25); // of 0.3
    EXPECT_EQ(profile.run.command, std::vector<std::string>{samplePath("exit_underscore")});
}

// hprof is killed while the program runs; the test, a child subreaper, inherits the program
// and ends it, then the next hprof names the leftover and `hprof collect` makes its profile.
TEST(HprofSignals, SigkillLeavesARunDirectoryThatCollectTurnsIntoAProfile) {
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const TempDir dir;
    const std::string tmpdir = dir.file("tmp");
    pid_t program = 0;
    {
        ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", samplePath("spin_forever")}),
                           withTmpdir(dir, tmpdir));
        ASSERT_EQ(hprof.readLine(), "ready");
        const std::vector<pid_t> children = childrenOf(hprof.pid());
        ASSERT_EQ(children.size(), 1u);
        program = children.front();
        ASSERT_TRUE(waitForCpuTime(program, 0.2));
        ASSERT_EQ(kill(hprof.pid(), SIGKILL), 0);
        ASSERT_EQ(kill(program, SIGKILL), 0);
        EXPECT_TRUE(hprof.finish().killed);
    }
    int status = 0;
    ASSERT_EQ(waitpid(program, &status, 0), program); // ours now: hprof is gone
    const std::vector<std::string> leftovers = runDirectoriesIn(tmpdir);
    ASSERT_EQ(leftovers.size(), 1u);

    const CommandResult next =
        runCommand(hprofCommand({"-q", "-o", "next.hprof", samplePath("exit_status"), "0"}),
                   withTmpdir(dir, tmpdir));
    EXPECT_EQ(next.status, 0) << next.err;
    const std::vector<std::string> named = linesContaining(next.err, "hprof collect ");
    ASSERT_EQ(named.size(), 1u) << next.err;
    EXPECT_NE(named.front().find("hprof collect " + leftovers.front() + " -o FILE"),
              std::string::npos)
        << named.front();
    EXPECT_NE(named.front().find(samplePath("spin_forever")), std::string::npos);

    const CommandResult collect =
        runHprof({"collect", "-o", "collected.hprof", leftovers.front()}, dir);
    ASSERT_EQ(collect.status, 0) << collect.err;
    EXPECT_NE(collect.err.find("profile written to collected.hprof"), std::string::npos);
    EXPECT_FALSE(fileExists(leftovers.front()));
    const Profile profile = hprof::readProfile(dir.file("collected.hprof"));
    EXPECT_GE(sampledSecondsOf(profile, "spin_until_killed"), 0.15); // of 0.2 or more
    EXPECT_EQ(profile.run.command, std::vector<std::string>{samplePath("spin_forever")});
    EXPECT_TRUE(std::ranges::none_of(profile.processes, [](const hprof::Process& process) {
        return process.note == "still running when collected";
    }));
}

TEST(HprofCollect, RefusesWhatIsNotARunDirectory) {
    const TempDir dir;
    dir.writeFile("plain", "x");
    std::filesystem::create_directory(dir.file("empty"));
    std::filesystem::create_directory(dir.file("no_streams"));
    // A run-info of an hprof that no longer runs (pid 0 never names one).
    using namespace std::string_literals;
    dir.writeFile("no_streams/run-info",
                  "hprof-run-info\0001\0hprof_pid\0000\0hprof_start_ticks\0001\0"
                  "start_time_unix_ns\0000\0frequency_hz\0001000\0min_duration_ns\0000\0"s);
    const std::vector<std::pair<std::string, std::string>> cases{
        {"missing", "not a directory"},
        {"plain", "not a directory"},
        {"empty", "not an hprof run directory"},
        {"no_streams", "no profile data"}};
    for (const auto& [name, message] : cases) {
        SCOPED_TRACE(name);
        const CommandResult run = runHprof({"collect", dir.file(name)}, dir);
        EXPECT_EQ(run.status, 2);
        EXPECT_EQ(linesOf(run.err).size(), 1u) << run.err;
        EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
        EXPECT_FALSE(fileExists(dir.file("profile.hprof")));
    }
}
