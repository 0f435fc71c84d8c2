#include "hprof/call_tree.h"

#include "saturating.h"

#include <algorithm>
#include <unordered_map>

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

// Grows a tree node by node; a (parent, function) pair gets one node.
class TreeGrower {
  public:
    explicit TreeGrower(Cost total) {
        tree_.nodes.emplace_back();
        tree_.nodes[0].total = total;
    }

    CallNodeId child(CallNodeId parent, FunctionId function) {
        const uint64_t key = uint64_t(parent.value) << 32 | function.value;
        auto [entry, added] = children_.try_emplace(key, CallNodeId(uint32_t(tree_.nodes.size())));
        if (added) {
            CallNode node;
            node.function = function;
            node.parent = parent;
            node.depth = tree_.nodes[parent.value].depth + 1;
            tree_.nodes.push_back(std::move(node));
            tree_.nodes[parent.value].children.push_back(entry->second);
        }
        return entry->second;
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
    std::unordered_map<uint64_t, CallNodeId> children_;
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
    TreeGrower grower(costs.total);
    std::vector<CallNodeId> of_stack(profile.stacks.size());
    for (StackId leaf : costs.leaves)
        grower[topDownNode(profile, leaf, grower, of_stack)].self.add(costs.by_leaf[leaf.value]);
    grower[CallTree::root()].total = Cost();
    grower.sumSelfIntoTotals();
    return grower.finish(profile);
}

CallTree buildBottomUpTree(const Profile& profile, const StackCosts& costs) {
    TreeGrower grower(costs.total);
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
