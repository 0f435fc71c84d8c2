// Call trees with costs per node, built from one pass over the selected samples: the samples'
// weights are first summed per leaf stack (StackCosts: a million samples share a few thousand
// stacks), then the top-down and bottom-up trees, the per-function statistics and the
// caller/callee lists are derived from those sums.
#pragma once

#include "hprof/filter.h"
#include "hprof/profile.h"
#include "hprof/typed_id.h"

#include <cstdint>
#include <vector>

namespace hprof {

using CallNodeId = TypedId<struct CallNodeTag>;

// The cost of a set of samples.
struct Cost {
    uint64_t samples = 0;
    int64_t weight_ns = 0;    // everything: what shares divide by
    int64_t off_cpu_ns = 0;   // part of weight_ns from off-CPU (blocked) samples
    int64_t run_queue_ns = 0; // part of weight_ns from run-queue samples
    void add(const Sample& sample);
    void add(const Cost& other);
    int64_t cpuNs() const { return weight_ns - off_cpu_ns - run_queue_ns; }
};

// The accepted samples summed per leaf stack node.
struct StackCosts {
    std::vector<Cost> by_leaf;   // indexed by StackId::value; zero for unused nodes
    std::vector<StackId> leaves; // the leaf nodes with at least one accepted sample, ascending
    Cost total;
};

StackCosts computeStackCosts(const SampleSelector& selector);

// One node of a call tree: a function reached through one path of calls. Frames of the same
// function next to each other on a stack (inlined into itself) are still separate nodes:
// recursion shows as nesting, as in hotspot.
struct CallNode {
    FunctionId function; // invalid for the root
    CallNodeId parent;   // invalid for the root
    std::vector<CallNodeId> children; // by total cost, largest first; ties by function name, id
    // Top-down: self = samples whose leaf is this node, total = samples through this node.
    // Bottom-up: the root's children are the leaf functions and a node's children are its
    // callers; total = samples whose stack ends (read from the leaf) with the path from the
    // root's child to this node; self = those whose stack has no frame beyond this node.
    Cost self;
    Cost total;
    uint32_t depth = 0; // root 0
};

struct CallTree {
    std::vector<CallNode> nodes; // nodes[0] is the root (all accepted samples)
    static constexpr CallNodeId root() { return CallNodeId(0); }
    const CallNode& node(CallNodeId id) const { return nodes[id.value]; }
    // The functions from the root's child down to `id`, outermost first (top-down) or leaf first
    // (bottom-up), as the path of the tree.
    std::vector<FunctionId> path(CallNodeId id) const;
};

CallTree buildTopDownTree(const Profile& profile, const StackCosts& costs);
CallTree buildBottomUpTree(const Profile& profile, const StackCosts& costs);

} // namespace hprof
