// `hprof view`: parsed as its own command with every argument for the viewer; a missing viewer
// is one clear error.
#include "command_line.h"
#include "view_command.h"

#include "hprof/error.h"

#include <gtest/gtest.h>

using namespace hprof::cli;

TEST(ViewCommand, HandsEveryArgumentToTheViewer) {
    const Invocation invocation =
        parseCommandLine({"view", "run.hprof", "--view", "table", "--help"});
    EXPECT_EQ(invocation.command, Command::View);
    EXPECT_EQ(invocation.view_args,
              (std::vector<std::string>{"run.hprof", "--view", "table", "--help"}));
    EXPECT_EQ(parseCommandLine({"view"}).view_args, std::vector<std::string>{});
}

TEST(ViewCommand, TheViewerIsFoundNextToHprof) {
    EXPECT_EQ(viewerPathForExecutable("/opt/hprof/bin/hprof"), "/opt/hprof/bin/hprof-viewer");
}

TEST(ViewCommand, AMissingViewerIsOneClearError) {
    try {
        execViewer("/nonexistent/bin/hprof-viewer", {"x.hprof"});
        FAIL() << "execViewer returned";
    } catch (const hprof::Error& error) {
        EXPECT_STREQ(error.what(),
                     "the viewer is not installed: /nonexistent/bin/hprof-viewer is missing (it "
                     "is built when Qt 6 is found: install qt6-base-dev and rebuild)");
    }
}
