// Parsing hprof report's filter options into a FilterRequest.
#include "cli_error.h"
#include "command_line.h"

#include <gtest/gtest.h>

using namespace hprof;
using namespace hprof::cli;

namespace {

FilterRequest filterOf(std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "f"});
    return parseCommandLine(args).report.filter;
}

std::string usageErrorOf(std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "f"});
    try {
        parseCommandLine(args);
    } catch (const UsageError& error) {
        return error.what();
    }
    return "no error";
}

TEST(ReportFilterOptions, PidAndTidTakeCommaListsAndRepeat) {
    FilterRequest filter = filterOf({"--pid", "12,13", "--pid=14", "--tid", "7", "--tid", "8,9"});
    EXPECT_EQ(filter.pids, (std::vector<int32_t>{12, 13, 14}));
    EXPECT_EQ(filter.tids, (std::vector<int32_t>{7, 8, 9}));
    filter = filterOf({"--exclude-pid", "3,4", "--exclude-tid=5"});
    EXPECT_EQ(filter.excluded_pids, (std::vector<int32_t>{3, 4}));
    EXPECT_EQ(filter.excluded_tids, (std::vector<int32_t>{5}));
    EXPECT_TRUE(filter.pids.empty());
}

TEST(ReportFilterOptions, FunctionAndModuleTexts) {
    FilterRequest filter = filterOf({"--focus", "hot_a", "--focus", "hot_b", "--exclude", "spin",
                                     "--module", "myprog", "--exclude-module=libc.so"});
    EXPECT_EQ(filter.focus_functions, (std::vector<std::string>{"hot_a", "hot_b"}));
    EXPECT_EQ(filter.excluded_functions, (std::vector<std::string>{"spin"}));
    EXPECT_EQ(filter.modules, (std::vector<std::string>{"myprog"}));
    EXPECT_EQ(filter.excluded_modules, (std::vector<std::string>{"libc.so"}));
    EXPECT_EQ(filterOf({}), FilterRequest{});
}

TEST(ReportFilterOptions, BadValuesAreOneLineErrors) {
    EXPECT_EQ(usageErrorOf({"--pid", "12,x"}),
              "report: bad pid 'x' (expected a positive integer) (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"--exclude-tid", "4,"}),
              "report: bad tid '' (expected a positive integer) (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"--exclude-pid", ",4"}),
              "report: bad pid '' (expected a positive integer) (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"--focus="}),
              "report: --focus needs a non-empty text (see hprof report --help)");
    EXPECT_EQ(usageErrorOf({"--exclude-module", ""}),
              "report: --exclude-module needs a non-empty text (see hprof report --help)");
}

} // namespace
