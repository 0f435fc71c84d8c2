// readAnyProfile recognises files by content: an .hprof file is read as such whatever its name,
// an imported profile written by hprof keeps what its source lacked, anything else is refused.
#include "hprof/error.h"
#include "hprof/import.h"
#include "hprof/profile_builder.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

std::string errorOf(const std::string& path) {
    try {
        readAnyProfile(path);
    } catch (const Error& error) {
        return error.what();
    }
    return "";
}

TEST(Detection, ReadsHprofFilesWhateverTheirName) {
    test::TempDir dir;
    ProfileBuilder builder;
    builder.profile().run.source = "perf script";
    builder.profile().run.missing.call_counts = true;
    builder.profile().run.missing.run_times = true;
    const std::string path = dir.file("looks-like.prof");
    writeProfile(builder.take(), path);
    EXPECT_EQ(detectProfileFormat(path), ProfileFormat::Hprof);
    const Profile read = readAnyProfile(path);
    EXPECT_EQ(read.run.source, "perf script");
    EXPECT_EQ(read.run.missing, (SourceGaps{.call_counts = true, .run_times = true}));
}

TEST(Detection, RecognisesEachFormatByItsFirstBytes) {
    test::TempDir dir;
    EXPECT_EQ(detectProfileFormat(dir.writeFile("a", std::string("{)\x03", 3))),
              ProfileFormat::Pstats);
    EXPECT_EQ(detectProfileFormat(dir.writeFile("b", "prog 1/1 10.000001: 1 cpu-clock:\n")),
              ProfileFormat::PerfScript);
    EXPECT_EQ(detectProfileFormat(
                  dir.writeFile("c", std::string(8, '\0') + "\x03" + std::string(15, '\0'))),
              ProfileFormat::Gperftools);
    EXPECT_EQ(detectProfileFormat(dir.writeFile("d", "just some text\n")), ProfileFormat::Unknown);
}

TEST(Detection, RefusesWhatItCannotRead) {
    test::TempDir dir;
    const std::string unknown = errorOf(dir.writeFile("notes.txt", "just some text\n"));
    EXPECT_EQ(unknown, dir.file("notes.txt") +
                           ": not a profile hprof can read (neither .hprof nor pstats, perf "
                           "script or gperftools CPU profile)");
    EXPECT_NE(errorOf(dir.writeFile("empty", "")).find("not a profile hprof can read"),
              std::string::npos);
    EXPECT_EQ(errorOf(dir.path()), dir.path() + ": not a regular file");
    EXPECT_NE(errorOf(dir.file("missing")).find("No such file or directory"), std::string::npos);
}

} // namespace
} // namespace hprof
