// Reading hprof-budget.toml: the budgets it holds, and one-line errors naming the line.
#include "budget_file.h"
#include "cli_error.h"
#include "command_line.h"

#include <gtest/gtest.h>

using namespace hprof;
using namespace hprof::cli;

namespace {

std::string errorOf(const std::string& text) {
    try {
        parseBudgets(text, "b.toml");
    } catch (const BudgetFileError& error) {
        return error.what();
    }
    return "no error";
}

TEST(BudgetFile, ReadsEveryKindOfLimit) {
    const std::vector<Budget> budgets = parseBudgets(R"(# budgets
[[budget]]
function = "hot_path"
max_self_share = "15%"
max_inclusive_share = 0.4

[[budget]]
regex = "^parse_.*"
max_ncalls = 1000
max_growth = "120%"
)",
                                                     "b.toml");
    ASSERT_EQ(budgets.size(), 2u);
    EXPECT_EQ(budgets[0].pattern, "hot_path");
    EXPECT_EQ(budgets[0].kind, NameMatcher::Kind::Substring);
    EXPECT_EQ(budgets[0].line, 2u);
    EXPECT_DOUBLE_EQ(*budgets[0].max_self_share, 0.15);
    EXPECT_DOUBLE_EQ(*budgets[0].max_inclusive_share, 0.4);
    EXPECT_FALSE(budgets[0].max_ncalls);
    EXPECT_EQ(budgets[1].kind, NameMatcher::Kind::Regex);
    EXPECT_EQ(budgets[1].line, 7u);
    EXPECT_EQ(budgets[1].max_ncalls, std::optional<uint64_t>(1000));
    EXPECT_DOUBLE_EQ(*budgets[1].max_growth, 1.2);
}

TEST(BudgetFile, ErrorsNameTheFileAndLine) {
    EXPECT_EQ(
        errorOf("[[budget]]\nfunction = \"f\"\nmax_self_share = = 3\n").rfind("b.toml:3: ", 0), 0u);
    EXPECT_EQ(errorOf("[[budget]]\nfunction = \"f\"\n\nmax_self_shar = \"5%\"\n"),
              "b.toml:4: unknown key 'max_self_shar' in a budget");
    EXPECT_EQ(errorOf("[[budget]]\nfunction = \"f\"\nmax_self_share = \"150%\"\n")
                  .rfind("b.toml:3: bad max_self_share", 0),
              0u);
    EXPECT_EQ(errorOf("[[budget]]\nfunction = \"f\"\nmax_self_share = \"abc%\"\n")
                  .rfind("b.toml:3: bad max_self_share", 0),
              0u);
    EXPECT_EQ(errorOf("[[budget]]\nfunction = \"f\"\nmax_ncalls = -1\n")
                  .rfind("b.toml:3: bad max_ncalls", 0),
              0u);
    EXPECT_EQ(errorOf("\n[[budget]]\nfunction = \"f\"\nregex = \"g\"\nmax_ncalls = 1\n"),
              "b.toml:4: a budget has either function or regex, not both");
    EXPECT_EQ(
        errorOf("\n\n[[budget]]\nmax_ncalls = 1\n").rfind("b.toml:3: a budget needs function", 0),
        0u);
    EXPECT_EQ(
        errorOf("[[budget]]\nfunction = \"f\"\n").rfind("b.toml:1: a budget needs a limit", 0), 0u);
    EXPECT_EQ(errorOf("[[budget]]\nregex = \"((\"\nmax_ncalls = 1\n")
                  .rfind("b.toml:1: bad regular expression", 0),
              0u);
    EXPECT_EQ(errorOf("budget = 3\n").rfind("b.toml:1: unknown key 'budget'", 0), 0u);
    EXPECT_EQ(errorOf(""), "b.toml:1: no [[budget]] tables");
    for (const std::string& text : {errorOf("[[budget]]\nfunction = 3\nmax_ncalls = 1\n")})
        EXPECT_EQ(text.find('\n'), std::string::npos) << text;
}

TEST(BudgetFile, AnUnreadableFileIsAnError) {
    EXPECT_THROW(readBudgetFile("/nonexistent/hprof-budget.toml"), BudgetFileError);
    try {
        readBudgetFile("/");
        ADD_FAILURE() << "a directory was read";
    } catch (const BudgetFileError& error) {
        EXPECT_STREQ(error.what(), "/: cannot read the budget file");
    }
}

TEST(BudgetFile, CheckNeedsNoBaselineWithABudget) {
    const Invocation invocation =
        parseCommandLine({"check", "cur.hprof", "--budget", "hprof-budget.toml"});
    EXPECT_EQ(invocation.check.budget, "hprof-budget.toml");
    EXPECT_TRUE(invocation.check.baselines.empty());
    EXPECT_THROW(parseCommandLine({"check", "cur.hprof"}), UsageError);
}

} // namespace
