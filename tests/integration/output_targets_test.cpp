// What hprof does with the output path: a character device or a FIFO is written into and never
// renamed (hprof run as root once renamed /dev/null), a socket is refused before
// the program starts, and a disk that fills while the profile is written leaves the existing
// profile and its backup as they were.
#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

using namespace hprof::test;

namespace {

bool isCharacterDevice(const std::string& path) {
    struct stat status {};
    return lstat(path.c_str(), &status) == 0 && S_ISCHR(status.st_mode);
}

bool isFifo(const std::string& path) {
    struct stat status {};
    return lstat(path.c_str(), &status) == 0 && S_ISFIFO(status.st_mode);
}

// A unix socket bound at `path`, as a server would leave it.
void bindSocketAt(const std::string& path) {
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof address.sun_path - 1);
    ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    close(fd);
}

} // namespace

// A null device of our own (mknod needs root, as CI has), not the machine's /dev/null: before
// the fix this test renamed the device it wrote to.
TEST(OutputTargets, CharacterDeviceIsWrittenIntoNeverRenamed) {
    const TempDir dir;
    const std::string device = dir.file("null");
    ASSERT_EQ(mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << "mknod needs root";
    const CommandResult run = runHprof({"-q", "-o", device, samplePath("split"), "0.1"}, dir);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(isCharacterDevice(device));
    EXPECT_FALSE(std::filesystem::exists(device + ".old"));
    EXPECT_EQ(linesContaining(run.err, "renamed").size(), 0u) << run.err;
}

TEST(OutputTargets, FifoWithAReaderGetsTheWholeProfile) {
    const TempDir dir;
    const std::string fifo = dir.file("pipe");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    ChildProcess reader({"/bin/sh", "-c", "cat pipe > copy.hprof"}, {dir.path()});
    const CommandResult run = runHprof({"-q", "-o", fifo, samplePath("split"), "0.1"}, dir);
    const CommandResult read = reader.finish();
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(read.status, 0) << read.err;
    EXPECT_TRUE(isFifo(fifo));
    EXPECT_FALSE(std::filesystem::exists(fifo + ".old"));
    const hprof::Profile profile = hprof::readProfile(dir.file("copy.hprof"));
    EXPECT_GT(profile.samples.size(), 0u);
}

// (A directory is a directory target: hprof names the file in it, output_names_test.cpp.)
TEST(OutputTargets, SocketIsRefusedBeforeTheProgramStarts) {
    const TempDir dir;
    bindSocketAt(dir.file("sock"));
    for (const auto& [output, what] : {std::pair{"sock", "is a socket"}}) {
        SCOPED_TRACE(output);
        const CommandResult run =
            runHprof({"-q", "-o", output, samplePath("exit_status"), "0"}, dir);
        EXPECT_EQ(run.status, 2);
        EXPECT_EQ(run.out, ""); // the program never ran
        const auto lines = linesOf(run.err);
        ASSERT_EQ(lines.size(), 1u) << run.err;
        EXPECT_NE(lines[0].find(what), std::string::npos) << lines[0];
        EXPECT_FALSE(std::filesystem::exists(dir.file(std::string(output) + ".old")));
    }
}

// The output's directory is a 1 MB tmpfs (a private mount namespace: needs root, as CI has)
// holding a profile and its backup, then filled up: writing the new profile fails.
TEST(OutputTargets, FullDiskLeavesTheExistingProfileAndBackupAlone) {
    const TempDir dir;
    const std::string mount_point = dir.file("out");
    std::filesystem::create_directory(mount_point);
    const std::string script =
        "dir=$1; shift\n"
        "mount -t tmpfs -o size=1m hprof-test \"$dir\" || exit 97\n"
        "echo previous > \"$dir/p.hprof\"; echo older > \"$dir/p.hprof.old\"\n"
        "dd if=/dev/zero of=\"$dir/filler\" bs=64k 2>/dev/null\n"
        "\"$@\" -o \"$dir/p.hprof\""
        " \"$SPLIT\" 0.1\n"
        "status=$?\n"
        "echo \"p=[$(cat \"$dir/p.hprof\")] old=[$(cat \"$dir/p.hprof.old\")] "
        "files=[$(ls -A \"$dir\" | tr '\\n' ' ')]\" >&2\n"
        "exit $status\n";
    std::vector<std::string> argv{"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh",
                                  mount_point};
    for (const std::string& word : hprofCommand({"-q"}))
        argv.push_back(word);
    // The run directory is kept when the profile cannot be written: here, where it goes away.
    const std::string run_root = dir.file("runs");
    std::filesystem::create_directory(run_root);
    const CommandResult run = runCommand(
        argv, {dir.path(), {{"SPLIT", samplePath("split")}, {"HPROF_TMPDIR", run_root}}});
    ASSERT_NE(run.status, 97) << "cannot mount a tmpfs (the test needs root): " << run.err;
    EXPECT_EQ(
        linesContaining(run.err, "the raw streams are kept: hprof collect " + run_root).size(), 1u)
        << run.err;
    EXPECT_EQ(run.status, 2) << run.err;
    EXPECT_EQ(linesContaining(run.err, "p=[previous] old=[older] files=[filler p.hprof "
                                       "p.hprof.old ]")
                  .size(),
              1u)
        << run.err;
    const auto error = linesContaining(run.err, "cannot write output");
    ASSERT_EQ(error.size(), 1u) << run.err;
    EXPECT_NE(error[0].find("No space left on device"), std::string::npos) << error[0];
    EXPECT_NE(error[0].find("p.hprof and " + mount_point + "/p.hprof.old are left as they were"),
              std::string::npos)
        << error[0];
}

TEST(OutputTargets, ReportOfAFifoIsRefusedWithoutWaiting) {
    const TempDir dir;
    ASSERT_EQ(mkfifo(dir.file("pipe").c_str(), 0600), 0);
    const CommandResult run = runHprof({"report", "pipe"}, dir);
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.status, 2);
    const auto lines = linesOf(run.err);
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_NE(lines[0].find("pipe: not a regular file"), std::string::npos) << lines[0];
}
