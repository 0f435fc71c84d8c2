// Parsing `hprof import`.
#include "cli_error.h"
#include "command_line.h"
#include "help.h"
#include "usage_error.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace hprof::cli;

namespace {

using Args = std::vector<std::string>;

TEST(ImportCommandLine, TakesOneProfileAnOutputAndQuiet) {
    const Invocation invocation = parseCommandLine({"import", "-q", "cpu.prof", "-o", "out.hprof"});
    EXPECT_EQ(invocation.command, Command::Import);
    EXPECT_EQ(invocation.import_options.file, "cpu.prof");
    EXPECT_EQ(invocation.import_options.output, "out.hprof");
    EXPECT_TRUE(invocation.import_options.quiet);
    EXPECT_EQ(parseCommandLine({"import", "perf.txt"}).import_options.output, "profile.hprof");
}

TEST(ImportCommandLine, RefusesMissingOrExtraFiles) {
    EXPECT_NE(usageErrorOf({"import"}).find("no profile file given"), std::string::npos);
    EXPECT_NE(usageErrorOf({"import", "a", "b"}).find("unexpected argument 'b'"),
              std::string::npos);
    EXPECT_NE(usageErrorOf({"import", "a", "--sort", "x"}).find("sort"), std::string::npos);
}

TEST(ImportCommandLine, HasItsHelp) {
    const Invocation invocation = parseCommandLine({"help", "import"});
    EXPECT_EQ(invocation.command, Command::Help);
    EXPECT_EQ(invocation.help_topic, "import");
    EXPECT_EQ(parseCommandLine({"import", "--help"}).help_topic, "import");
    std::ostringstream out;
    printHelp("import", out);
    EXPECT_EQ(out.str().rfind("usage: hprof import [options] PROFILE", 0), 0u) << out.str();
}

} // namespace
