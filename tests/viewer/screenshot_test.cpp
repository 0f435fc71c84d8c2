// The built hprof-viewer as a user runs it: --screenshot writes a PNG of the asked size of every
// view and exits 0; bad arguments exit 2 and an unreadable profile 1, each with one line on
// stderr (for a profile, the CLI's own message). `hprof view` starts it.
#include "test_support.h"
#include "viewer_test_support.h"

#include "child_process.h"
#include "hprof_runs.h"
#include "temp_dir.h"


#include <QFile>
#include <QImage>
#include <gtest/gtest.h>

#include <set>

namespace hprof::viewer {
namespace {

using hprof::test::CommandResult;
using hprof::test::TempDir;
using hprof::viewer::test::readError;

CommandResult runViewer(const std::vector<std::string>& args, const TempDir& dir) {
    std::vector<std::string> argv{HPROF_VIEWER_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    // No display at all: the screenshot mode must not need one.
    return hprof::test::runCommand(
        argv, {dir.path(), {{"QT_QPA_PLATFORM", std::nullopt}, {"DISPLAY", std::nullopt}}, 120});
}

size_t distinctColours(const QImage& image) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return colours.size();
}

TEST(Screenshot, WritesAPngOfTheAskedSizeForEveryView) {
    const TempDir dir;
    const std::string profile =
        test::writeTo(hprof::test::callTreeProfile(), dir.path(), "p.hprof").toStdString();
    for (const char* view : {"summary", "table", "tree", "bottomup", "flamegraph", "timeline"}) {
        SCOPED_TRACE(view);
        const std::string png = dir.file(std::string(view) + ".png");
        const CommandResult run =
            runViewer({profile, "--view", view, "--size", "640x480", "--screenshot", png}, dir);
        ASSERT_EQ(run.status, 0) << run.err;
        const QImage image(QString::fromStdString(png));
        ASSERT_FALSE(image.isNull());
        EXPECT_EQ(image.size(), QSize(640, 480));
        EXPECT_GT(distinctColours(image), 20u) << "a blank image?";
    }
}

TEST(Screenshot, AnUnreadableProfileIsTheCliMessageAndExitOne) {
    const TempDir dir;
    const std::string corrupt = dir.writeFile("c.hprof", "not a profile");
    const std::string expected = readError(corrupt);
    ASSERT_FALSE(expected.empty());
    const CommandResult run = runViewer({corrupt, "--screenshot", dir.file("c.png")}, dir);
    EXPECT_EQ(run.status, 1);
    EXPECT_EQ(run.err, "hprof-viewer: " + expected + "\n");
    EXPECT_FALSE(QFile::exists(QString::fromStdString(dir.file("c.png"))));
}

TEST(Screenshot, BadArgumentsExitTwoAndHelpZero) {
    const TempDir dir;
    const CommandResult bad = runViewer({"--view", "pie"}, dir);
    EXPECT_EQ(bad.status, 2);
    EXPECT_EQ(bad.err, "hprof-viewer: unknown view 'pie' (summary, table, tree, bottomup, "
                       "flamegraph, timeline)\n");
    const CommandResult help = runViewer({"--help"}, dir);
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("--screenshot"), std::string::npos);
}

// `hprof view` runs the viewer installed next to it, with the arguments as given.
TEST(HprofView, StartsTheViewerNextToHprof) {
    const TempDir dir;
    const CommandResult help = hprof::test::runHprof({"view", "--help"}, dir);
    EXPECT_EQ(help.status, 0) << help.err;
    EXPECT_EQ(help.out.rfind("usage: hprof-viewer", 0), 0u) << help.out;
    const CommandResult bad = hprof::test::runHprof({"view", "--size", "1"}, dir);
    EXPECT_EQ(bad.status, 2);
    EXPECT_EQ(bad.err, "hprof-viewer: bad size '1': WxH, each 100..16384\n");
}

} // namespace
} // namespace hprof::viewer
