#include "hprof/call_tree.h"

#include "saturating.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace hprof {

void Cost::add(const Sample& sample) {
    ++samples;
    addSaturating(weight_ns, sample.weight_ns);
    if (sample.off_cpu)
        addSaturating(off_cpu_ns, sample.weight_ns);
    else if (sample.run_queue)
        addSaturating(run_queue_ns, sample.weight_ns);
}

void Cost::add(const Cost& other) {
    samples += other.samples;
    addSaturating(weight_ns, other.weight_ns);
    addSaturating(off_cpu_ns, other.off_cpu_ns);
    addSaturating(run_queue_ns, other.run_queue_ns);
}

StackCosts computeStackCosts(const SampleSelector& selector) {
    StackCosts costs;
    costs.by_leaf.resize(selector.profile().stacks.size());
    selector.forEach([&](const Sample& sample) { costs.by_leaf[sample.stack.value].add(sample); });
    for (uint32_t i = 0; i < costs.by_leaf.size(); ++i) {
        if (costs.by_leaf[i].samples == 0)
            continue;
        costs.leaves.push_back(StackId(i));
        costs.total.add(costs.by_leaf[i]);
    }
    return costs;
}

std::vector<FunctionId> CallTree::path(CallNodeId id) const {
    std::vector<FunctionId> functions;
    for (CallNodeId at = id; at.valid() && node(at).function.valid(); at = node(at).parent)
        functions.push_back(node(at).function);
    std::reverse(functions.begin(), functions.end());
    return functions;
}

namespace {

FunctionId functionOf(const Profile& profile, StackId node) {
    return profile.frame(profile.stack(node).frame).function;
}

// The child node of each (parent, function) pair: an open-addressing table with linear probing,
// a flat array (std::unordered_map's chained nodes made the lookups, a third of a filter change,
// wait on memory).
class ChildTable {
  public:
    explicit ChildTable(size_t expected) {
        grow(std::bit_ceil(std::max<size_t>(expected * 2, 64)));
    }

    // The child's slot: its value is CallNodeId() when the pair is new (the caller fills it).
    CallNodeId& find(CallNodeId parent, FunctionId function) {
        if ((used_ + 1) * 2 > slots_.size())
            grow(slots_.size() * 2);
        const uint64_t key = uint64_t(parent.value) << 32 | function.value;
        for (size_t i = slotOf(key);; i = (i + 1) & (slots_.size() - 1)) {
            Slot& slot = slots_[i];
            if (slot.key == key)
                return slot.child;
            if (!slot.child.valid()) {
                slot.key = key;
                ++used_;
                return slot.child;
            }
        }
    }

  private:
    struct Slot {
        uint64_t key = 0;
        CallNodeId child; // invalid: empty slot
    };

    size_t slotOf(uint64_t key) const {
        return size_t((key * 0x9E3779B97F4A7C15ull) >> 32) & (slots_.size() - 1);
    }

    void grow(size_t size) {
        std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(size));
        for (const Slot& slot : old) {
            if (!slot.child.valid())
                continue;
            size_t i = slotOf(slot.key);
            while (slots_[i].child.valid())
                i = (i + 1) & (slots_.size() - 1);
            slots_[i] = slot;
        }
    }

    std::vector<Slot> slots_;
    size_t used_ = 0;
};

// Grows a tree node by node; a (parent, function) pair gets one node.
class TreeGrower {
  public:
    // `expected_nodes`: a guess of the tree's size, reserved up front.
    TreeGrower(Cost total, size_t expected_nodes) : children_(expected_nodes) {
        tree_.nodes.reserve(expected_nodes + 1);
        tree_.nodes.emplace_back();
        tree_.nodes[0].total = total;
    }

    CallNodeId child(CallNodeId parent, FunctionId function) {
        CallNodeId& child = children_.find(parent, function);
        if (!child.valid()) {
            child = CallNodeId(uint32_t(tree_.nodes.size()));
            CallNode node;
            node.function = function;
            node.parent = parent;
            node.depth = tree_.nodes[parent.value].depth + 1;
            tree_.nodes.push_back(std::move(node));
            tree_.nodes[parent.value].children.push_back(child);
        }
        return child;
    }

    CallNode& operator[](CallNodeId id) { return tree_.nodes[id.value]; }

    // Top-down: each node's total is its self plus its children's totals. A child is created
    // after its parent, so adding in reverse order sums each subtree once.
    void sumSelfIntoTotals() {
        for (size_t i = tree_.nodes.size(); i-- > 1;) {
            CallNode& node = tree_.nodes[i];
            node.total.add(node.self);
            tree_.nodes[node.parent.value].total.add(node.total);
        }
    }

    // Children by total cost, largest first; ties by function name, then id.
    CallTree finish(const Profile& profile) {
        auto larger = [&](CallNodeId a, CallNodeId b) {
            const CallNode& first = tree_.node(a);
            const CallNode& second = tree_.node(b);
            if (first.total.weight_ns != second.total.weight_ns)
                return first.total.weight_ns > second.total.weight_ns;
            const std::string& name_a = profile.function(first.function).name;
            const std::string& name_b = profile.function(second.function).name;
            return name_a != name_b ? name_a < name_b : first.function < second.function;
        };
        for (CallNode& node : tree_.nodes)
            std::sort(node.children.begin(), node.children.end(), larger);
        return std::move(tree_);
    }

  private:
    CallTree tree_;
    ChildTable children_;
};

// The top-down node of every stack node on the way to `leaf`, creating the missing ones; a stack
// node's answer is kept, so each stack node is resolved once.
CallNodeId topDownNode(const Profile& profile, StackId leaf, TreeGrower& grower,
                       std::vector<CallNodeId>& of_stack) {
    std::vector<StackId> unresolved;
    StackId at = leaf;
    for (; at.valid() && !of_stack[at.value].valid(); at = profile.stack(at).parent)
        unresolved.push_back(at);
    CallNodeId node = at.valid() ? of_stack[at.value] : CallTree::root();
    for (auto it = unresolved.rbegin(); it != unresolved.rend(); ++it) {
        node = grower.child(node, functionOf(profile, *it));
        of_stack[it->value] = node;
    }
    return node;
}

} // namespace

CallTree buildTopDownTree(const Profile& profile, const StackCosts& costs) {
    // At most one call node per stack node; about the stack nodes that samples reach.
    TreeGrower grower(costs.total, std::min(profile.stacks.size(), costs.leaves.size() * 8));
    std::vector<CallNodeId> of_stack(profile.stacks.size());
    for (StackId leaf : costs.leaves)
        grower[topDownNode(profile, leaf, grower, of_stack)].self.add(costs.by_leaf[leaf.value]);
    grower[CallTree::root()].total = Cost();
    grower.sumSelfIntoTotals();
    return grower.finish(profile);
}

// Bottom-up paths share less than top-down ones: each leaf stack adds about half its depth.
constexpr size_t kBottomUpNodesPerLeaf = 16;

CallTree buildBottomUpTree(const Profile& profile, const StackCosts& costs) {
    TreeGrower grower(costs.total, costs.leaves.size() * kBottomUpNodesPerLeaf);
    for (StackId leaf : costs.leaves) {
        const Cost& cost = costs.by_leaf[leaf.value];
        CallNodeId node = CallTree::root();
        for (StackId at = leaf; at.valid(); at = profile.stack(at).parent) {
            node = grower.child(node, functionOf(profile, at));
            grower[node].total.add(cost);
        }
        grower[node].self.add(cost);
    }
    return grower.finish(profile);
}

} // namespace hprof
