// FlameLayout: widths proportional to total weight, children inside their parents, sub-pixel
// frames merged per parent with their weight kept, rows ordered for painting and hit tests.
#include "hprof/viewer/flame_layout.h"
#include "test_profiles.h"

#include <gtest/gtest.h>

#include <map>

namespace hprof::viewer {
namespace {

using test::TreeBuilder;

// Checks every invariant of a layout: rows ordered by x and not overlapping, each laid-out node's
// children (and merged block) inside it, their widths plus its self width equal to its width.
void expectConsistent(const CallTree& tree, const FlameLayout& layout) {
    std::map<uint32_t, const FlameRect*> by_node;
    std::map<uint32_t, double> children_width;
    for (uint32_t depth = 0; depth < layout.rows(); ++depth) {
        for (size_t i = layout.rowBegin(depth); i < layout.rowBegin(depth + 1); ++i) {
            const FlameRect& rect = layout.rects()[i];
            ASSERT_EQ(rect.depth, depth);
            if (i > layout.rowBegin(depth)) {
                const FlameRect& before = layout.rects()[i - 1];
                ASSERT_LE(before.x + before.width, rect.x + 1e-6);
            }
            if (!rect.merged)
                by_node[rect.node.value] = &rect;
            if (depth == 0)
                continue;
            const FlameRect* parent = by_node.at(rect.parent.value);
            ASSERT_GE(rect.x, parent->x - 1e-6);
            ASSERT_LE(rect.x + rect.width, parent->x + parent->width + 1e-6);
            children_width[rect.parent.value] += rect.width;
        }
    }
    for (const auto& [node, rect] : by_node) {
        const CallNode& call = tree.nodes[node];
        double scale = rect->width / double(call.total.weight_ns);
        EXPECT_NEAR(children_width[node] + double(call.self.weight_ns) * scale, rect->width, 1e-6)
            << "node " << node;
    }
}

TEST(FlameLayout, WidthsAreSharesOfTheZoomedNode) {
    TreeBuilder builder;
    CallNodeId main = builder.add(CallTree::root(), FunctionId(0), 100);
    CallNodeId a = builder.add(main, FunctionId(1), 200);
    CallNodeId b = builder.add(main, FunctionId(2), 300);
    CallNodeId c = builder.add(a, FunctionId(3), 400);
    CallTree tree = builder.finish(); // main 1000: b 300, a 600 (c 400)
    FlameLayout layout(tree, CallTree::root(), 1000);
    ASSERT_EQ(layout.rows(), 4u);
    EXPECT_DOUBLE_EQ(layout.rectOf(main)->width, 1000);
    EXPECT_DOUBLE_EQ(layout.rectOf(a)->x, 0); // the larger child first
    EXPECT_DOUBLE_EQ(layout.rectOf(a)->width, 600);
    EXPECT_DOUBLE_EQ(layout.rectOf(b)->x, 600);
    EXPECT_DOUBLE_EQ(layout.rectOf(b)->width, 300);
    EXPECT_DOUBLE_EQ(layout.rectOf(c)->width, 400);
    EXPECT_EQ(layout.rectOf(c)->depth, 3u);
    expectConsistent(tree, layout);

    FlameLayout zoomed(tree, a, 1000);
    ASSERT_EQ(zoomed.rows(), 2u);
    EXPECT_DOUBLE_EQ(zoomed.rectOf(a)->width, 1000);
    EXPECT_EQ(zoomed.rectOf(a)->depth, 0u);
    EXPECT_DOUBLE_EQ(zoomed.rectOf(c)->width, 1000 * 400.0 / 600);
    EXPECT_EQ(zoomed.rectOf(b), nullptr);
    expectConsistent(tree, zoomed);
}

TEST(FlameLayout, SubPixelChildrenAreMergedPerParentWithTheirWeight) {
    TreeBuilder builder;
    CallNodeId main = builder.add(CallTree::root(), FunctionId(0), 0);
    CallNodeId big = builder.add(main, FunctionId(1), 890);
    std::vector<CallNodeId> tiny;
    for (uint32_t i = 0; i < 10; ++i) // 10 of 1000 at 100 px: 0.1 px each
        tiny.push_back(builder.add(main, FunctionId(2 + i), 1));
    builder.add(tiny[0], FunctionId(20), 0); // a child of a merged frame is not laid out
    builder.add(big, FunctionId(21), 100);   // 10 px: kept
    CallTree tree = builder.finish();
    FlameLayout layout(tree, CallTree::root(), 100);
    for (CallNodeId node : tiny)
        EXPECT_EQ(layout.rectOf(node), nullptr);
    std::vector<FlameRect> merged;
    for (const FlameRect& rect : layout.rects())
        if (rect.merged)
            merged.push_back(rect);
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged[0].parent, main);
    EXPECT_EQ(merged[0].merged_count, 10u);
    EXPECT_EQ(merged[0].merged_weight_ns, 10);
    EXPECT_DOUBLE_EQ(merged[0].width, 1.0);
    EXPECT_DOUBLE_EQ(merged[0].x, 99.0);
    EXPECT_EQ(merged[0].depth, 2u);
    EXPECT_EQ(layout.rows(), 4u); // root, main, big + merged, big's child
    expectConsistent(tree, layout);
}

TEST(FlameLayout, HitTestFindsTheRectangleUnderAPoint) {
    TreeBuilder builder;
    CallNodeId main = builder.add(CallTree::root(), FunctionId(0), 0);
    CallNodeId a = builder.add(main, FunctionId(1), 75);
    CallNodeId b = builder.add(main, FunctionId(2), 25);
    CallTree tree = builder.finish();
    FlameLayout layout(tree, CallTree::root(), 400);
    EXPECT_EQ(layout.rectAt(10, 1)->node, main);
    EXPECT_EQ(layout.rectAt(299, 2)->node, a);
    EXPECT_EQ(layout.rectAt(300, 2)->node, b);
    EXPECT_EQ(layout.rectAt(399.5, 2)->node, b);
    EXPECT_EQ(layout.rectAt(401, 2), nullptr);
    EXPECT_EQ(layout.rectAt(10, 3), nullptr);
}

TEST(FlameLayout, EmptyTreeHasNoRows) {
    TreeBuilder builder;
    CallTree tree = builder.finish();
    FlameLayout layout(tree, CallTree::root(), 500);
    EXPECT_EQ(layout.rows(), 0u);
    EXPECT_TRUE(layout.rects().empty());
    EXPECT_EQ(layout.rectAt(1, 0), nullptr);
}

// A deterministic tree of 100,000 nodes: every node's parent is an earlier node, so depths and
// fan-outs vary; the layout keeps every invariant.
TEST(FlameLayout, HundredThousandFramesKeepEveryInvariant) {
    TreeBuilder builder;
    std::vector<CallNodeId> nodes{CallTree::root()};
    uint32_t state = 12345;
    for (uint32_t i = 0; i < 100'000; ++i) {
        state = state * 1103515245u + 12345u;
        // Mostly recent parents: deep stacks; sometimes any earlier node: wide fan-outs.
        size_t back = (state >> 8) % 4 == 0
                          ? (state >> 12) % nodes.size()
                          : nodes.size() - 1 - (state >> 12) % std::min<size_t>(nodes.size(), 8);
        nodes.push_back(
            builder.add(nodes[back], FunctionId(i % 1000), int64_t((state >> 16) % 100)));
    }
    CallTree tree = builder.finish();
    FlameLayout layout(tree, CallTree::root(), 1920);
    expectConsistent(tree, layout);
    double merged_weight = 0;
    for (const FlameRect& rect : layout.rects())
        if (rect.merged)
            merged_weight += double(rect.merged_weight_ns);
    EXPECT_GT(merged_weight, 0);
    EXPECT_GT(layout.rows(), 10u);
}

} // namespace
} // namespace hprof::viewer
