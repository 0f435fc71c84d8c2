#include "files.h"
#include "output_file.h"
#include "temp_dir.h"

#include "hprof/error.h"

#include <filesystem>
#include <gtest/gtest.h>

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
