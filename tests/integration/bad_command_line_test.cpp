// Command lines hprof must refuse before starting anything: one "hprof: " line on stderr, exit
// status 2, and the program (which would create a file) never ran.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hprof::test;

namespace {

const char* const kMarker = "marker"; // the file the program would create
const char* const kTouch = "/usr/bin/touch";

bool canCreateFileIn(const std::string& directory) {
    const std::string probe = directory + "/can-create";
    const int fd = open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0)
        return false;
    close(fd);
    unlink(probe.c_str());
    return true;
}

bool setImmutable(const std::string& directory, bool immutable) {
    const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY);
    int flags = 0;
    bool ok = fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = immutable ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
    ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

// A directory nobody can create files in: mode 0555, and for root (whom modes do not stop)
// also the immutable attribute. Made writable again on destruction so it can be removed.
class UnwritableDirectory {
  public:
    explicit UnwritableDirectory(std::string path) : path_(std::move(path)) {
        std::filesystem::create_directory(path_);
        chmod(path_.c_str(), 0555);
        if (canCreateFileIn(path_))
            immutable_ = setImmutable(path_, true);
    }
    ~UnwritableDirectory() {
        if (immutable_)
            setImmutable(path_, false);
        chmod(path_.c_str(), 0755);
    }
    UnwritableDirectory(const UnwritableDirectory&) = delete;
    UnwritableDirectory& operator=(const UnwritableDirectory&) = delete;

  private:
    std::string path_;
    bool immutable_ = false;
};

void expectRefused(const TempDir& dir, const std::vector<std::string>& args) {
    std::string command = "hprof";
    for (const std::string& arg : args)
        command += " " + arg;
    SCOPED_TRACE(command);
    const CommandResult run = runHprof(args, dir);
    EXPECT_EQ(run.status, 2) << run.err;
    EXPECT_EQ(run.out, "");
    const std::vector<std::string> lines = linesOf(run.err);
    ASSERT_EQ(lines.size(), 1u) << run.err;
    EXPECT_EQ(lines.front().rfind("hprof: ", 0), 0u) << lines.front();
    EXPECT_FALSE(fileExists(dir.file(kMarker))) << "the program ran";
    EXPECT_FALSE(fileExists(dir.file("profile.hprof")));
}

} // namespace

TEST(BadCommandLine, ProgramCreatesMarkerWhenAllowed) {
    // The control for the tests below: run properly, the program does create the marker.
    const TempDir dir;
    const CommandResult run = runHprof({"-q", kTouch, kMarker}, dir);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(fileExists(dir.file(kMarker)));
}

TEST(BadCommandLine, BadCommandLines) {
    const TempDir dir;
    expectRefused(dir, {"./no-such-program", kMarker});
    expectRefused(dir, {"no-such-program-on-the-path", kMarker});

    std::filesystem::create_directory(dir.file("a-directory"));
    expectRefused(dir, {dir.file("a-directory"), kMarker});

    writeFile(dir.file("not-executable"), std::string("#!/bin/sh\ntouch ") + kMarker + "\n");
    ASSERT_EQ(chmod(dir.file("not-executable").c_str(), 0644), 0);
    expectRefused(dir, {"./not-executable"});

    const std::string setuid_copy = dir.file("touch-setuid");
    std::filesystem::copy_file(kTouch, setuid_copy);
    ASSERT_EQ(chmod(setuid_copy.c_str(), 04755), 0);
    struct stat status {};
    ASSERT_EQ(stat(setuid_copy.c_str(), &status), 0);
    ASSERT_TRUE(status.st_mode & S_ISUID) << "the file system refused the setuid bit";
    expectRefused(dir, {setuid_copy, kMarker});

    expectRefused(dir, {"--no-such-option", kTouch, kMarker});
    expectRefused(dir, {"-F", "0", kTouch, kMarker});
    expectRefused(dir, {"-F", "abc", kTouch, kMarker});
    for (const char* runs : {"0", "-1", "abc", "10001"})
        expectRefused(dir, {"--repeat", runs, kTouch, kMarker});

    const UnwritableDirectory unwritable(dir.file("read-only"));
    ASSERT_FALSE(canCreateFileIn(dir.file("read-only")));
    expectRefused(dir, {"-o", "read-only/profile.hprof", kTouch, kMarker});
}
