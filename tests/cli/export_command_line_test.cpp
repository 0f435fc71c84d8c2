// Parsing `hprof export`: the format, -o, report's filter options, and the usage errors.
#include "cli_error.h"
#include "command_line.h"
#include "help.h"
#include "usage_error.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace hprof;
using namespace hprof::cli;

namespace {

TEST(ExportCommandLine, FormatOutputAndFilters) {
    const Invocation invocation =
        parseCommandLine({"export", "p.hprof", "--format", "callgrind", "-o", "out.cg", "--pid",
                          "12", "--tid=7,8", "--time", "1s..2s", "--focus", "hot"});
    ASSERT_EQ(invocation.command, Command::Export);
    const ExportCommandOptions& options = invocation.export_options;
    EXPECT_EQ(options.file, "p.hprof");
    EXPECT_EQ(options.format, ExportFormat::Callgrind);
    EXPECT_EQ(options.output, std::optional<std::string>("out.cg"));
    EXPECT_EQ(options.filter.pids, (std::vector<int32_t>{12}));
    EXPECT_EQ(options.filter.tids, (std::vector<int32_t>{7, 8}));
    EXPECT_EQ(options.filter.from_ns, 1'000'000'000);
    EXPECT_EQ(options.filter.to_ns, 2'000'000'000);
    EXPECT_EQ(options.filter.focus_functions, (std::vector<std::string>{"hot"}));
}

TEST(ExportCommandLine, StandardOutputWithoutDashO) {
    const Invocation invocation = parseCommandLine({"export", "--format=folded", "p.hprof"});
    EXPECT_EQ(invocation.export_options.format, ExportFormat::Folded);
    EXPECT_FALSE(invocation.export_options.output);
    EXPECT_EQ(invocation.export_options.filter, FilterRequest{});
}

TEST(ExportCommandLine, UsageErrors) {
    EXPECT_EQ(usageErrorOf({"export", "p.hprof", "--format", "svg"}),
              "export: unknown export format 'svg' (expected one of pstats, callgrind, pprof, "
              "folded, speedscope, chrome) (see hprof export --help)");
    EXPECT_EQ(usageErrorOf({"export", "p.hprof"}),
              "export: no --format given (expected one of pstats, callgrind, pprof, folded, "
              "speedscope, chrome) (see hprof export --help)");
    EXPECT_EQ(usageErrorOf({"export", "--format", "pstats"}),
              "export: no profile file given (see hprof export --help)");
    EXPECT_EQ(usageErrorOf({"export", "a", "b", "--format", "pstats"}),
              "export: unexpected argument 'b' (see hprof export --help)");
    EXPECT_EQ(usageErrorOf({"export", "a", "--format", "pstats", "-o", ""}),
              "export: -o needs a file name (see hprof export --help)");
    EXPECT_EQ(usageErrorOf({"export", "a", "--format", "pstats", "--pid", "x"}),
              "export: bad pid 'x' (expected a positive integer) (see hprof export --help)");
    EXPECT_NE(usageErrorOf({"export", "a", "--format", "pstats", "--sort", "name"}), "no error");
}

TEST(ExportCommandLine, HelpNamesEveryFormat) {
    EXPECT_EQ(parseCommandLine({"export", "--help"}).help_topic, "export");
    EXPECT_EQ(parseCommandLine({"help", "export"}).help_topic, "export");
    std::ostringstream help;
    printHelp("export", help);
    for (std::string_view format : exportFormatNames())
        EXPECT_NE(help.str().find("  " + std::string(format) + " "), std::string::npos) << format;
}

} // namespace
