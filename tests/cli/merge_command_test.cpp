// `hprof merge`: parsing, and runMerge on synthetic rank profiles written to files.
#include "command_line.h"
#include "files.h"
#include "help.h"
#include "merge_command.h"
#include "rank_profiles.h"
#include "temp_dir.h"
#include "usage_error.h"

#include "hprof/profile_io.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

using namespace hprof::cli;
using hprof::Profile;
using hprof::test::rankProfile;
using hprof::test::TempDir;

namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kStart = 1'700'000'000'000'000'000;

// Ranks 0 and 1, rank 1 started 4 ms later; returns their paths.
std::vector<std::string> writeTwoRanks(const TempDir& dir) {
    hprof::writeProfile(rankProfile({.rank = 0, .start_unix_ns = kStart, .compute_ms = 10}),
                        dir.file("job-0.hprof"));
    hprof::writeProfile(
        rankProfile({.rank = 1, .start_unix_ns = kStart + 4 * kMs, .compute_ms = 20}),
        dir.file("job-1.hprof"));
    return {dir.file("job-0.hprof"), dir.file("job-1.hprof")};
}

std::string mergeErrorOf(const MergeCommandOptions& options) {
    try {
        runMerge(options);
    } catch (const hprof::Error& error) {
        return error.what();
    }
    return "no error";
}

TEST(MergeCommandLine, TakesFilesAndARequiredOutput) {
    const Invocation invocation =
        parseCommandLine({"merge", "job-0.hprof", "-o", "job.hprof", "job-1.hprof"});
    EXPECT_EQ(invocation.command, Command::Merge);
    EXPECT_EQ(invocation.merge.files, (std::vector<std::string>{"job-0.hprof", "job-1.hprof"}));
    EXPECT_EQ(invocation.merge.output, "job.hprof");
    EXPECT_NE(usageErrorOf({"merge", "a.hprof"}).find("no output given (-o OUT)"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"merge", "-o", "out"}).find("no profile files given"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"merge", "a", "-o", "b", "--sort", "x"}).find("sort"),
              std::string::npos);
}

TEST(MergeCommandLine, HasItsHelp) {
    EXPECT_EQ(parseCommandLine({"help", "merge"}).help_topic, "merge");
    EXPECT_EQ(parseCommandLine({"merge", "--help"}).help_topic, "merge");
    std::ostringstream out;
    printHelp("merge", out);
    EXPECT_EQ(out.str().rfind("usage: hprof merge FILES... -o OUT", 0), 0u) << out.str();
    std::ostringstream top;
    printHelp("", top);
    EXPECT_NE(top.str().find("hprof merge FILES... -o OUT"), std::string::npos);
}

TEST(MergeCommand, WritesOneProfileWithEveryInputsProcessAligned) {
    TempDir dir;
    const MergeCommandOptions options{writeTwoRanks(dir), dir.file("job.hprof")};
    EXPECT_EQ(runMerge(options), 0);
    const Profile job = hprof::readProfile(options.output);
    ASSERT_EQ(job.processes.size(), 2u);
    EXPECT_EQ(job.processes[0].pid, 1000);
    EXPECT_EQ(job.processes[1].pid, 1001);
    EXPECT_EQ(job.processes[0].rank, 0);
    EXPECT_EQ(job.processes[1].rank, 1);
    EXPECT_EQ(job.processes[1].host, "node1");
    EXPECT_EQ(job.run.job_id, "42");
    EXPECT_EQ(job.run.world_size, 4);
    EXPECT_EQ(job.processes[1].start_ns, 4 * kMs);
    EXPECT_EQ(job.run.start_time_unix_ns, kStart);
    EXPECT_EQ(job.run.wall_ns, 24 * kMs);
    EXPECT_EQ(job.run.cpu_ns, 30 * kMs);
    EXPECT_EQ(job.samples.size(), 30u);
}

TEST(MergeCommand, AnExistingOutputIsKeptAsOld) {
    TempDir dir;
    const MergeCommandOptions options{writeTwoRanks(dir), dir.file("job.hprof")};
    dir.writeFile("job.hprof", "earlier");
    runMerge(options);
    EXPECT_EQ(hprof::test::readFile(dir.file("job.hprof.old")), "earlier");
    EXPECT_EQ(hprof::readProfile(options.output).processes.size(), 2u);
}

TEST(MergeCommand, AMissingOrCorruptInputIsOneLineNamingItAndWritesNothing) {
    TempDir dir;
    std::vector<std::string> files = writeTwoRanks(dir);
    files.push_back(dir.file("job-2.hprof"));
    const std::string missing = mergeErrorOf({files, dir.file("job.hprof")});
    EXPECT_EQ(missing, dir.file("job-2.hprof") + ": No such file or directory");
    std::string truncated = hprof::test::readFile(files[1]);
    truncated.resize(truncated.size() / 2);
    dir.writeFile("job-2.hprof", truncated);
    const std::string corrupt = mergeErrorOf({files, dir.file("job.hprof")});
    EXPECT_EQ(corrupt.rfind(dir.file("job-2.hprof") + ": ", 0), 0u) << corrupt;
    EXPECT_EQ(corrupt.find('\n'), std::string::npos) << corrupt;
    EXPECT_FALSE(std::filesystem::exists(dir.file("job.hprof")));
}

TEST(MergeCommand, AnUnwritableOutputFailsBeforeReading) {
    TempDir dir;
    const std::string error = mergeErrorOf({{dir.file("absent.hprof")}, dir.file("no/job.hprof")});
    EXPECT_EQ(error.rfind("cannot write output " + dir.file("no/job.hprof"), 0), 0u) << error;
}

} // namespace
