#include "run_directory.h"
#include "temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>

using namespace hprof::cli;
using hprof::test::TempDir;

namespace {

constexpr uint64_t kMB = 1ull << 20;

// A free-space function over a fixed table: roots missing from it are not writable.
FreeSpaceOf freeSpaceTable(std::map<std::string, uint64_t> table) {
    return [table](const std::string& root) -> std::optional<uint64_t> {
        auto found = table.find(root);
        if (found == table.end())
            return std::nullopt;
        return found->second;
    };
}

} // namespace

TEST(RunDirectory, PrivateUnderHprofTmpdirAndRemovedWithItsContent) {
    TempDir root;
    const char* previous = std::getenv("HPROF_TMPDIR");
    const std::string saved = previous ? previous : "";
    setenv("HPROF_TMPDIR", root.path().c_str(), 1);
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
        setenv("HPROF_TMPDIR", saved.c_str(), 1);
    else
        unsetenv("HPROF_TMPDIR");
}

TEST(RunRoot, HprofTmpdirIsTakenAsItIs) {
    const RunRootChoice choice = chooseRunRoot("/mine", "/tmpdir", freeSpaceTable({}));
    EXPECT_EQ(choice.root, "/mine");
    EXPECT_EQ(choice.why_not_first, "");
}

TEST(RunRoot, DevShmWithRoomComesFirstSilently) {
    const RunRootChoice choice = chooseRunRoot(
        nullptr, "/tmpdir", freeSpaceTable({{"/dev/shm", 300 * kMB}, {"/tmpdir", 900 * kMB}}));
    EXPECT_EQ(choice.root, "/dev/shm");
    EXPECT_EQ(choice.why_not_first, "");
}

TEST(RunRoot, SmallDevShmFallsBackToTmpdirAndSaysWhy) {
    const RunRootChoice choice = chooseRunRoot(
        nullptr, "/tmpdir", freeSpaceTable({{"/dev/shm", 64 * kMB}, {"/tmpdir", 900 * kMB}}));
    EXPECT_EQ(choice.root, "/tmpdir");
    EXPECT_EQ(choice.why_not_first, "/dev/shm has 64 MB free, less than 256 MB");
}

TEST(RunRoot, UnwritableDevShmAndNoTmpdirFallBackToTmp) {
    const RunRootChoice choice = chooseRunRoot(nullptr, "", freeSpaceTable({{"/tmp", 900 * kMB}}));
    EXPECT_EQ(choice.root, "/tmp");
    EXPECT_EQ(choice.why_not_first, "/dev/shm is not writable");
}

TEST(RunRoot, AllSmallTakesTheRoomiest) {
    const RunRootChoice choice = chooseRunRoot(
        nullptr, "/tmpdir",
        freeSpaceTable({{"/dev/shm", 64 * kMB}, {"/tmpdir", 100 * kMB}, {"/tmp", 10 * kMB}}));
    EXPECT_EQ(choice.root, "/tmpdir");
    EXPECT_NE(choice.why_not_first.find("taking the roomiest"), std::string::npos);
}
