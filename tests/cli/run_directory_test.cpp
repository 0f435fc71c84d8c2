#include "run_directory.h"
#include "temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace hprof::cli;
using hprof::test::TempDir;

TEST(RunDirectory, PrivateUnderTmpdirAndRemovedWithItsContent) {
    TempDir root;
    const char* previous = std::getenv("TMPDIR");
    const std::string saved = previous ? previous : "";
    setenv("TMPDIR", root.path().c_str(), 1);
    std::string path;
    {
        const RunDirectory run_dir;
        path = run_dir.path();
        EXPECT_EQ(path.rfind(root.path() + "/hprof-run-", 0), 0u) << path;
        const auto permissions = std::filesystem::status(path).permissions();
        EXPECT_EQ(permissions, std::filesystem::perms::owner_all);
        std::ofstream(path + "/123.raw") << "data";
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    if (previous)
        setenv("TMPDIR", saved.c_str(), 1);
    else
        unsetenv("TMPDIR");
}
