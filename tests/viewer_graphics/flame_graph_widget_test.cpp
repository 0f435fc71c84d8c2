// FlameGraphWidget driven with QTest: click to zoom, the breadcrumb and the history, the search
// share, the context menu, and painting 100,000 frames.
#include "hprof/filter.h"
#include "hprof/viewer/flame_graph_widget.h"
#include "hprof/viewer/frame_colors.h"
#include "test_profiles.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace hprof::viewer {
namespace {

using test::kMs;
using test::StackProfile;
using test::TreeBuilder;

CallTree topDown(const Profile& profile) {
    SampleSelector selector(profile, SampleFilter{});
    return buildTopDownTree(profile, computeStackCosts(selector));
}

CallTree bottomUp(const Profile& profile) {
    SampleSelector selector(profile, SampleFilter{});
    return buildBottomUpTree(profile, computeStackCosts(selector));
}

QPoint centre(const FlameGraphWidget& widget, CallNodeId node) {
    const FlameRect* rect = widget.layout().rectOf(node);
    EXPECT_NE(rect, nullptr);
    return rect ? widget.frameRect(*rect).center().toPoint() : QPoint();
}

// root -> main -> a -> b (60 ms self), main -> c (40 ms self).
struct ZoomFixture {
    ZoomFixture() {
        main = builder.add(CallTree::root(), stacks.function("main"), 0);
        a = builder.add(main, stacks.function("a"), 0);
        b = builder.add(a, stacks.function("b"), 60 * kMs);
        c_function = stacks.function("c");
        c = builder.add(main, c_function, 40 * kMs);
        profile = stacks.take();
        tree = builder.finish();
        widget.resize(800, 400);
        widget.setData(profile, tree, FlameGraphWidget::Mode::TopDown);
        widget.show();
    }
    StackProfile stacks;
    TreeBuilder builder;
    Profile profile;
    CallTree tree;
    CallNodeId main, a, b, c;
    FunctionId c_function;
    FlameGraphWidget widget;
};

TEST(FlameGraphWidget, ClickingAFrameZoomsToItAndTheBreadcrumbShowsItsPath) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    QSignalSpy activated(&widget, &FlameGraphWidget::frameActivated);
    EXPECT_EQ(widget.breadcrumb(), QStringList{"all"});
    EXPECT_DOUBLE_EQ(widget.layout().rectOf(fixture.b)->width, 800 * 0.6);

    QTest::mouseClick(&widget, Qt::LeftButton, {}, centre(widget, fixture.b));
    EXPECT_EQ(widget.zoomedNode(), fixture.b);
    EXPECT_EQ(widget.breadcrumb(), (QStringList{"all", "main", "a", "b"}));
    EXPECT_DOUBLE_EQ(widget.layout().rectOf(fixture.b)->width, 800);
    ASSERT_EQ(activated.count(), 1);
    EXPECT_EQ(activated[0][0].value<CallNodeId>(), fixture.b);

    // The breadcrumb's "main" zooms out to main, which spans the width again.
    QTest::mouseClick(&widget, Qt::LeftButton, {}, widget.breadcrumbRect(1).center().toPoint());
    EXPECT_EQ(widget.zoomedNode(), fixture.main);
    EXPECT_EQ(widget.breadcrumb(), (QStringList{"all", "main"}));
    EXPECT_DOUBLE_EQ(widget.layout().rectOf(fixture.c)->width, 800 * 0.4);
}

TEST(FlameGraphWidget, BackAndForwardWalkTheZoomHistory) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    QTest::mouseClick(&widget, Qt::LeftButton, {}, centre(widget, fixture.a));
    QTest::mouseClick(&widget, Qt::LeftButton, {}, centre(widget, fixture.b));
    ASSERT_EQ(widget.zoomedNode(), fixture.b);
    QTest::keyClick(&widget, Qt::Key_Left, Qt::AltModifier);
    EXPECT_EQ(widget.zoomedNode(), fixture.a);
    QTest::mousePress(&widget, Qt::BackButton, {}, QPoint(10, 200));
    EXPECT_EQ(widget.zoomedNode(), CallTree::root());
    EXPECT_FALSE(widget.canGoBack());
    QTest::mousePress(&widget, Qt::ForwardButton, {}, QPoint(10, 200));
    EXPECT_EQ(widget.zoomedNode(), fixture.a);
    QTest::keyClick(&widget, Qt::Key_Right, Qt::AltModifier);
    EXPECT_EQ(widget.zoomedNode(), fixture.b);
    EXPECT_FALSE(widget.canGoForward());
    // A new zoom after going back drops the forward history.
    widget.goBack();
    widget.zoomTo(fixture.c);
    EXPECT_FALSE(widget.canGoForward());
    widget.goBack();
    EXPECT_EQ(widget.zoomedNode(), fixture.a);
}

// Another filter gives another tree of the same profile: the zoom follows the zoomed node's
// path of functions as far as the new tree has it, and the search is run again.
TEST(FlameGraphWidget, ANewTreeOfTheSameProfileKeepsZoomAndSearch) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    widget.zoomTo(fixture.b);
    ASSERT_TRUE(widget.setSearch("(c)")); // labels are "prog.cpp:40(c)"
    FunctionId main = fixture.tree.node(fixture.main).function;
    FunctionId a = fixture.tree.node(fixture.a).function;
    FunctionId b = fixture.tree.node(fixture.b).function;

    TreeBuilder reordered; // c first, so every node id differs from the old tree's
    CallNodeId new_main = reordered.add(CallTree::root(), main, 0);
    reordered.add(new_main, fixture.c_function, 10 * kMs);
    CallNodeId new_a = reordered.add(new_main, a, 0);
    CallNodeId new_b = reordered.add(new_a, b, 30 * kMs);
    widget.setData(fixture.profile, reordered.finish(), FlameGraphWidget::Mode::TopDown);
    EXPECT_EQ(widget.zoomedNode(), new_b);
    EXPECT_EQ(widget.breadcrumb(), (QStringList{"all", "main", "a", "b"}));
    ASSERT_TRUE(widget.searchShare());
    EXPECT_DOUBLE_EQ(*widget.searchShare(), 0.25);

    TreeBuilder without_b; // b filtered out: the zoom stays on its caller
    CallNodeId only_main = without_b.add(CallTree::root(), main, 0);
    CallNodeId only_a = without_b.add(only_main, a, 5 * kMs);
    widget.setData(fixture.profile, without_b.finish(), FlameGraphWidget::Mode::TopDown);
    EXPECT_EQ(widget.zoomedNode(), only_a);

    Profile other = fixture.profile; // another profile: no zoom, no search
    widget.setData(other, fixture.tree, FlameGraphWidget::Mode::TopDown);
    EXPECT_EQ(widget.zoomedNode(), CallTree::root());
    EXPECT_FALSE(widget.searchShare());
}

// A filter that accepts no sample gives a tree without weight, or none at all.
TEST(FlameGraphWidget, EmptyTreesPaintNothingAndFindNothing) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    widget.zoomTo(fixture.b);
    ASSERT_TRUE(widget.setSearch("(b)"));
    for (CallTree empty : {CallTree{}, TreeBuilder().finish()}) {
        widget.setData(fixture.profile, empty, FlameGraphWidget::Mode::TopDown);
        EXPECT_TRUE(widget.layout().rects().empty());
        EXPECT_EQ(widget.zoomedNode(), CallTree::root());
        EXPECT_TRUE(widget.setSearch("(b)"));
        QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(100, 390));
        EXPECT_FALSE(widget.grab().isNull());
    }
}

TEST(FlameGraphWidget, ContextMenuRequestsFocusAndExclusionOfTheFunction) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    QSignalSpy focus(&widget, &FlameGraphWidget::focusRequested);
    QSignalSpy exclude(&widget, &FlameGraphWidget::excludeRequested);
    auto menu = widget.contextMenuAt(centre(widget, fixture.c));
    ASSERT_NE(menu, nullptr);
    QList<QAction*> actions = menu->actions();
    ASSERT_EQ(actions.size(), 3);
    actions[1]->trigger();
    actions[2]->trigger();
    ASSERT_EQ(focus.count(), 1);
    ASSERT_EQ(exclude.count(), 1);
    EXPECT_EQ(focus[0][0].value<FunctionId>(), fixture.c_function);
    EXPECT_EQ(exclude[0][0].value<FunctionId>(), fixture.c_function);
    actions[0]->trigger();
    EXPECT_EQ(widget.zoomedNode(), fixture.c);
    EXPECT_EQ(widget.contextMenuAt(QPoint(400, 5)), nullptr); // the breadcrumb
}

TEST(FlameGraphWidget, TooltipStatesSelfAndTotalTimeAndShares) {
    ZoomFixture fixture;
    const FlameRect* a = fixture.widget.layout().rectOf(fixture.a);
    ASSERT_NE(a, nullptr);
    QString text = fixture.widget.tooltipText(*a);
    EXPECT_TRUE(text.contains("prog.cpp:20(a)")) << text.toStdString();
    EXPECT_TRUE(text.contains("self: 0 ns (0.0%)")) << text.toStdString();
    EXPECT_TRUE(text.contains("total: 60.0 ms (60.0%)")) << text.toStdString();
}

TEST(FlameGraphWidget, ColoursByModuleOrBySelfShare) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    auto colourOf = [&widget](CallNodeId node) {
        QImage image(widget.size(), QImage::Format_ARGB32_Premultiplied);
        widget.render(&image);
        return image.pixelColor(centre(widget, node) + QPoint(0, 6)); // below the label
    };
    // One module: one hue, whatever the function.
    EXPECT_EQ(colourOf(fixture.b).hslHue(), colourOf(fixture.c).hslHue());
    EXPECT_EQ(colourOf(fixture.b).hslHue(), moduleHue("/bin/prog"));
    widget.setColorMode(FlameGraphWidget::ColorMode::BySelfShare);
    QColor hottest = colourOf(fixture.b); // 60 ms self
    QColor warm = colourOf(fixture.c);    // 40 ms self
    QColor cold = colourOf(fixture.a);    // no self time
    EXPECT_GT(hottest.hsvSaturation(), warm.hsvSaturation());
    EXPECT_GT(warm.hsvSaturation(), cold.hsvSaturation());
    EXPECT_LT(hottest.hsvHue(), cold.hsvHue()); // redder
}

TEST(FrameColors, ModuleHuesAreStableAndTellModulesApart) {
    EXPECT_EQ(moduleHue("/usr/lib/libc.so.6"), moduleHue(std::string("/usr/lib/libc.so.6")));
    EXPECT_NE(moduleHue("/usr/lib/libc.so.6"), moduleHue("/bin/prog"));
    EXPECT_GE(moduleHue(""), 0);
    EXPECT_LT(moduleHue("/some/other/path.so"), 360);
    EXPECT_DOUBLE_EQ(heat(25, 100), 0.5);
    EXPECT_DOUBLE_EQ(heat(0, 100), 0.0);
    EXPECT_DOUBLE_EQ(heat(100, 100), 1.0);
}

// needle is on the stack of 6 of the 10 ms: 3 x 1 ms under a, 1 ms directly, and 2 ms where it
// calls itself through `inner` (counted once).
Profile needleProfile() {
    StackProfile stacks;
    stacks.add({"main", "a", "needle"}, 1);
    stacks.add({"main", "a", "needle"}, 2);
    stacks.add({"main", "a", "needle"}, 3);
    stacks.add({"main", "needle"}, 4);
    stacks.add({"main", "needle", "inner", "needle"}, 5, 2);
    stacks.add({"main", "b"}, 6, 4);
    return stacks.take();
}

TEST(FlameGraphWidget, SearchStatesTheShareOfTheMatchesCountingEachSampleOnce) {
    Profile profile = needleProfile();
    FlameGraphWidget widget;
    widget.resize(600, 300);
    widget.setData(profile, topDown(profile), FlameGraphWidget::Mode::TopDown);
    EXPECT_FALSE(widget.searchShare());
    ASSERT_TRUE(widget.setSearch("NEEDLE"));
    ASSERT_TRUE(widget.searchShare());
    EXPECT_DOUBLE_EQ(*widget.searchShare(), 0.6);
    EXPECT_TRUE(widget.searchSummary().contains("60.0%")) << widget.searchSummary().toStdString();
    ASSERT_TRUE(widget.setSearch("\\((inner|b)\\)$", FlameGraphWidget::SearchKind::Regex));
    EXPECT_DOUBLE_EQ(*widget.searchShare(), 0.6); // inner 2 + b 4
    ASSERT_TRUE(widget.setSearch("nothing matches this"));
    EXPECT_DOUBLE_EQ(*widget.searchShare(), 0.0);
    EXPECT_FALSE(widget.setSearch("(", FlameGraphWidget::SearchKind::Regex));
    EXPECT_FALSE(widget.searchShare());
    ASSERT_TRUE(widget.setSearch(""));
    EXPECT_FALSE(widget.searchShare());

    // The icicle of the bottom-up tree: the same samples, the same share.
    widget.setData(profile, bottomUp(profile), FlameGraphWidget::Mode::Inverted);
    ASSERT_TRUE(widget.setSearch("needle"));
    EXPECT_DOUBLE_EQ(*widget.searchShare(), 0.6);
}

TEST(FlameGraphWidget, InvertedModeHangsTheRootAtTheTop) {
    ZoomFixture fixture;
    FlameGraphWidget& widget = fixture.widget;
    auto top = [&widget](CallNodeId node) {
        return widget.frameRect(*widget.layout().rectOf(node)).top();
    };
    EXPECT_GT(top(CallTree::root()), top(fixture.b)); // flame: the root at the bottom
    widget.setData(fixture.profile, fixture.tree, FlameGraphWidget::Mode::Inverted);
    EXPECT_LT(top(CallTree::root()), top(fixture.b));
    // A click still finds the frame where it is painted.
    QTest::mouseClick(&widget, Qt::LeftButton, {}, centre(widget, fixture.b));
    EXPECT_EQ(widget.zoomedNode(), fixture.b);
}

void wheel(QWidget& widget, int steps) {
    QPointF position(100, 200);
    QWheelEvent event(position, widget.mapToGlobal(position), QPoint(), QPoint(0, 120 * steps),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

// A stack 100 frames deep in a widget 20 rows high: the wheel scrolls the deep frames into view
// and stops at the ends.
TEST(FlameGraphWidget, TheWheelScrollsStacksDeeperThanTheWidget) {
    StackProfile stacks;
    TreeBuilder builder;
    CallNodeId node = CallTree::root();
    for (int depth = 0; depth < 100; ++depth)
        node = builder.add(node, stacks.function("f" + std::to_string(depth)), depth == 99);
    Profile profile = stacks.take();
    FlameGraphWidget widget;
    widget.resize(400, 400);
    CallTree tree = builder.finish();
    widget.setData(profile, tree, FlameGraphWidget::Mode::TopDown);
    auto top = [&] { return widget.frameRect(*widget.layout().rectOf(node)).top(); };
    auto root = [&] { return widget.frameRect(*widget.layout().rectOf(CallTree::root())); };
    EXPECT_LT(top(), 0); // the leaf is far above the top
    EXPECT_EQ(root().bottom(), 400);
    wheel(widget, 100);
    EXPECT_GE(top(), 22); // below the breadcrumb: the leaf shows
    EXPECT_LT(top(), 22 + 18);
    EXPECT_GT(root().top(), 400);
    wheel(widget, -200);
    EXPECT_EQ(root().bottom(), 400);

    widget.setData(profile, tree, FlameGraphWidget::Mode::Inverted);
    EXPECT_EQ(root().top(), 22);
    EXPECT_GT(top(), 400);
    wheel(widget, -100); // the icicle hangs down: the wheel pulls it up
    EXPECT_LE(top() + 18, 400);
    EXPECT_LT(root().top(), 0);
}

// 100,000 frames: a random-looking but fixed tree over 1,000 functions, painted offscreen.
TEST(FlameGraphWidget, PaintsAHundredThousandFrames) {
    StackProfile stacks;
    std::vector<FunctionId> functions;
    for (int i = 0; i < 1000; ++i)
        functions.push_back(stacks.function("function_" + std::to_string(i)));
    Profile profile = stacks.take();
    TreeBuilder builder;
    std::vector<CallNodeId> nodes{CallTree::root()};
    uint32_t state = 777;
    for (uint32_t i = 0; i < 100'000; ++i) {
        state = state * 1103515245u + 12345u;
        size_t window = std::min<size_t>(nodes.size(), 6);
        size_t back = (state >> 8) % 5 == 0 ? (state >> 12) % nodes.size()
                                            : nodes.size() - 1 - (state >> 12) % window;
        nodes.push_back(
            builder.add(nodes[back], functions[i % 1000], int64_t((state >> 16) % 50) * 1000));
    }
    FlameGraphWidget widget;
    widget.resize(1600, 1000);
    auto start = std::chrono::steady_clock::now();
    widget.setData(profile, builder.finish(), FlameGraphWidget::Mode::TopDown);
    auto laid_out = std::chrono::steady_clock::now();
    QImage image(widget.size(), QImage::Format_ARGB32_Premultiplied);
    widget.render(&image);
    auto painted = std::chrono::steady_clock::now();
    widget.render(&image); // again, with the fonts and caches warm: a repaint
    auto repainted = std::chrono::steady_clock::now();
    auto ms = [](auto from, auto to) {
        return std::chrono::duration<double, std::milli>(to - from).count();
    };
    std::printf("100,000 frames: layout %.1f ms, first paint %.1f ms, repaint %.1f ms\n",
                ms(start, laid_out), ms(laid_out, painted), ms(painted, repainted));

    const FlameLayout& layout = widget.layout();
    ASSERT_GT(layout.rows(), 10u);
    const FlameRect* root = layout.rectOf(CallTree::root());
    ASSERT_NE(root, nullptr);
    EXPECT_DOUBLE_EQ(root->width, 1600);
    // Every frame laid out is at least a pixel wide; the narrower ones are in merged blocks.
    size_t merged = 0;
    for (const FlameRect& rect : layout.rects()) {
        if (rect.merged)
            merged += rect.merged_count;
        else
            EXPECT_GE(rect.width, 1.0);
    }
    EXPECT_GT(merged, 0u);
    // The root's row is painted at the bottom in its colour, a merged block in grey.
    QPoint root_pixel = widget.frameRect(*root).center().toPoint();
    EXPECT_EQ(image.pixelColor(root_pixel), QColor(200, 200, 210));
    EXPECT_EQ(root_pixel.y(), 1000 - 9);
}

} // namespace
} // namespace hprof::viewer
