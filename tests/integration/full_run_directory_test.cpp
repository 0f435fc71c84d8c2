// A run directory that fills up, or a file size limit, while the program writes samples fast:
// the program must run on unchanged (no SIGBUS, no SIGXFSZ), hprof must say which process it
// stopped recording and how much was lost, and still write the profile of what was recorded.
//
// The full file system is real: a 6 MB tmpfs mounted in a private mount namespace
// (`unshare -m`, which needs root, as CI has). The file size limit is RLIMIT_FSIZE, set with
// util-linux `prlimit` on hprof and inherited by the program.
#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace hprof::test;

namespace {

// deep_stacks writes about 2 KB per sample: at 10 kHz for 1.5 s of CPU it wants about 30 MB
// of raw stream, five times what either limit below allows.
const std::vector<std::string> kProgram{"-F", "10000", "-o", "out.hprof", "", "1.5", "200", "3"};

std::vector<std::string> programCommand() {
    std::vector<std::string> command = kProgram;
    command[4] = samplePath("deep_stacks");
    return command;
}

// Mounts a tmpfs of `size` on `mount_point` in a mount namespace of its own, runs hprof with
// HPROF_TMPDIR there, then lists what hprof left on the tmpfs on stderr ("left: [...]").
CommandResult runOnSmallTmpfs(const TempDir& dir, const std::string& mount_point,
                              const std::string& size) {
    const std::string script = "dir=$1; shift\n"
                               "mount -t tmpfs -o size=" +
                               size +
                               " hprof-test \"$dir\" || exit 97\n"
                               "HPROF_TMPDIR=$dir \"$@\"\n"
                               "status=$?\n"
                               "echo \"left: [$(ls -A \"$dir\")]\" >&2\n"
                               "exit $status\n";
    std::vector<std::string> argv{"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh",
                                  mount_point};
    for (const std::string& word : hprofCommand(programCommand()))
        argv.push_back(word);
    return runCommand(argv, {dir.path()});
}

// The one "stopped recording process" line of hprof's stderr, checked for what it must say.
void expectStopWarning(const CommandResult& run, const std::string& what) {
    const auto lines = linesContaining(run.err, "stopped recording process");
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_NE(lines[0].find(what), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find(" samples dropped"), std::string::npos) << lines[0];
    EXPECT_EQ(lines[0].find("; 0 samples dropped"), std::string::npos) << lines[0];
}

// The program ran as without hprof, and the profile holds what was recorded before the stop.
void expectProgramUnchangedAndProfileWritten(const CommandResult& run, const TempDir& dir) {
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.status, 3) << run.err;
    EXPECT_EQ(run.out, "deep_stacks: depth=200\n");
    EXPECT_EQ(linesContaining(run.err, "profile written to out.hprof").size(), 1u) << run.err;
    const hprof::Profile profile = hprof::readProfile(dir.file("out.hprof"));
    EXPECT_GT(profile.samples.size(), 0u);
    EXPECT_TRUE(statsOf(profile, "descend").has_value());
}

} // namespace

TEST(FullRunDirectory, FullTmpfsStopsRecordingNotTheProgram) {
    const TempDir dir;
    const std::string mount_point = dir.file("small-tmpfs");
    std::filesystem::create_directory(mount_point);
    const CommandResult run = runOnSmallTmpfs(dir, mount_point, "6m");
    ASSERT_NE(run.status, 97) << "cannot mount a tmpfs (the test needs root): " << run.err;
    expectProgramUnchangedAndProfileWritten(run, dir);
    expectStopWarning(run, "/hprof-run-");
    expectStopWarning(run, " is full (6 MB");
    // The run directory was removed, whatever happened in it.
    EXPECT_EQ(linesContaining(run.err, "left: []").size(), 1u) << run.err;
}

TEST(FullRunDirectory, FileSizeLimitStopsRecordingNotTheProgram) {
    const TempDir dir;
    std::vector<std::string> argv{"/usr/bin/prlimit", "--fsize=6291456"};
    for (const std::string& word : hprofCommand(programCommand()))
        argv.push_back(word);
    const CommandResult run = runCommand(argv, {dir.path()});
    expectProgramUnchangedAndProfileWritten(run, dir);
    expectStopWarning(run, "file size limit (ulimit -f, 6 MB)");
}

// A container's default /dev/shm (64 MB, mounted here in a private namespace) is passed over
// for $TMPDIR, and hprof says so in one line naming the run directory.
TEST(FullRunDirectory, SmallDevShmFallsBackToTmpdirAndSaysSo) {
    const TempDir dir;
    const std::string script = "mount -t tmpfs -o size=64m hprof-test /dev/shm || exit 97\n"
                               "exec \"$@\"\n";
    std::vector<std::string> argv{"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh"};
    for (const std::string& word :
         hprofCommand({"-q", "-o", "out.hprof", samplePath("exit_status"), "0"}))
        argv.push_back(word);
    const CommandResult run =
        runCommand(argv, {dir.path(), {{"TMPDIR", dir.path()}, {"HPROF_TMPDIR", std::nullopt}}});
    ASSERT_NE(run.status, 97) << "cannot mount a tmpfs (the test needs root): " << run.err;
    EXPECT_EQ(run.status, 0) << run.err;
    const auto lines = linesContaining(run.err, "raw streams go to " + dir.path() + "/hprof-run-");
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_NE(lines[0].find("(/dev/shm has 64 MB free, less than 256 MB"), std::string::npos)
        << lines[0];
    EXPECT_TRUE(hprof::readProfile(dir.file("out.hprof")).processes.size() == 1);
}
