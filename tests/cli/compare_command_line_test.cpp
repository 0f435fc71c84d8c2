// Parsing `hprof diff` and `hprof check`.
#include "cli_error.h"
#include "command_line.h"
#include "usage_error.h"

#include <gtest/gtest.h>

using namespace hprof::cli;

namespace {

using Args = std::vector<std::string>;

TEST(CompareCommandLine, DiffTakesTwoProfilesFormatAndLimit) {
    const Invocation invocation =
        parseCommandLine({"diff", "a.hprof", "b.hprof", "--format", "csv", "--limit", "5"});
    EXPECT_EQ(invocation.command, Command::Diff);
    EXPECT_EQ(invocation.diff.before, "a.hprof");
    EXPECT_EQ(invocation.diff.after, "b.hprof");
    EXPECT_EQ(invocation.diff.format, CompareFormat::Csv);
    EXPECT_EQ(invocation.diff.limit, std::optional<size_t>(5));
    EXPECT_NE(usageErrorOf({"diff", "a.hprof"}).find("needs two profiles"), std::string::npos);
    EXPECT_NE(usageErrorOf({"diff", "a", "b", "c"}).find("unexpected argument 'c'"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"diff", "a", "b", "--format", "xml"}).find("bad format"),
              std::string::npos);
}

TEST(CompareCommandLine, CheckCollectsBaselinesAfterTheOption) {
    const Invocation invocation =
        parseCommandLine({"check", "cur.hprof", "--baseline", "a.hprof", "b.hprof", "--threshold",
                          "20%", "--min-share", "0.5%", "--fail-on-inconclusive", "--format",
                          "json", "--junit", "out.xml"});
    EXPECT_EQ(invocation.command, Command::Check);
    const CheckCommandOptions& check = invocation.check;
    EXPECT_EQ(check.current, Args{"cur.hprof"});
    EXPECT_EQ(check.baselines, (Args{"a.hprof", "b.hprof"}));
    EXPECT_DOUBLE_EQ(check.threshold, 0.20);
    EXPECT_DOUBLE_EQ(check.min_share, 0.005);
    EXPECT_TRUE(check.fail_on_inconclusive);
    EXPECT_EQ(check.format, CompareFormat::Json);
    EXPECT_EQ(check.junit, "out.xml");
    EXPECT_TRUE(check.program.empty());
}

TEST(CompareCommandLine, CheckRecordsTheProgramAfterDoubleDash) {
    const Invocation invocation = parseCommandLine(
        {"check", "--baseline", "a.hprof", "-o", "now.hprof", "--", "./prog", "--baseline", "x"});
    EXPECT_EQ(invocation.check.program, (Args{"./prog", "--baseline", "x"}));
    EXPECT_EQ(invocation.check.baselines, Args{"a.hprof"});
    EXPECT_EQ(invocation.check.output, "now.hprof");
    EXPECT_TRUE(invocation.check.current.empty());
}

TEST(CompareCommandLine, CheckRefusesIncompleteOrContradictoryArguments) {
    EXPECT_NE(usageErrorOf({"check", "cur.hprof"}).find("no baseline"), std::string::npos);
    EXPECT_NE(usageErrorOf({"check", "--baseline", "a"}).find("no current profile"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"check", "--baseline", "a", "--"}).find("no program"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"check", "c", "--baseline", "a", "--", "./p"}).find("not both"),
              std::string::npos);
    for (const char* bad : {"0", "abc", "150%", "-5%", "%"})
        EXPECT_NE(usageErrorOf({"check", "c", "--baseline", "a", "--threshold", bad})
                      .find("bad --threshold"),
                  std::string::npos)
            << bad;
    EXPECT_NE(usageErrorOf({"check", "c", "--baseline", "a", "--format", "csv"})
                  .find("expected text or json"),
              std::string::npos);
}

TEST(CompareCommandLine, CheckTakesACpuThresholdAndRepeatsTheProgram) {
    const Invocation invocation =
        parseCommandLine({"check", "--baseline", "a.hprof", "--cpu-threshold", "40%", "--repeat",
                          "3", "--", "./prog"});
    EXPECT_DOUBLE_EQ(invocation.check.cpu_threshold, 0.40);
    EXPECT_EQ(invocation.check.repeat, 3u);
    EXPECT_DOUBLE_EQ(parseCommandLine({"check", "c", "--baseline", "a", "--cpu-threshold", "0"})
                         .check.cpu_threshold,
                     0.0); // 0 turns the CPU check off
    EXPECT_DOUBLE_EQ(parseCommandLine({"check", "c", "--baseline", "a"}).check.cpu_threshold, 0.25);
    EXPECT_NE(usageErrorOf({"check", "c", "--baseline", "a", "--repeat", "2"})
                  .find("--repeat runs a program"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"check", "--baseline", "a", "--repeat", "0", "--", "./p"})
                  .find("bad --repeat"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"check", "c", "--baseline", "a", "--cpu-threshold", "x"})
                  .find("bad --cpu-threshold"),
              std::string::npos);
}

// The recorded runs sample at -F, 2 kHz unless given; -F means nothing for recorded profiles.
TEST(CompareCommandLine, CheckTakesTheRecordedRunsRate) {
    EXPECT_EQ(parseCommandLine({"check", "--baseline", "a", "-F", "4000", "--", "./p"})
                  .check.frequency_hz,
              4000u);
    EXPECT_FALSE(parseCommandLine({"check", "--baseline", "a", "--", "./p"}).check.frequency_hz);
    EXPECT_NE(
        usageErrorOf({"check", "c", "--baseline", "a", "-F", "2000"}).find("-F samples a program"),
        std::string::npos);
    EXPECT_NE(
        usageErrorOf({"check", "--baseline", "a", "-F", "0", "--", "./p"}).find("bad frequency"),
        std::string::npos);
}

TEST(CompareCommandLine, HelpTopics) {
    EXPECT_EQ(parseCommandLine({"help", "check"}).help_topic, "check");
    EXPECT_EQ(parseCommandLine({"diff", "--help"}).help_topic, "diff");
}

} // namespace
