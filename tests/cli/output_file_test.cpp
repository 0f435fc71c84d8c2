#include "files.h"
#include "output_file.h"
#include "temp_dir.h"

#include "hprof/error.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hprof::cli;
using hprof::test::readFile;
using hprof::test::TempDir;

TEST(OutputFile, BackupIsDotOld) {
    EXPECT_EQ(backupPath("profile.hprof"), "profile.hprof.old");
    EXPECT_EQ(backupPath("/a/b"), "/a/b.old");
}

TEST(OutputFile, NothingToMoveAside) {
    TempDir dir;
    EXPECT_EQ(moveAsideExisting(dir.file("p.hprof")), std::nullopt);
    EXPECT_FALSE(std::filesystem::exists(dir.file("p.hprof.old")));
}

TEST(OutputFile, ExistingProfileReplacesTheOldBackup) {
    TempDir dir;
    dir.writeFile("p.hprof", "new", 0644);
    dir.writeFile("p.hprof.old", "older", 0644);
    EXPECT_EQ(moveAsideExisting(dir.file("p.hprof")), dir.file("p.hprof.old"));
    EXPECT_FALSE(std::filesystem::exists(dir.file("p.hprof")));
    EXPECT_EQ(readFile(dir.file("p.hprof.old")), "new");
}

TEST(OutputFile, WritableDirectoryPassesAndStaysClean) {
    TempDir dir;
    EXPECT_NO_THROW(checkOutputWritable(dir.file("p.hprof")));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(OutputFile, MissingDirectoryFails) {
    TempDir dir;
    const std::string output = dir.file("missing/p.hprof");
    try {
        checkOutputWritable(output);
        FAIL() << "no error";
    } catch (const hprof::Error& error) {
        EXPECT_EQ(std::string(error.what()),
                  "cannot write output " + output + ": No such file or directory");
    }
}

TEST(OutputFile, DirectoryAsOutputFails) {
    TempDir dir;
    EXPECT_THROW(checkOutputWritable(dir.path()), hprof::Error);
}

// A symbolic link is never renamed or replaced: the regular file it leads to is rotated.
TEST(OutputFile, SymbolicLinkStaysAndItsTargetIsRotated) {
    TempDir dir;
    dir.writeFile("real.hprof", "previous", 0644);
    std::filesystem::create_symlink("real.hprof", dir.file("link.hprof"));
    EXPECT_NO_THROW(checkOutputWritable(dir.file("link.hprof")));
    const auto backup = saveProfile(hprof::Profile{}, dir.file("link.hprof"));
    EXPECT_TRUE(std::filesystem::is_symlink(dir.file("link.hprof")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("link.hprof.old")));
    ASSERT_TRUE(backup.has_value());
    EXPECT_EQ(std::filesystem::path(*backup).filename(), "real.hprof.old");
    EXPECT_EQ(readFile(dir.file("real.hprof.old")), "previous");
    EXPECT_NE(readFile(dir.file("real.hprof")), "previous");
}

TEST(OutputFile, SymbolicLinkToNothingIsRefused) {
    TempDir dir;
    std::filesystem::create_symlink("missing.hprof", dir.file("link.hprof"));
    try {
        checkOutputWritable(dir.file("link.hprof"));
        FAIL() << "no error";
    } catch (const hprof::Error& error) {
        EXPECT_EQ(std::string(error.what()),
                  "output " + dir.file("link.hprof") +
                      ": is a symbolic link to nothing (hprof writes regular files, character "
                      "devices and FIFOs)");
    }
}

// Nothing but the new profile is left in the directory: no temporary file.
TEST(OutputFile, SavedProfileLeavesNoTemporaryFile) {
    TempDir dir;
    EXPECT_EQ(saveProfile(hprof::Profile{}, dir.file("p.hprof")), std::nullopt);
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        names.push_back(entry.path().filename());
    EXPECT_EQ(names, std::vector<std::string>{"p.hprof"});
}

// Over a file size limit (ulimit -f) writing fails with one error and the existing files stay,
// instead of SIGXFSZ killing hprof halfway through. In a child, which the limit would kill.
TEST(OutputFile, FileSizeLimitIsAnErrorThatLeavesTheFilesAlone) {
    TempDir dir;
    dir.writeFile("p.hprof", "previous", 0644);
    dir.writeFile("p.hprof.old", "older", 0644);
    hprof::Profile profile;
    profile.run.command = {std::string(100000, 'x')}; // a profile of more than 64 KiB
    const pid_t child = fork();
    if (child == 0) {
        alarm(20);
        const rlimit limit{65536, 65536};
        setrlimit(RLIMIT_FSIZE, &limit);
        try {
            saveProfile(profile, dir.file("p.hprof"));
        } catch (const hprof::Error& error) {
            const std::string message = error.what();
            _exit(message == "cannot write output " + dir.file("p.hprof") + ": File too large; " +
                                 dir.file("p.hprof") + " and " + dir.file("p.hprof.old") +
                                 " are left as they were"
                      ? 0
                      : 1);
        }
        _exit(2);
    }
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
    EXPECT_EQ(readFile(dir.file("p.hprof")), "previous");
    EXPECT_EQ(readFile(dir.file("p.hprof.old")), "older");
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"p.hprof", "p.hprof.old"}));
}
