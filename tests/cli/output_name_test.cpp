// `hprof record -o` names for MPI jobs and task farms (output_name.h): %r %h %p %j %% and
// directory targets; a bad template is a usage error before anything runs.
#include "output_name.h"
#include "temp_dir.h"
#include "usage_error.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace hprof::cli {
namespace {

const OutputNameFields kRank2{"app", "node-1", 2, "77", 4242};
const OutputNameFields kNoJob{"app", "node-1", -1, "", 4242};

TEST(OutputName, ExpandsEveryField) {
    EXPECT_EQ(outputName("job-%j-%r-%h-%p-%%.hprof", kRank2), "job-77-2-node-1-4242-%.hprof");
    EXPECT_EQ(outputName("plain.hprof", kRank2), "plain.hprof");
    EXPECT_EQ(outputName("%r%r", kRank2), "22");
}

// A run outside a job is rank 0 of 1, as an MPI program started without a launcher is.
TEST(OutputName, ARankLessRunIsRankZeroWithNoJobId) {
    EXPECT_EQ(outputName("job-%r.hprof", kNoJob), "job-0.hprof");
    EXPECT_EQ(outputName("job%j-%r.hprof", kNoJob), "job-0.hprof");
}

TEST(OutputName, ADirectoryTargetNamesTheFile) {
    EXPECT_EQ(outputName("out/", kRank2), "out/app-node-1-r2-4242.hprof");
    EXPECT_EQ(outputName("out-%j/", kRank2), "out-77/app-node-1-r2-4242.hprof");
    EXPECT_EQ(outputName("out/", kNoJob), "out/app-node-1-4242.hprof");
    const test::TempDir dir;
    EXPECT_EQ(outputName(dir.path(), kRank2), dir.path() + "/app-node-1-r2-4242.hprof");
    EXPECT_TRUE(isDirectoryTarget(dir.path()));
    EXPECT_FALSE(isDirectoryTarget(dir.file("missing")));
}

TEST(OutputName, SlashesInFieldsDoNotMakeDirectories) {
    const OutputNameFields odd{"a/b", "h/x", 0, "", 1};
    EXPECT_EQ(outputName("d/", odd), "d/a_b-h_x-r0-1.hprof");
}

TEST(OutputName, MakesADirectoryTargetOnlyWhenItEndsWithASlash) {
    const test::TempDir dir;
    makeDirectoryTarget(dir.file("job-%j/"), kRank2);
    EXPECT_TRUE(std::filesystem::is_directory(dir.file("job-77")));
    makeDirectoryTarget(dir.file("job-%j/"), kRank2); // another rank made it first: fine
    makeDirectoryTarget(dir.file("file-%r.hprof"), kRank2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("file-2.hprof")));
    EXPECT_THROW(makeDirectoryTarget(dir.file("no/such/"), kRank2), Error);
}

TEST(OutputName, BadTemplatesAreUsageErrors) {
    EXPECT_EQ(usageErrorOf({"record", "-o", "x%q.hprof", "p"}),
              "record: unknown '%q' in output name 'x%q.hprof' (expected %r, %h, %p, %j or %%) "
              "(see hprof record --help)");
    EXPECT_EQ(usageErrorOf({"-o", "x%", "p"}),
              "output name 'x%' ends with a lone '%' (write %% for a '%') (see hprof --help)");
    EXPECT_EQ(usageErrorOf({"-o", "a%%b-%r-%h-%p-%j", "p"}), "no error");
}

} // namespace
} // namespace hprof::cli
