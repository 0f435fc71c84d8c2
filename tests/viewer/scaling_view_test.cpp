// The scaling view (hprof-viewer --scaling DIR): the log-log axes, the list and the plotted
// functions driven with QTest, and the screenshot of a scaling directory.
#include "scaling_view.h"
#include "test_support.h"
#include "viewer_options.h"
#include "viewer_test_support.h"

#include "child_process.h"
#include "temp_dir.h"

#include <QImage>
#include <QTreeWidget>
#include <gtest/gtest.h>

#include <set>

namespace hprof::viewer {
namespace {

using hprof::test::CommandResult;
using hprof::test::TempDir;

// One run at size n: main -> loop() with n samples, main -> pairs() with n^2/400 (1 ms each).
Profile runAt(double n) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"/build/prog", "{}"};
    profile.run.frequency_hz = 1000;
    profile.processes.push_back(hprof::test::makeProcess(10, 1, "/build/prog", 0, 1, 0));
    profile.threads.push_back({ProcessId(0), 10, "main", 0, 0, 0});
    const ModuleId module = builder.internModule({"/build/prog", ""});
    const auto frame = [&](const char* name) {
        return builder.internFrame({builder.internFunction({name, "app.cpp", 1, module}), 2});
    };
    const StackId main = builder.internStack(StackId(), frame("main"));
    const StackId loop = builder.internStack(main, frame("loop()"));
    const StackId pairs = builder.internStack(main, frame("pairs()"));
    int64_t time = 0;
    for (size_t i = 0; i < size_t(n); ++i)
        profile.samples.push_back({time += hprof::test::kMs, ThreadId(0), loop, hprof::test::kMs});
    for (size_t i = 0; i < size_t(n * n / 400); ++i)
        profile.samples.push_back({time += hprof::test::kMs, ThreadId(0), pairs, hprof::test::kMs});
    return builder.take();
}

const std::vector<double> kSizes{50, 100, 200, 400, 800};

// The runs as hprof scaling leaves them in `dir`.
void writeScalingDirectory(const std::string& dir) {
    for (double n : kSizes)
        test::writeTo(runAt(n), dir, scalingProfileName(n, 1));
}

ScalingReport reportOfRuns() {
    std::vector<Profile> profiles;
    for (double n : kSizes)
        profiles.push_back(runAt(n));
    std::vector<SizedProfile> runs;
    for (size_t i = 0; i < profiles.size(); ++i)
        runs.push_back({kSizes[i], &profiles[i]});
    return analyseScaling(runs);
}

TEST(ScalingPlot, TheAxesHoldEveryPointAndThePrediction) {
    const ScalingReport report = reportOfRuns();
    const QRectF area(50, 10, 500, 300);
    const std::vector<size_t> all{0, 1, 2};
    const LogLogAxes axes = LogLogAxes::fitting(report, all, area);
    EXPECT_DOUBLE_EQ(axes.min_size, 50);
    EXPECT_DOUBLE_EQ(axes.max_size, report.predict_size);
    for (size_t f : all)
        for (size_t i = 0; i < kSizes.size(); ++i) {
            const QPointF point =
                axes.map(kSizes[i], fittedValue(report.functions[f].inclusive, i));
            EXPECT_TRUE(area.adjusted(-0.01, -0.01, 0.01, 0.01).contains(point)) << f << " " << i;
        }
    EXPECT_DOUBLE_EQ(axes.map(axes.min_size, axes.min_seconds).x(), area.left());
    EXPECT_DOUBLE_EQ(axes.map(axes.min_size, axes.min_seconds).y(), area.bottom());
    EXPECT_DOUBLE_EQ(axes.map(axes.max_size, axes.max_seconds).x(), area.right());
    EXPECT_DOUBLE_EQ(axes.map(axes.max_size, axes.max_seconds).y(), area.top());
    // Log-log: ten times the size is always the same distance.
    EXPECT_NEAR(axes.map(100, 1).x() - axes.map(10, 1).x(),
                axes.map(1000, 1).x() - axes.map(100, 1).x(), 1e-9);
}

TEST(ScalingView, ListsTheFunctionsAndPlotsTheBottleneckFirst) {
    ScalingView view;
    view.setReport(reportOfRuns());
    const ScalingReport& report = *view.report();
    ASSERT_TRUE(report.bottleneck);
    EXPECT_EQ(report.functions[report.bottleneck->function].name, "pairs()");
    EXPECT_EQ(view.functionList()->topLevelItemCount(), int(report.functions.size()));
    ASSERT_FALSE(view.plot()->shown().empty());
    EXPECT_EQ(view.plot()->shown().front(), report.bottleneck->function);
    EXPECT_TRUE(view.summary().contains(QStringLiteral("The scaling bottleneck is pairs()")))
        << view.summary().toStdString();
}

TEST(ScalingView, UncheckingAFunctionTakesItOffThePlot) {
    ScalingView view;
    view.setReport(reportOfRuns());
    const size_t bottleneck = view.report()->bottleneck->function;
    QTreeWidgetItem* item = nullptr;
    for (int row = 0; row < view.functionList()->topLevelItemCount(); ++row)
        if (view.functionList()->topLevelItem(row)->data(0, Qt::UserRole).toULongLong() ==
            bottleneck)
            item = view.functionList()->topLevelItem(row);
    ASSERT_NE(item, nullptr);
    item->setCheckState(0, Qt::Unchecked);
    const std::vector<size_t>& shown = view.plot()->shown();
    EXPECT_EQ(std::find(shown.begin(), shown.end(), bottleneck), shown.end());
    item->setCheckState(0, Qt::Checked);
    EXPECT_EQ(view.plot()->shown().front(), bottleneck);
}

TEST(ScalingView, ADirectoryWithoutRunsIsTheCliMessage) {
    const TempDir dir;
    ScalingView view;
    const QString error = view.load(QString::fromStdString(dir.path()));
    EXPECT_TRUE(error.contains(QStringLiteral("no size-N-run-K.hprof profiles")))
        << error.toStdString();
    EXPECT_EQ(view.report(), nullptr);
}

CommandResult runViewer(const std::vector<std::string>& args, const TempDir& dir) {
    std::vector<std::string> argv{HPROF_VIEWER_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return hprof::test::runCommand(
        argv, {dir.path(), {{"QT_QPA_PLATFORM", std::nullopt}, {"DISPLAY", std::nullopt}}, 120});
}

TEST(ScalingView, TheScreenshotOfADirectoryIsAPlot) {
    const TempDir dir;
    writeScalingDirectory(dir.path());
    const std::string png = dir.file("scaling.png");
    const CommandResult run =
        runViewer({"--scaling", dir.path(), "--size", "800x500", "--screenshot", png}, dir);
    ASSERT_EQ(run.status, 0) << run.err;
    const QImage image(QString::fromStdString(png));
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(800, 500));
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 20u) << "a blank image?";
    // The bottleneck's colour (the first plotted) is on the picture.
    const QColor first = ScalingPlot::colourOf(0);
    bool found = false;
    for (QRgb colour : colours)
        found = found || (qRed(colour) == first.red() && qGreen(colour) == first.green() &&
                          qBlue(colour) == first.blue());
    EXPECT_TRUE(found);

    const CommandResult missing =
        runViewer({"--scaling", dir.file("nothing"), "--screenshot", dir.file("x.png")}, dir);
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(hprof::test::linesOf(missing.err).size(), 1u) << missing.err;
}

} // namespace
} // namespace hprof::viewer

namespace hprof::viewer {
namespace {

TEST(ScalingViewOptions, ScalingTakesADirectoryAndNoProfile) {
    const auto parsed = parseViewerOptions({"--scaling", "runs", "--screenshot", "s.png"});
    ASSERT_TRUE(std::holds_alternative<ViewerOptions>(parsed));
    EXPECT_EQ(std::get<ViewerOptions>(parsed).scaling_dir, "runs");
    const auto both = parseViewerOptions({"p.hprof", "--scaling", "runs"});
    ASSERT_TRUE(std::holds_alternative<std::string>(both));
    EXPECT_NE(std::get<std::string>(both).find("not also 'p.hprof'"), std::string::npos);
    EXPECT_TRUE(std::holds_alternative<std::string>(parseViewerOptions({"--scaling"})));
}

} // namespace
} // namespace hprof::viewer
