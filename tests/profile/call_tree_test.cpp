// Call trees over the call-tree fixture (test_support.h), weights in ms:
//   t=1 thread 100  main->alpha->beta->alpha  1      t=4 thread 200  main              4
//   t=2 thread 100  main->alpha->beta         2      t=5 thread 101  main->find        5
//   t=3 thread 101  main->[gamma_inline]->delta 3
#include "hprof/analysis.h"
#include "hprof/call_tree.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace hprof {
namespace {

using test::kMs;

struct Trees {
    StackCosts costs;
    CallTree top_down;
    CallTree bottom_up;
};

Trees treesOf(const Profile& profile, const SampleFilter& filter = {}) {
    SampleSelector selector(profile, filter);
    StackCosts costs = computeStackCosts(selector);
    return {costs, buildTopDownTree(profile, costs), buildBottomUpTree(profile, costs)};
}

std::string nameOf(const Profile& profile, const CallTree& tree, CallNodeId id) {
    return profile.function(tree.node(id).function).name;
}

// The names of a node's children, in order, with their total weights in ms.
std::vector<std::pair<std::string, int64_t>> children(const Profile& profile, const CallTree& tree,
                                                      CallNodeId id) {
    std::vector<std::pair<std::string, int64_t>> names;
    for (CallNodeId child : tree.node(id).children)
        names.emplace_back(nameOf(profile, tree, child), tree.node(child).total.weight_ns / kMs);
    return names;
}

CallNodeId childNamed(const Profile& profile, const CallTree& tree, CallNodeId id,
                      const std::string& name) {
    for (CallNodeId child : tree.node(id).children) {
        if (nameOf(profile, tree, child) == name)
            return child;
    }
    ADD_FAILURE() << "no child " << name;
    return CallTree::root();
}

// The sums that tie the trees to each other and to the function statistics.
void expectConsistent(const Profile& profile, const SampleFilter& filter) {
    SCOPED_TRACE(describeFilter(profile, filter));
    const Trees trees = treesOf(profile, filter);
    const Totals totals = computeTotals(profile, filter);
    std::map<uint32_t, int64_t> self_by_function; // top-down self per function
    for (const CallTree* tree : {&trees.top_down, &trees.bottom_up}) {
        EXPECT_EQ(tree->node(CallTree::root()).total.weight_ns, totals.weight_ns);
        EXPECT_EQ(tree->node(CallTree::root()).total.samples, totals.samples);
        int64_t self_sum = 0;
        for (const CallNode& node : tree->nodes)
            self_sum += node.self.weight_ns;
        EXPECT_EQ(self_sum, totals.weight_ns);
    }
    for (const CallNode& node : trees.top_down.nodes) {
        if (node.function.valid())
            self_by_function[node.function.value] += node.self.weight_ns;
    }
    std::map<uint32_t, int64_t> bottom_up_roots;
    for (CallNodeId child : trees.bottom_up.node(CallTree::root()).children)
        bottom_up_roots[trees.bottom_up.node(child).function.value] =
            trees.bottom_up.node(child).total.weight_ns;
    for (const FunctionStats& stats : computeFunctionStats(profile, filter)) {
        EXPECT_EQ(self_by_function[stats.function.value], stats.self_ns);
        EXPECT_EQ(bottom_up_roots[stats.function.value], stats.self_ns);
    }
}

TEST(CallTree, StackCostsSumTheSamplesPerLeaf) {
    Profile profile = test::callTreeProfile();
    StackCosts costs = computeStackCosts(SampleSelector(profile, {}));
    EXPECT_EQ(costs.leaves.size(), 5u);
    EXPECT_EQ(costs.total.samples, 5u);
    EXPECT_EQ(costs.total.weight_ns, 15 * kMs);
    EXPECT_EQ(costs.by_leaf[profile.samples[3].stack.value].weight_ns, 4 * kMs);
    EXPECT_TRUE(std::is_sorted(costs.leaves.begin(), costs.leaves.end()));
}

TEST(CallTree, TopDownNestsRecursionAndOrdersChildrenByTotal) {
    Profile profile = test::callTreeProfile();
    const CallTree tree = treesOf(profile).top_down;
    const CallNode& root = tree.node(CallTree::root());
    EXPECT_FALSE(root.function.valid());
    EXPECT_EQ(root.total.weight_ns, 15 * kMs);
    ASSERT_EQ(root.children.size(), 1u);
    const CallNodeId main = root.children[0];
    EXPECT_EQ(tree.node(main).self.weight_ns, 4 * kMs);
    // find 5 first; alpha(int) and gamma_inline tie at 3: by name.
    using Row = std::pair<std::string, int64_t>;
    EXPECT_EQ(children(profile, tree, main),
              (std::vector<Row>{
                  {"std::map<int, int>::find", 5}, {"alpha(int)", 3}, {"gamma_inline", 3}}));
    const CallNodeId alpha = childNamed(profile, tree, main, "alpha(int)");
    const CallNodeId beta = childNamed(profile, tree, alpha, "beta()");
    EXPECT_EQ(tree.node(beta).self.weight_ns, 2 * kMs);
    const CallNodeId inner = childNamed(profile, tree, beta, "alpha(int)");
    EXPECT_EQ(tree.node(inner).self.weight_ns, 1 * kMs);
    EXPECT_EQ(tree.node(inner).depth, 4u);
    EXPECT_EQ(tree.node(inner).parent, beta);
    std::vector<FunctionId> path = tree.path(inner);
    ASSERT_EQ(path.size(), 4u);
    EXPECT_EQ(profile.function(path[0]).name, "main");
    EXPECT_EQ(profile.function(path[3]).name, "alpha(int)");
    EXPECT_TRUE(tree.path(CallTree::root()).empty());
}

TEST(CallTree, BottomUpStartsAtTheLeavesAndListsCallers) {
    Profile profile = test::callTreeProfile();
    const CallTree tree = treesOf(profile).bottom_up;
    using Row = std::pair<std::string, int64_t>;
    EXPECT_EQ(children(profile, tree, CallTree::root()),
              (std::vector<Row>{{"std::map<int, int>::find", 5},
                                {"main", 4},
                                {"delta", 3},
                                {"beta()", 2},
                                {"alpha(int)", 1}}));
    const CallNodeId leaf_main = childNamed(profile, tree, CallTree::root(), "main");
    EXPECT_EQ(tree.node(leaf_main).self.weight_ns, 4 * kMs);
    EXPECT_TRUE(tree.node(leaf_main).children.empty());
    // alpha <- beta <- alpha <- main: the whole stack, read from the leaf.
    CallNodeId node = childNamed(profile, tree, CallTree::root(), "alpha(int)");
    for (const char* caller : {"beta()", "alpha(int)", "main"})
        node = childNamed(profile, tree, node, caller);
    EXPECT_EQ(tree.node(node).self.weight_ns, 1 * kMs);
    EXPECT_EQ(tree.node(node).total.weight_ns, 1 * kMs);
    std::vector<FunctionId> path = tree.path(node);
    ASSERT_EQ(path.size(), 4u);
    EXPECT_EQ(profile.function(path[0]).name, "alpha(int)"); // leaf first
    EXPECT_EQ(profile.function(path[3]).name, "main");
    // delta's caller is the inlined frame, a function of its own.
    const CallNodeId delta = childNamed(profile, tree, CallTree::root(), "delta");
    EXPECT_EQ(children(profile, tree, delta), (std::vector<Row>{{"gamma_inline", 3}}));
}

TEST(CallTree, SumsAgreeWithTheFunctionStatsUnderEveryFilter) {
    Profile profile = test::callTreeProfile();
    expectConsistent(profile, {});
    expectConsistent(profile, resolveFilter(profile, {.focus_functions = {"beta"}}));
    expectConsistent(profile, resolveFilter(profile, {.excluded_functions = {"find"}}));
    expectConsistent(profile, resolveFilter(profile, {.modules = {"app"}}));
    expectConsistent(profile, resolveFilter(profile, {.tids = {101}}));
    expectConsistent(profile, resolveFilter(profile, {.from_ns = 2 * kMs, .to_ns = 4 * kMs}));
}

TEST(CallTree, FiltersChangeTheTree) {
    Profile profile = test::callTreeProfile();
    const CallTree focused =
        treesOf(profile, resolveFilter(profile, {.focus_functions = {"beta"}})).top_down;
    EXPECT_EQ(focused.node(CallTree::root()).total.weight_ns, 3 * kMs);
    const CallNodeId main = focused.node(CallTree::root()).children.at(0);
    using Row = std::pair<std::string, int64_t>;
    EXPECT_EQ(children(profile, focused, main), (std::vector<Row>{{"alpha(int)", 3}}));
    const CallTree threads = treesOf(profile, resolveFilter(profile, {.tids = {200}})).top_down;
    EXPECT_EQ(threads.nodes.size(), 2u); // root and main
    const CallTree window =
        treesOf(profile, resolveFilter(profile, {.from_ns = 5 * kMs})).bottom_up;
    EXPECT_EQ(children(profile, window, CallTree::root()),
              (std::vector<Row>{{"std::map<int, int>::find", 5}}));
    const CallTree empty = treesOf(profile, resolveFilter(profile, {.from_ns = 50 * kMs})).top_down;
    EXPECT_EQ(empty.nodes.size(), 1u);
    EXPECT_EQ(empty.node(CallTree::root()).total.samples, 0u);
}

// Random stacks over a few functions (recursion included) keep the sums.
TEST(CallTree, SumsHoldForRandomStacks) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.processes.push_back(test::makeProcess(1, 0, "r", 0, 100, 0));
    profile.threads.push_back({ProcessId(0), 1, "a", 0, 100, 0});
    profile.threads.push_back({ProcessId(0), 2, "b", 0, 100, 0});
    ModuleId module = builder.internModule({"/r", ""});
    std::vector<FrameId> frames;
    for (int i = 0; i < 6; ++i)
        frames.push_back(builder.internFrame(
            {builder.internFunction({"f" + std::to_string(i), "r.c", uint32_t(i), module}),
             uint32_t(i % 2), false}));
    std::mt19937 random(7);
    for (int64_t t = 0; t < 400; ++t) {
        StackId stack;
        const int depth = 1 + int(random() % 8);
        for (int d = 0; d < depth; ++d)
            stack = builder.internStack(stack, frames[random() % frames.size()]);
        profile.samples.push_back({t, ThreadId(uint32_t(random() % 2)), stack,
                                   int64_t(1 + random() % 5), random() % 7 == 0, false});
    }
    Profile built = builder.take();
    expectConsistent(built, {});
    expectConsistent(built, resolveFilter(built, {.focus_functions = {"f3"}}));
    expectConsistent(built, resolveFilter(built, {.tids = {2}, .excluded_functions = {"f1"}}));
}

} // namespace
} // namespace hprof
