// End-to-end tests of `hprof record` with the real probe, found next to the hprof executable.
#include "files.h"
#include "hprof_runs.h"
#include "temp_dir.h"

#include "hprof/profile_io.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <regex>

using namespace hprof::test;

namespace {

const std::string kProgram = CLI_TEST_PROGRAM;

class HprofRecord : public ::testing::Test {
  protected:
    HprofRecord() {
        std::filesystem::create_directory(root.file("work"));
        std::filesystem::create_directory(root.file("tmp"));
        options.working_dir = root.file("work");
        options.environment["HPROF_TMPDIR"] = root.file("tmp");
        options.environment["HPROF_PROBE"] = std::nullopt; // the real probe, next to hprof
    }

    std::string workFile(const std::string& name) const { return root.file("work/" + name); }

    CommandResult run(const std::vector<std::string>& args) const {
        return runCommand(hprofCommand(args), options);
    }

    TempDir root;
    ChildOptions options;
};

// The sample count of the final "profile written" line, or -1 when it is not the last line.
long writtenSamples(const std::string& err, const std::string& output) {
    const auto lines = linesOf(err);
    std::smatch match;
    const std::regex written("hprof: profile written to " + output + " \\(([0-9]+) samples\\)");
    if (lines.empty() || !std::regex_match(lines.back(), match, written))
        return -1;
    return std::stol(match[1]);
}

} // namespace

TEST_F(HprofRecord, WritesAProfileAndKeepsStdoutClean) {
    const CommandResult result = run({kProgram, "burn", "300"});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(result.out, "burned\n"); // the table went to stderr
    EXPECT_GT(linesOf(result.err).size(), 2u) << result.err;
    EXPECT_GT(writtenSamples(result.err, "profile.hprof"), 0) << result.err;
    EXPECT_TRUE(std::filesystem::is_empty(root.file("tmp")));

    const CommandResult report = run({"report", "profile.hprof", "--limit", "0"});
    EXPECT_EQ(report.status, 0) << report.err;
    EXPECT_NE(report.out.find("burn_cpu"), std::string::npos) << report.out;
}

TEST_F(HprofRecord, RunInfoDescribesTheRun) {
    const std::vector<std::string> command{kProgram, "burn", "200"};
    std::vector<std::string> args{"-q", "-F", "500", "-o", "run.hprof"};
    args.insert(args.end(), command.begin(), command.end());
    ASSERT_EQ(run(args).status, 0);
    const hprof::RunInfo info = hprof::readProfile(workFile("run.hprof")).run;
    EXPECT_EQ(info.command, command);
    EXPECT_EQ(info.frequency_hz, 500u);
    EXPECT_EQ(info.exit_status, 0);
    EXPECT_EQ(info.hprof_version, HPROF_VERSION);
    EXPECT_FALSE(info.host.empty());
    EXPECT_GE(info.cpu_ns, 180'000'000); // kernel accounting may round a little
    EXPECT_GE(info.wall_ns, 200'000'000);
    EXPECT_GT(info.start_time_unix_ns, 1'600'000'000'000'000'000);
}

TEST_F(HprofRecord, ExistingProfileBecomesOld) {
    ASSERT_EQ(run({"-q", kProgram, "exit", "0"}).status, 0);
    const std::string first = readFile(workFile("profile.hprof"));
    const CommandResult second = run({"-q", kProgram, "exit", "0"});
    EXPECT_EQ(second.status, 0);
    const auto lines = linesOf(second.err);
    ASSERT_EQ(lines.size(), 2u) << second.err;
    EXPECT_EQ(lines[0], "hprof: renamed the existing profile.hprof to profile.hprof.old");
    EXPECT_GE(writtenSamples(second.err, "profile.hprof"), 0) << second.err;
    EXPECT_EQ(readFile(workFile("profile.hprof.old")), first);
    EXPECT_TRUE(std::filesystem::exists(workFile("profile.hprof")));
}

TEST_F(HprofRecord, ProgramStatusPassesThroughWithAProfile) {
    const CommandResult result = run({"-q", kProgram, "exit", "5"});
    EXPECT_EQ(result.status, 5);
    EXPECT_GE(writtenSamples(result.err, "profile.hprof"), 0) << result.err;
    EXPECT_EQ(hprof::readProfile(workFile("profile.hprof")).run.exit_status, 5);
}
