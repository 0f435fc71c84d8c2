// Parsing `hprof scaling` and `hprof check --scaling-budget`, reading max_exponent from a budget
// file, and the {} substitution of the program's arguments.
#include "budget_file.h"
#include "cli_error.h"
#include "command_line.h"
#include "scaling_command.h"
#include "usage_error.h"

#include <gtest/gtest.h>

using namespace hprof;
using namespace hprof::cli;

namespace {

using Args = std::vector<std::string>;

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(ScalingCommandLine, RecordingTakesSizesOptionsAndTheProgram) {
    const Invocation invocation = parseCommandLine({"scaling",  "--sizes",  "1000,2000,4000,8000",
                                                    "--repeat", "3",        "--predict",
                                                    "1000000",  "--expect", "n log n",
                                                    "-o",       "runs",     "--format",
                                                    "json",     "-F",       "4000",
                                                    "--limit",  "0",        "--",
                                                    "./prog",   "--n",      "{}"});
    ASSERT_EQ(invocation.command, Command::Scaling);
    const ScalingCommandOptions& options = invocation.scaling;
    EXPECT_EQ(options.sizes, (std::vector<double>{1000, 2000, 4000, 8000}));
    EXPECT_EQ(options.repeat, 3u);
    EXPECT_EQ(options.predict, std::optional<double>(1000000));
    EXPECT_EQ(options.expect, std::optional<std::string>("n log n"));
    EXPECT_EQ(options.output, "runs");
    EXPECT_EQ(options.format, ReportFormat::Json);
    EXPECT_EQ(options.frequency_hz, 4000u);
    ASSERT_TRUE(options.limit.has_value()); // --limit 0: given, and all rows
    EXPECT_FALSE(options.limit->has_value());
    EXPECT_EQ(options.program, (Args{"./prog", "--n", "{}"}));
    EXPECT_TRUE(options.dir.empty());
}

TEST(ScalingCommandLine, ADirectoryIsReFitted) {
    const Invocation invocation = parseCommandLine({"scaling", "runs", "--format", "csv"});
    EXPECT_EQ(invocation.scaling.dir, "runs");
    EXPECT_TRUE(invocation.scaling.program.empty());
    EXPECT_EQ(invocation.scaling.format, ReportFormat::Csv);
}

TEST(ScalingCommandLine, BadSizesSayWhatToChange) {
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "--sizes", "1000,2000,4000", "--", "p"}),
                         "at least 4 different sizes"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "--sizes", "1000,1010,2000,4000", "--", "p"}),
                         "1000 and 1010 are too close"));
    EXPECT_TRUE(
        mentions(usageErrorOf({"scaling", "--sizes", "1000,1000,2000,4000,8000", "--", "p"}),
                 "names a size twice"));
    EXPECT_TRUE(
        mentions(usageErrorOf({"scaling", "--sizes", "10,x,30,40", "--", "p"}), "bad size 'x'"));
    EXPECT_TRUE(
        mentions(usageErrorOf({"scaling", "--sizes", "0,10,20,40", "--", "p"}), "bad size '0'"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "--", "p"}), "no --sizes given"));
}

TEST(ScalingCommandLine, OtherMistakesAreUsageErrors) {
    EXPECT_TRUE(mentions(usageErrorOf({"scaling"}), "no program given"));
    EXPECT_TRUE(
        mentions(usageErrorOf({"scaling", "--sizes", "1,2,4,8", "--"}), "no program after '--'"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "a", "b"}), "unexpected argument 'b'"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "--sizes", "1,2,4,8", "runs"}),
                         "--sizes and -o are for recording"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "runs", "--expect", "n^4"}), "bad --expect"));
    EXPECT_TRUE(mentions(usageErrorOf({"scaling", "runs", "--predict", "-5"}), "bad --predict"));
}

TEST(ScalingCommandLine, CheckScalingBudgetTakesOneDirectory) {
    const Invocation invocation =
        parseCommandLine({"check", "--scaling-budget", "b.toml", "runs", "--junit", "j.xml"});
    EXPECT_EQ(invocation.command, Command::Check);
    EXPECT_EQ(invocation.check.scaling_budget, "b.toml");
    EXPECT_EQ(invocation.check.current, Args{"runs"});
    EXPECT_TRUE(mentions(usageErrorOf({"check", "--scaling-budget", "b.toml"}),
                         "needs one scaling directory"));
    EXPECT_TRUE(mentions(
        usageErrorOf({"check", "--scaling-budget", "b.toml", "runs", "--baseline", "a.hprof"}),
        "give no --baseline"));
}

TEST(ScalingCommandLine, EveryBraceInTheArgumentsBecomesTheSize) {
    EXPECT_EQ(programForSize({"./{}", "--n={}", "{}x{}", "plain"}, 250),
              (Args{"./{}", "--n=250", "250x250", "plain"}));
}

TEST(ScalingBudgetFile, ReadsMaxExponent) {
    const std::vector<Budget> budgets = parseBudgets("[[budget]]\n"
                                                     "function = \"dedupe\"\n"
                                                     "max_exponent = 1.2\n"
                                                     "[[budget]]\n"
                                                     "regex = \"^sort\"\n"
                                                     "max_exponent = 1\n",
                                                     "b.toml");
    ASSERT_EQ(budgets.size(), 2u);
    EXPECT_DOUBLE_EQ(*budgets[0].max_exponent, 1.2);
    EXPECT_DOUBLE_EQ(*budgets[1].max_exponent, 1.0);
    EXPECT_FALSE(budgets[0].max_self_share);
}

TEST(ScalingBudgetFile, ABadExponentNamesItsLine) {
    for (const std::string value : {"-1", "\"fast\"", "nan"}) {
        try {
            parseBudgets("[[budget]]\nfunction = \"f\"\nmax_exponent = " + value + "\n", "b.toml");
            ADD_FAILURE() << value << ": no error";
        } catch (const BudgetFileError& error) {
            EXPECT_TRUE(mentions(error.what(), "b.toml:3: bad max_exponent")) << error.what();
        }
    }
}

} // namespace
