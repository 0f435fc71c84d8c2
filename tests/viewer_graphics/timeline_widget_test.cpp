// TimelineWidget driven with QTest: range selection, lane expansion and context menus, wheel
// zoom asking for new bins, the hover stack, and wall-clock colours.
#include "hprof/viewer/timeline_widget.h"
#include "test_profiles.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <set>

namespace hprof::viewer {
namespace {

using test::kMs;

// Four bins of 250 ms over the 1 s run of twoProcessProfile().
Timeline fourBins() {
    Timeline timeline;
    timeline.to_ns = 1000 * kMs;
    timeline.bins = 4;
    timeline.threads = {
        {ThreadId(0), {250 * kMs, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}},
        {ThreadId(1), {0, 100 * kMs, 250 * kMs, 0}, {0, 50 * kMs, 0, 0}, {0, 0, 0, 10 * kMs}},
        {ThreadId(2), {0, 0, 200 * kMs, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}},
    };
    return timeline;
}

struct TimelineFixture {
    TimelineFixture() : profile(test::twoProcessProfile()) {
        widget.resize(990, 300); // 800 px of time after the 190 px of lane titles
        widget.setData(profile, fourBins());
        widget.show();
    }
    QPointF laneCentre(size_t index) const {
        return widget.laneRect(*widget.visibleLanes().at(index)).center();
    }
    Profile profile;
    TimelineWidget widget;
};

TEST(TimelineWidget, LeftDragSelectsTheTimesTheAxisMapsThePixelsTo) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    ASSERT_DOUBLE_EQ(widget.axis().width(), 800);
    QSignalSpy selected(&widget, &TimelineWidget::timeRangeSelected);
    int y = int(fixture.laneCentre(0).y());
    QTest::mousePress(&widget, Qt::LeftButton, {}, QPoint(530, y));
    QTest::mouseMove(&widget, QPoint(420, y));
    QTest::mouseMove(&widget, QPoint(310, y));
    QTest::mouseRelease(&widget, Qt::LeftButton, {}, QPoint(310, y));
    ASSERT_EQ(selected.count(), 1);
    double left = widget.timeAreaLeft();
    EXPECT_EQ(selected[0][0].value<int64_t>(), widget.axis().toTime(310 - left));
    EXPECT_EQ(selected[0][1].value<int64_t>(), widget.axis().toTime(530 - left));
    EXPECT_EQ(selected[0][0].value<int64_t>(), 150 * kMs); // 120 px of 1.25 ms
    ASSERT_TRUE(widget.selection());
    EXPECT_EQ(widget.selection()->second, 425 * kMs);

    QSignalSpy cleared(&widget, &TimelineWidget::selectionCleared);
    QTest::keyClick(&widget, Qt::Key_Escape);
    EXPECT_FALSE(widget.selection());
    EXPECT_EQ(cleared.count(), 1);
}

TEST(TimelineWidget, ShiftDragPansInsteadOfSelecting) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    widget.setView(400 * kMs, 600 * kMs); // 0.25 ms a pixel
    QSignalSpy selected(&widget, &TimelineWidget::timeRangeSelected);
    int y = int(fixture.laneCentre(0).y());
    QTest::mousePress(&widget, Qt::LeftButton, Qt::ShiftModifier, QPoint(600, y));
    QTest::mouseMove(&widget, QPoint(400, y));
    QTest::mouseRelease(&widget, Qt::LeftButton, Qt::ShiftModifier, QPoint(400, y));
    EXPECT_EQ(selected.count(), 0);
    EXPECT_EQ(widget.axis().viewFrom(), 450 * kMs);
    EXPECT_EQ(widget.axis().viewTo(), 650 * kMs);
}

TEST(TimelineWidget, ClickingALaneTitleExpandsItsThreads) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    ASSERT_EQ(widget.visibleLanes().size(), 2u); // the two processes
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(20, int(fixture.laneCentre(0).y())));
    ASSERT_EQ(widget.visibleLanes().size(), 4u);
    EXPECT_EQ(widget.visibleLanes()[1]->thread, ThreadId(0));
    EXPECT_EQ(widget.visibleLanes()[2]->thread, ThreadId(1));
    EXPECT_EQ(widget.visibleLanes()[3]->process, ProcessId(1));
    QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(20, int(fixture.laneCentre(0).y())));
    EXPECT_EQ(widget.visibleLanes().size(), 2u);
}

// A job's profile: clicking a host's title shows its ranks, clicking a rank's shows its threads.
TEST(TimelineWidget, ClickingAHostShowsItsRanksAndARankItsThreads) {
    Profile profile = test::twoRankJobProfile();
    TimelineWidget widget;
    widget.resize(990, 300);
    widget.setData(profile, fourBins());
    widget.show();
    auto clickTitle = [&](size_t index) {
        const QPointF centre = widget.laneRect(*widget.visibleLanes().at(index)).center();
        QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(20, int(centre.y())));
    };
    ASSERT_EQ(widget.visibleLanes().size(), 2u); // the two hosts
    EXPECT_EQ(widget.visibleLanes()[1]->host, "node1");
    clickTitle(1);
    ASSERT_EQ(widget.visibleLanes().size(), 3u);
    EXPECT_EQ(widget.visibleLanes()[2]->process, ProcessId(1));
    clickTitle(2);
    ASSERT_EQ(widget.visibleLanes().size(), 4u);
    EXPECT_EQ(widget.visibleLanes()[3]->thread, ThreadId(2));
    clickTitle(1); // collapsing the host hides its rank and the rank's threads
    EXPECT_EQ(widget.visibleLanes().size(), 2u);
    // All on one host: that host's ranks are shown from the start.
    profile.processes[1].host = "";
    widget.setData(profile, fourBins());
    ASSERT_EQ(widget.visibleLanes().size(), 3u);
    EXPECT_EQ(widget.visibleLanes()[0]->kind, TimelineLane::Kind::Host);
    EXPECT_EQ(widget.visibleLanes()[2]->process, ProcessId(1));
}

TEST(TimelineWidget, LaneMenusRequestProcessAndThreadFilters) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    QSignalSpy processes(&widget, &TimelineWidget::processFilterRequested);
    QSignalSpy threads(&widget, &TimelineWidget::threadFilterRequested);
    auto menu = widget.laneMenuAt(fixture.laneCentre(1)); // process pid 200
    ASSERT_NE(menu, nullptr);
    ASSERT_GE(menu->actions().size(), 2);
    EXPECT_EQ(menu->actions()[0]->text(), "Only process 200");
    menu->actions()[0]->trigger();
    menu->actions()[1]->trigger();
    ASSERT_EQ(processes.count(), 2);
    EXPECT_EQ(processes[0][0].value<ProcessId>(), ProcessId(1));
    EXPECT_TRUE(processes[0][1].toBool());
    EXPECT_FALSE(processes[1][1].toBool());

    widget.setExpanded(ProcessId(0), true);
    menu = widget.laneMenuAt(fixture.laneCentre(2)); // thread tid 101
    ASSERT_NE(menu, nullptr);
    EXPECT_EQ(menu->actions()[1]->text(), "Without thread 101");
    menu->actions()[1]->trigger();
    ASSERT_EQ(threads.count(), 1);
    EXPECT_EQ(threads[0][0].value<ThreadId>(), ThreadId(1));
    EXPECT_FALSE(threads[0][1].toBool());
    EXPECT_EQ(processes.count(), 2);
    EXPECT_EQ(widget.laneMenuAt(QPointF(500, 5)), nullptr); // the axis
}

void wheel(QWidget& widget, QPointF position, int steps) {
    QWheelEvent event(position, widget.mapToGlobal(position), QPoint(), QPoint(0, 120 * steps),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

TEST(TimelineWidget, WheelZoomsAroundTheCursorAndAsksForNewBins) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    QSignalSpy bins(&widget, &TimelineWidget::binsRequested);
    bins.wait(1000); // the request after the first resize, if any
    bins.clear();
    QPointF cursor(widget.timeAreaLeft() + 200, fixture.laneCentre(0).y());
    int64_t before = widget.axis().toTime(200);
    wheel(widget, cursor, 2);
    wheel(widget, cursor, 1);
    EXPECT_NEAR(double(widget.axis().toTime(200)), double(before), widget.axis().nsPerPixel());
    int64_t span = widget.axis().viewTo() - widget.axis().viewFrom();
    EXPECT_NEAR(double(span), 1000.0 * kMs / (1.25 * 1.25 * 1.25), 2);
    ASSERT_TRUE(bins.wait(5000));
    ASSERT_EQ(bins.count(), 1); // the burst is one request
    EXPECT_EQ(bins[0][0].value<int64_t>(), widget.axis().viewFrom());
    EXPECT_EQ(bins[0][1].value<int64_t>(), widget.axis().viewTo());
    EXPECT_EQ(bins[0][2].toInt(), 800);
}

TEST(TimelineWidget, ARebinnedTimelineKeepsEveryLane) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    widget.setExpanded(ProcessId(0), true);
    Timeline zoomed; // [0, 100 ms): only tid 100 lived there
    zoomed.to_ns = 100 * kMs;
    zoomed.bins = 2;
    zoomed.threads = {{ThreadId(0), {50 * kMs, 0}, {0, 0}, {0, 0}}};
    widget.setTimeline(zoomed);
    std::vector<const TimelineLane*> lanes = widget.visibleLanes();
    ASSERT_EQ(lanes.size(), 4u);
    EXPECT_EQ(lanes[1]->thread, ThreadId(0));
    EXPECT_EQ(lanes[1]->cpu_ns, (std::vector<int64_t>{50 * kMs, 0}));
    EXPECT_EQ(lanes[2]->thread, ThreadId(1));
    EXPECT_EQ(lanes[2]->cpu_ns, (std::vector<int64_t>{0, 0}));
    EXPECT_EQ(lanes[3]->process, ProcessId(1));
}

TEST(TimelineWidget, HoverShowsTheSampledStackNearest) {
    TimelineFixture fixture;
    TimelineWidget& widget = fixture.widget;
    widget.setExpanded(ProcessId(0), true);
    double x = widget.timeAreaLeft() + widget.axis().toPixel(300 * kMs) + 2;
    QString text = widget.hoverText(QPointF(x, fixture.laneCentre(2).y())); // tid 101
    EXPECT_TRUE(text.contains("work")) << text.toStdString();
    EXPECT_TRUE(text.contains("main")) << text.toStdString();
    text = widget.hoverText(QPointF(x, fixture.laneCentre(0).y())); // its process
    EXPECT_TRUE(text.contains("work")) << text.toStdString();
    text = widget.hoverText(QPointF(x, fixture.laneCentre(1).y())); // tid 100: nothing there
    EXPECT_TRUE(text.contains("no sample")) << text.toStdString();
    x = widget.timeAreaLeft() + widget.axis().toPixel(300 * kMs) + 10; // 12.5 ms away
    text = widget.hoverText(QPointF(x, fixture.laneCentre(2).y()));
    EXPECT_TRUE(text.contains("no sample")) << text.toStdString();
}

TEST(TimelineWidget, AHiddenWidgetMapsTimesOntoItsWidthToo) {
    Profile profile = test::twoProcessProfile();
    TimelineWidget widget; // never shown: no resize event before painting into an image
    widget.resize(990, 200);
    widget.setData(profile, fourBins());
    EXPECT_DOUBLE_EQ(widget.axis().width(), 800);
    EXPECT_DOUBLE_EQ(widget.axis().toPixel(1000 * kMs), 800);
}

TEST(TimelineWidget, AnEmptyProfileShowsNoLanesAndSelectsNothingWrong) {
    Profile empty;
    TimelineWidget widget;
    widget.resize(600, 200);
    widget.setData(empty, Timeline{});
    widget.show();
    EXPECT_TRUE(widget.visibleLanes().empty());
    EXPECT_FALSE(widget.grab().isNull());
    EXPECT_TRUE(widget.hoverText(QPointF(300, 50)).isEmpty());
    EXPECT_EQ(widget.laneMenuAt(QPointF(300, 50)), nullptr);
    QSignalSpy selected(&widget, &TimelineWidget::timeRangeSelected);
    QTest::mousePress(&widget, Qt::LeftButton, {}, QPoint(300, 50));
    QTest::mouseMove(&widget, QPoint(400, 50));
    QTest::mouseRelease(&widget, Qt::LeftButton, {}, QPoint(400, 50));
    ASSERT_EQ(selected.count(), 1);
    EXPECT_LE(selected[0][0].value<int64_t>(), selected[0][1].value<int64_t>());
}

// One thread: bin 0 on a CPU, bin 1 blocked, bin 2 in the run queue, bin 3 idle.
TEST(TimelineWidget, WallClockStatesAreDrawnInDifferentColours) {
    Profile profile = test::twoProcessProfile();
    profile.run.clock = "wall";
    Timeline timeline;
    timeline.to_ns = 1000 * kMs;
    timeline.bins = 4;
    timeline.threads = {
        {ThreadId(0), {250 * kMs, 0, 0, 0}, {0, 250 * kMs, 0, 0}, {0, 0, 250 * kMs, 0}}};
    TimelineWidget widget;
    widget.resize(990, 200);
    widget.setData(profile, timeline);
    QImage image = widget.grab().toImage();
    QRectF lane = widget.laneRect(*widget.visibleLanes().at(0));
    auto colourOfBin = [&](int bin) {
        double x = widget.timeAreaLeft() + widget.axis().toPixel((250 * bin + 125) * kMs);
        return image.pixelColor(QPoint(int(x), int(lane.center().y())));
    };
    std::set<QRgb> colours;
    for (int bin = 0; bin < 4; ++bin)
        colours.insert(colourOfBin(bin).rgb());
    EXPECT_EQ(colours.size(), 4u); // three states and the background
    EXPECT_EQ(colourOfBin(3), widget.palette().color(QPalette::Base));
}

} // namespace
} // namespace hprof::viewer

namespace hprof::viewer {
namespace {

// Trace mode: main [0, 900 ms) encloses outer [100, 400 ms), which encloses inner [150, 250 ms).
TEST(TimelineWidget, TraceModeShowsTheTracedCallsOfAThreadNested) {
    test::StackProfile stacks;
    FunctionId main = stacks.function("main");
    FunctionId outer = stacks.function("outer");
    FunctionId inner = stacks.function("inner");
    stacks.add({"main", "outer", "inner"}, 200);
    Profile profile = stacks.take();
    profile.run.instrumentation = "trace";
    profile.trace_events = {{ThreadId(0), main, 0, 900 * kMs},
                            {ThreadId(0), outer, 100 * kMs, 300 * kMs},
                            {ThreadId(0), inner, 150 * kMs, 100 * kMs}};
    Timeline timeline;
    timeline.to_ns = 1000 * kMs;
    timeline.bins = 4;
    timeline.threads = {{ThreadId(0), {1 * kMs, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}};
    TimelineWidget widget;
    widget.resize(990, 300);
    widget.setData(profile, timeline);
    widget.setExpanded(ProcessId(0), true);
    ASSERT_EQ(widget.visibleLanes().size(), 2u);
    QRectF process = widget.laneRect(*widget.visibleLanes()[0]);
    QRectF thread = widget.laneRect(*widget.visibleLanes()[1]);
    ASSERT_GT(thread.height(), process.height() + 2 * 14); // three rows of calls
    double x = widget.timeAreaLeft() + widget.axis().toPixel(200 * kMs);
    double row = (thread.height() - 24) / 3; // the rows under the activity strip
    auto callAt = [&](int depth) {
        return widget.hoverText(QPointF(x, thread.top() + 24 + row * (depth + 0.5)));
    };
    EXPECT_TRUE(callAt(0).startsWith("main")) << callAt(0).toStdString();
    EXPECT_TRUE(callAt(1).startsWith("outer")) << callAt(1).toStdString();
    EXPECT_TRUE(callAt(2).startsWith("inner")) << callAt(2).toStdString();
    EXPECT_TRUE(callAt(2).contains("duration 100 ms")) << callAt(2).toStdString();
}

} // namespace
} // namespace hprof::viewer
