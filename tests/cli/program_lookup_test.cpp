#include "program_lookup.h"
#include "temp_dir.h"

#include "hprof/error.h"

#include <filesystem>
#include <gtest/gtest.h>

using namespace hprof::cli;
using hprof::test::TempDir;

namespace {

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const hprof::Error& error) {
        return error.what();
    }
    return "no error";
}

struct SearchPath {
    TempDir first, second;
    std::string value() const { return first.path() + ":" + second.path(); }
};

} // namespace

TEST(FindProgram, NameWithSlashIsTakenAsIs) {
    EXPECT_EQ(findProgram("./does-not-exist", "/bin"), "./does-not-exist");
    EXPECT_EQ(findProgram("sub/prog", nullptr), "sub/prog");
}

TEST(FindProgram, FirstExecutableInPathOrderWins) {
    SearchPath path;
    path.first.writeFile("tool", "#!/bin/sh\n", 0644); // not executable: skipped
    const std::string wanted = path.second.writeFile("tool", "#!/bin/sh\n", 0755);
    EXPECT_EQ(findProgram("tool", path.value().c_str()), wanted);
    const std::string earlier = path.first.writeFile("tool2", "#!/bin/sh\n", 0755);
    path.second.writeFile("tool2", "#!/bin/sh\n", 0755);
    EXPECT_EQ(findProgram("tool2", path.value().c_str()), earlier);
}

TEST(FindProgram, DirectoriesAreNotPrograms) {
    SearchPath path;
    std::filesystem::create_directory(path.first.file("tool"));
    const std::string wanted = path.second.writeFile("tool", "#!/bin/sh\n", 0755);
    EXPECT_EQ(findProgram("tool", path.value().c_str()), wanted);
}

TEST(FindProgram, OnlyNonExecutableFoundIsReturnedForItsError) {
    SearchPath path;
    const std::string plain = path.second.writeFile("tool", "data", 0644);
    EXPECT_EQ(findProgram("tool", path.value().c_str()), plain);
    EXPECT_EQ(errorOf([&] { checkProgram(plain); }),
              plain + ": not executable (Permission denied)");
}

TEST(FindProgram, NotFound) {
    SearchPath path;
    EXPECT_EQ(errorOf([&] { findProgram("tool", path.value().c_str()); }),
              "tool: command not found in PATH");
    EXPECT_EQ(errorOf([] { findProgram("", "/bin"); }), "empty program name");
}

TEST(FindProgram, UnsetPathSearchesBinAndUsrBin) {
    const std::string found = findProgram("sh", nullptr);
    EXPECT_TRUE(found == "/bin/sh" || found == "/usr/bin/sh") << found;
}

TEST(CheckProgram, AcceptsAnExecutable) {
    TempDir dir;
    const std::string program = dir.writeFile("prog", "#!/bin/sh\n", 0755);
    EXPECT_NO_THROW(checkProgram(program));
}

TEST(CheckProgram, RejectsMissingAndDirectories) {
    TempDir dir;
    EXPECT_EQ(errorOf([&] { checkProgram(dir.file("none")); }),
              dir.file("none") + ": No such file or directory");
    EXPECT_EQ(errorOf([&] { checkProgram(dir.path()); }), dir.path() + ": is a directory");
}

TEST(CheckProgram, RejectsSetuidAndSetgid) {
    TempDir dir;
    for (const int mode : {04755, 02755}) {
        const std::string program = dir.writeFile("prog", "#!/bin/sh\n", mode);
        EXPECT_EQ(errorOf([&] { checkProgram(program); }),
                  program + ": setuid/setgid program; LD_PRELOAD cannot enter setuid/setgid "
                            "programs")
            << std::oct << mode;
    }
}
