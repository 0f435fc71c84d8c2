// `hprof check --budget FILE` end to end on check_target: hot_path holds about half of the CPU
// time (inclusive; its leaf samples are in the inlined burn loop), so a 15% budget is exceeded
// and a 90% one is not, whatever the machine's load.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

using namespace hprof::test;

namespace {

class Budget : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        const CommandResult run =
            runHprof({"-q", "-o", "current.hprof", samplePath("check_target"), "1"}, *dir_);
        ASSERT_EQ(run.status, 0) << run.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static CommandResult
    check(const std::string& budget_text, const std::vector<std::string>& more = {},
          const std::map<std::string, std::optional<std::string>>& environment = {
              {"GITHUB_ACTIONS", std::nullopt}}) {
        dir_->writeFile("hprof-budget.toml", budget_text);
        std::vector<std::string> args = {"check", "current.hprof", "--budget", "hprof-budget.toml"};
        args.insert(args.end(), more.begin(), more.end());
        return runCommand(hprofCommand(args), {dir_->path(), environment});
    }
    // "testsuite-name tests failures" per suite, then the names of the failed testcases.
    static std::string junitSummary(const std::string& file) {
        const CommandResult parsed =
            runCommand({"/usr/bin/python3", "-c",
                        "import sys, xml.etree.ElementTree as E\n"
                        "for s in E.parse(sys.argv[1]).getroot().findall('testsuite'):\n"
                        "    print(s.get('name'), s.get('tests'), s.get('failures'))\n"
                        "    print([c.get('name') for c in s.findall('testcase') if "
                        "c.find('failure') is not None])\n",
                        dir_->file(file)},
                       {dir_->path()});
        EXPECT_EQ(parsed.status, 0) << parsed.err;
        return parsed.out;
    }
    static TempDir* dir_;
};

TempDir* Budget::dir_ = nullptr;

TEST_F(Budget, ExceededBudgetFailsNamingTheFunctionAndTheLine) {
    const CommandResult run = check("# CI budgets\n[[budget]]\nfunction = \"hot_path\"\n"
                                    "max_inclusive_share = \"15%\"\n");
    EXPECT_EQ(run.status, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("budget exceeded: hot_path(double) at "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("> max_inclusive_share 15.0% (hprof-budget.toml:2)"), std::string::npos)
        << run.out;
}

TEST_F(Budget, GenerousBudgetPassesAndUnmatchedBudgetWarns) {
    const CommandResult run = check("[[budget]]\nregex = \"^hot_path\"\n"
                                    "max_inclusive_share = \"90%\"\nmax_self_share = 0.9\n"
                                    "[[budget]]\nfunction = \"no_such_function\"\n"
                                    "max_ncalls = 1\n");
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("budgets: 2 limits checked, 0 exceeded"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("warning: hprof-budget.toml:5: budget 'no_such_function' matches no "
                           "function"),
              std::string::npos)
        << run.err;
}

TEST_F(Budget, AlsoCheckedWithABaseline) {
    const CommandResult run =
        check("[[budget]]\nfunction = \"hot_path\"\nmax_inclusive_share = \"15%\"\n"
              "max_growth = \"50%\"\n",
              {"--baseline", "current.hprof", "--min-share", "10%"});
    EXPECT_EQ(run.status, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("hprof check: "), std::string::npos) << run.out; // the comparison
    EXPECT_NE(run.out.find("budget exceeded: hot_path"), std::string::npos) << run.out;
}

TEST_F(Budget, MalformedFilesGetOneLineNamingTheLineAndExitTwo) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[[budget]]\nfunction = \"hot_path\"\nmax_self_share = \"15\"%\n",
         "hprof-budget.toml:3: "},
        {"[[budget]]\nfunction = \"hot_path\"\n\nmax_share = \"15%\"\n",
         "hprof-budget.toml:4: unknown key 'max_share'"},
        {"[[budget]]\nfunction = \"hot_path\"\nmax_growth = \"20%\"\n",
         "hprof-budget.toml:1: max_growth needs a baseline"},
    };
    for (const auto& [text, expected] : cases) {
        SCOPED_TRACE(text);
        const CommandResult run = check(text);
        EXPECT_EQ(run.status, 2);
        EXPECT_EQ(run.out, "");
        const std::vector<std::string> lines = linesOf(run.err);
        ASSERT_EQ(lines.size(), 1u) << run.err;
        EXPECT_EQ(lines.front().rfind("hprof: " + expected, 0), 0u) << lines.front();
    }
}

const char* const kTightBudget =
    "[[budget]]\nfunction = \"hot_path\"\nmax_inclusive_share = \"15%\"\n";

TEST_F(Budget, GitHubAnnotationAtTheFunctionsLine) {
    const CommandResult run = check(kTightBudget, {}, {{"GITHUB_ACTIONS", "true"}});
    EXPECT_EQ(run.status, 1) << run.err;
    EXPECT_NE(run.out.find("check_target.cpp,line="), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("::hprof check: budget exceeded: hot_path(double)"), std::string::npos)
        << run.out;
    EXPECT_EQ(check(kTightBudget).out.find("::error"), std::string::npos);
}

TEST_F(Budget, JUnitFileHoldsTheBudgetsAloneOrAfterTheComparison) {
    EXPECT_EQ(check(kTightBudget, {"--junit", "alone.xml"}).status, 1);
    EXPECT_EQ(junitSummary("alone.xml"),
              "hprof budget 1 1\n['hot_path(double) max_inclusive_share']\n");
    EXPECT_EQ(check(kTightBudget,
                    {"--baseline", "current.hprof", "--min-share", "10%", "--junit", "both.xml"})
                  .status,
              1);
    const std::vector<std::string> lines = linesOf(junitSummary("both.xml"));
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].rfind("hprof check ", 0), 0u) << lines[0];
    EXPECT_EQ(lines[2], "hprof budget 1 1");
}

} // namespace

namespace {

// `hprof check --format json` prints one document, read here by python3's json module:
// "passed", the budgets' evaluation, and the comparison when there is a baseline (the profile
// against itself: unchanged, or inconclusive for a function with few samples).
TEST_F(Budget, JsonDocumentHoldsTheBudgetsAndWhetherTheCheckPassed) {
    const std::string summary =
        "import sys, json\n"
        "d = json.load(sys.stdin)\n"
        "b = d['budgets']\n"
        "print(d['passed'], b['checked'], b['exceeded'], 'functions' in d,\n"
        "      d.get('verdict') in ('unchanged', 'inconclusive'))\n"
        "print([(l['function'], l['limit'], l['exceeded'], l['budget_line'])"
        " for l in b['limits'] if l['exceeded']])\n";
    for (const bool with_baseline : {false, true}) {
        SCOPED_TRACE(with_baseline ? "with a baseline" : "alone");
        std::vector<std::string> more = {"--format", "json"};
        if (with_baseline)
            more.insert(more.end(), {"--baseline", "current.hprof", "--min-share", "10%"});
        const CommandResult run = check(kTightBudget, more);
        EXPECT_EQ(run.status, 1) << run.err;
        dir_->writeFile("check.json", run.out);
        const CommandResult parsed = runCommand(
            {"/bin/sh", "-c", "/usr/bin/python3 -c \"$0\" < check.json", summary}, {dir_->path()});
        ASSERT_EQ(parsed.status, 0) << parsed.err << run.out;
        const std::vector<std::string> lines = linesOf(parsed.out);
        ASSERT_EQ(lines.size(), 2u) << parsed.out;
        EXPECT_EQ(lines[0], with_baseline ? "False 1 1 True True" : "False 1 1 False False");
        EXPECT_EQ(lines[1], "[('hot_path(double)', 'max_inclusive_share', True, 1)]");
    }
}

// --markdown gets a "Budgets" table: the whole file without a baseline, after the comparison's
// table with one.
TEST_F(Budget, MarkdownSummaryHasABudgetsTable) {
    EXPECT_EQ(check(kTightBudget, {"--markdown", "alone.md"}).status, 1);
    const std::string alone = readFile(dir_->file("alone.md"));
    EXPECT_EQ(alone.find("### hprof check"), std::string::npos) << alone;
    EXPECT_NE(alone.find("### Budgets (hprof-budget.toml): 1 limits checked, 1 exceeded"),
              std::string::npos)
        << alone;
    EXPECT_NE(alone.find("| exceeded | hot_path(double) at "), std::string::npos) << alone;
    EXPECT_NE(alone.find(" | max_inclusive_share | "), std::string::npos) << alone;
    EXPECT_EQ(check(kTightBudget,
                    {"--baseline", "current.hprof", "--min-share", "10%", "--markdown", "both.md"})
                  .status,
              1);
    const std::string both = readFile(dir_->file("both.md"));
    const size_t comparison = both.find("### hprof check: ");
    ASSERT_NE(comparison, std::string::npos) << both;
    EXPECT_NE(both.find("### Budgets (", comparison), std::string::npos) << both;
}

} // namespace
