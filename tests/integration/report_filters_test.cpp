// hprof report's --focus, --exclude, --module, --exclude-pid/--exclude-tid and comma lists on a
// real recording of `phases` (phase_one, then phase_two, one thread), checked against the rows of
// the unfiltered report.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace hprof::test;

namespace {

CommandResult reportRun(const TempDir& dir, std::vector<std::string> options) {
    options.insert(options.begin(), {"report", "profile.hprof", "--format", "json"});
    return runHprof(options, dir);
}

std::string reportOf(const TempDir& dir, const std::vector<std::string>& options) {
    const CommandResult run = reportRun(dir, options);
    EXPECT_EQ(run.status, 0) << run.err;
    return run.out;
}

// The integer after "key": in `text` (the first one); -1 when it is not there.
int64_t integerAfter(const std::string& text, const std::string& key) {
    const std::string label = "\"" + key + "\": ";
    const size_t at = text.find(label);
    return at == std::string::npos ? -1
                                   : std::strtoll(text.c_str() + at + label.size(), nullptr, 10);
}

// The line of the function table of the function named `name` (before its parameters, if any);
// empty if none.
std::string functionRow(const std::string& document, const std::string& name) {
    const size_t table = document.find("\"functions\": [");
    const size_t end = document.find("\n  ]", table);
    const std::string label = "\"function\": \"" + name;
    for (size_t at = document.find(label, table); at != std::string::npos && at < end;
         at = document.find(label, at + 1)) {
        const char next = document[at + label.size()];
        if (next != '(' && next != '"')
            continue;
        const size_t line_start = document.rfind('\n', at);
        return document.substr(line_start, document.find('\n', at) - line_start);
    }
    return "";
}

// The numbers of a function's row that a filter must not change when it keeps all of the
// function's samples (the shares change with the total).
std::string rowNumbers(const std::string& document, const std::string& name) {
    const std::string row = functionRow(document, name);
    return std::to_string(integerAfter(row, "self_samples")) + " self, " +
           std::to_string(integerAfter(row, "total_samples")) + " total samples, cumtime " +
           row.substr(row.find("\"cumtime\""), 24);
}

int64_t totalSamples(const std::string& document, const std::string& function) {
    return integerAfter(functionRow(document, function), "total_samples");
}

class ReportFilters : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const CommandResult run = recordSample(*dir_, {}, "phases", {"0.2"});
        ASSERT_EQ(run.status, 0) << run.err;
        whole_ = new std::string(reportOf(*dir_, {}));
    }
    static void TearDownTestSuite() {
        delete whole_;
        delete dir_;
    }
    static TempDir* dir_;
    static std::string* whole_;
};

TempDir* ReportFilters::dir_ = nullptr;
std::string* ReportFilters::whole_ = nullptr;

TEST_F(ReportFilters, ExcludeRemovesExactlyTheInclusiveSamplesOfTheFunction) {
    const int64_t all = integerAfter(*whole_, "total_samples");
    const int64_t one = totalSamples(*whole_, "phase_one");
    const int64_t two = totalSamples(*whole_, "phase_two");
    ASSERT_GT(one, 10) << *whole_;
    ASSERT_GT(two, 10) << *whole_;
    const std::string without = reportOf(*dir_, {"--exclude", "phase_one"});
    EXPECT_EQ(integerAfter(without, "total_samples"), all - one) << without;
    EXPECT_EQ(functionRow(without, "phase_one"), "") << without;
    EXPECT_EQ(rowNumbers(without, "phase_two"), rowNumbers(*whole_, "phase_two"));
}

TEST_F(ReportFilters, FocusKeepsExactlyTheInclusiveSamplesOfTheFunction) {
    const std::string focused = reportOf(*dir_, {"--focus", "phase_two"});
    EXPECT_EQ(integerAfter(focused, "total_samples"), totalSamples(*whole_, "phase_two"));
    EXPECT_EQ(functionRow(focused, "phase_one"), "");
    EXPECT_EQ(rowNumbers(focused, "phase_two"), rowNumbers(*whole_, "phase_two"));
    EXPECT_EQ(totalSamples(focused, "main"), totalSamples(*whole_, "phase_two"));
    // Two focuses: a sample counts when either is on its stack.
    const std::string both = reportOf(*dir_, {"--focus", "phase_one", "--focus", "phase_two"});
    EXPECT_EQ(integerAfter(both, "total_samples"),
              totalSamples(*whole_, "phase_one") + totalSamples(*whole_, "phase_two"));
}

TEST_F(ReportFilters, ModuleSelectsTheRunningCode) {
    const std::string own = reportOf(*dir_, {"--module", "phases"});
    const std::string others = reportOf(*dir_, {"--exclude-module", "phases"});
    EXPECT_GT(integerAfter(own, "total_samples"), 0) << own;
    EXPECT_EQ(integerAfter(own, "total_samples") + integerAfter(others, "total_samples"),
              integerAfter(*whole_, "total_samples"));
}

TEST_F(ReportFilters, PidAndTidListsAndExclusions) {
    const hprof::Profile profile = recordedProfile(*dir_);
    ASSERT_FALSE(profile.threads.empty());
    const std::string pid = std::to_string(profile.processes.at(0).pid);
    const std::string tid = std::to_string(profile.threads.at(0).tid);
    const int64_t all = integerAfter(*whole_, "total_samples");
    EXPECT_EQ(integerAfter(reportOf(*dir_, {"--pid", pid + "," + pid}), "total_samples"), all);
    EXPECT_EQ(integerAfter(reportOf(*dir_, {"--tid", tid, "--tid", tid}), "total_samples"), all);
    EXPECT_EQ(integerAfter(reportOf(*dir_, {"--exclude-tid", tid}), "total_samples"), 0);
    EXPECT_EQ(integerAfter(reportOf(*dir_, {"--exclude-pid", pid}), "total_samples"), 0);
}

TEST_F(ReportFilters, NamesThatSelectNothingAreOneLineErrors) {
    CommandResult run = reportRun(*dir_, {"--exclude", "no_such_function"});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.err, "hprof: profile.hprof: no function matches 'no_such_function'\n");
    run = reportRun(*dir_, {"--module", "libnothing"});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.err, "hprof: profile.hprof: no module matches 'libnothing'\n");
    run = reportRun(*dir_, {"--exclude-pid", "1,2147483647"});
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("hprof: profile.hprof: no process "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(" in the profile (its pids: "), std::string::npos) << run.err;
}

} // namespace
