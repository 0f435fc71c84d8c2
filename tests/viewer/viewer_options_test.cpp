// hprof-viewer's command line.
#include "viewer_options.h"

#include <gtest/gtest.h>

namespace hprof::viewer {
namespace {

ViewerOptions parsed(const std::vector<std::string>& args) {
    auto result = parseViewerOptions(args);
    if (auto* error = std::get_if<std::string>(&result)) {
        ADD_FAILURE() << *error;
        return {};
    }
    return std::get<ViewerOptions>(result);
}

std::string errorOf(const std::vector<std::string>& args) {
    auto result = parseViewerOptions(args);
    auto* error = std::get_if<std::string>(&result);
    return error ? *error : "(no error)";
}

TEST(ViewerOptions, ParsesFileViewSizeAndScreenshot) {
    const ViewerOptions options =
        parsed({"run.hprof", "--view", "bottomup", "--size", "640x480", "--screenshot", "a.png"});
    EXPECT_EQ(options.file, "run.hprof");
    EXPECT_EQ(options.view, ViewKind::BottomUp);
    EXPECT_EQ(options.width, 640);
    EXPECT_EQ(options.height, 480);
    EXPECT_EQ(options.screenshot, "a.png");
    EXPECT_EQ(parsed({}).view, ViewKind::Summary);
    EXPECT_EQ(parsed({"--view", "tree"}).view, ViewKind::TopDown);
    EXPECT_TRUE(parsed({"--help"}).help);
}

TEST(ViewerOptions, BadArgumentsAreOneLineErrors) {
    EXPECT_EQ(errorOf({"--view", "pie"}),
              "unknown view 'pie' (summary, table, tree, bottomup, flamegraph, timeline)");
    EXPECT_EQ(errorOf({"--size", "640"}), "bad size '640': WxH, each 100..16384");
    EXPECT_EQ(errorOf({"--size", "10x480"}), "bad size '10x480': WxH, each 100..16384");
    EXPECT_EQ(errorOf({"--size", "640x480x"}), "bad size '640x480x': WxH, each 100..16384");
    EXPECT_EQ(errorOf({"--view"}), "--view needs a value");
    EXPECT_EQ(errorOf({"--frobnicate"}), "unknown option '--frobnicate' (see --help)");
    EXPECT_EQ(errorOf({"a.hprof", "b.hprof"}), "one profile at a time: 'a.hprof' and 'b.hprof'");
    EXPECT_EQ(errorOf({"--screenshot", "x.png"}),
              "--screenshot needs a profile FILE (or --scaling DIR)");
}

} // namespace
} // namespace hprof::viewer
