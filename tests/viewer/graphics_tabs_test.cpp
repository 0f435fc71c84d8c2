// The Flame graph and Timeline tabs wired to the document (built with viewer/graphics): the
// timeline's selected range and lane filters, and the flame graph's focus, change the call table
// to what the report gives for the same filter.
#include "call_table_view.h"
#include "graphics_views.h"
#include "main_window.h"
#include "test_support.h"
#include "viewer_test_support.h"

#include "temp_dir.h"

#include "hprof/report.h"
#include "hprof/viewer/flame_graph_widget.h"
#include "hprof/viewer/timeline_widget.h"

#include <QTabWidget>
#include <gtest/gtest.h>

#include <sstream>

namespace hprof::viewer {
namespace {

using namespace hprof::viewer::test;
using hprof::test::kMs;

class GraphicsTabsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        window.resize(1000, 700);
        window.show();
        ASSERT_TRUE(openAndWait(document,
                                writeTo(hprof::test::callTreeProfile(), dir.path(), "tree.hprof")));
        flame = qobject_cast<FlameGraphView*>(window.tabs()->widget(int(ViewKind::FlameGraph)));
        timeline = qobject_cast<TimelineView*>(window.tabs()->widget(int(ViewKind::Timeline)));
        ASSERT_NE(flame, nullptr);
        ASSERT_NE(timeline, nullptr);
    }
    std::map<std::string, RowNumbers> rows() {
        return tableRows(*window.callTableView()->model(), *document.profile());
    }
    std::map<std::string, RowNumbers> reportRows(const SampleFilter& filter) {
        ReportOptions options;
        options.format = ReportFormat::Json;
        options.filter = filter;
        std::ostringstream out;
        printReport(*document.profile(), options, out);
        return jsonRows(out.str());
    }

    hprof::test::TempDir dir;
    ProfileDocument document;
    MainWindow window{&document};
    FlameGraphView* flame = nullptr;
    TimelineView* timeline = nullptr;
};

TEST_F(GraphicsTabsTest, ATimelineSelectionFiltersTheTableAsTheReportsTimeRange) {
    ASSERT_TRUE(waitForReady(
        document, [&] { emit timeline->timeline()->timeRangeSelected(2 * kMs, 4 * kMs); }));
    SampleFilter range;
    range.from_ns = 2 * kMs;
    range.to_ns = 4 * kMs;
    EXPECT_TRUE(document.filter() == range);
    EXPECT_EQ(rows(), reportRows(range));
    EXPECT_NE(rows(), reportRows({}));
}

TEST_F(GraphicsTabsTest, ALaneMenuFiltersAThreadOut) {
    ASSERT_TRUE(waitForReady(
        document, [&] { emit timeline->timeline()->threadFilterRequested(ThreadId(1), false); }));
    SampleFilter without;
    without.threads.exclude(ThreadId(1));
    EXPECT_EQ(rows(), reportRows(without));
}

TEST_F(GraphicsTabsTest, TheFlameGraphsFocusGoesToTheDocument) {
    const FunctionId main(0);
    ASSERT_EQ(document.profile()->function(main).name, "main");
    ASSERT_TRUE(waitForReady(document, [&] { emit flame->flameGraph()->excludeRequested(main); }));
    EXPECT_EQ(window.callTableView()->model()->rowCount(), 0); // every sample has main
}

} // namespace
} // namespace hprof::viewer
