#include "test_profiles.h"

#include "hprof/profile_builder.h"

#include <algorithm>
#include <map>

namespace hprof::viewer::test {

struct StackProfile::Impl {
    ProfileBuilder builder;
    ModuleId module;
    std::map<std::string, FunctionId> functions;
};

StackProfile::StackProfile() : impl_(new Impl) {
    impl_->module = impl_->builder.internModule({"/bin/prog", ""});
    Profile& profile = impl_->builder.profile();
    profile.run.wall_ns = 1000 * kMs;
    profile.run.frequency_hz = 1000;
    Process process;
    process.pid = 100;
    process.command = "prog";
    process.end_ns = 1000 * kMs;
    profile.processes.push_back(process);
    profile.threads.push_back({ProcessId(0), 100, "prog", 0, 1000 * kMs, 0});
}

StackProfile::~StackProfile() {
    delete impl_;
}

FunctionId StackProfile::function(const std::string& name) {
    auto found = impl_->functions.find(name);
    if (found != impl_->functions.end())
        return found->second;
    uint32_t line = uint32_t(impl_->functions.size() + 1) * 10;
    FunctionId id = impl_->builder.internFunction({name, "prog.cpp", line, impl_->module});
    impl_->functions.emplace(name, id);
    return id;
}

void StackProfile::add(std::initializer_list<std::string> frames, int64_t time_ms,
                       int64_t weight_ms, uint32_t thread) {
    StackId stack;
    for (const std::string& name : frames)
        stack = impl_->builder.internStack(stack, impl_->builder.internFrame({function(name), 1}));
    impl_->builder.profile().samples.push_back(
        {time_ms * kMs, ThreadId(thread), stack, weight_ms * kMs});
}

Profile& StackProfile::profile() {
    return impl_->builder.profile();
}

Profile StackProfile::take() {
    return impl_->builder.take();
}

Profile twoProcessProfile() {
    StackProfile stacks;
    Profile& profile = stacks.profile();
    Process child;
    child.pid = 200;
    child.ppid = 100;
    child.parent = ProcessId(0);
    child.command = "child";
    child.start_ns = 200 * kMs;
    child.end_ns = 800 * kMs;
    profile.processes.push_back(child);
    profile.threads.push_back({ProcessId(0), 101, "worker", 100 * kMs, 900 * kMs, 0});
    profile.threads.push_back({ProcessId(1), 200, "child", 200 * kMs, 800 * kMs, 0});
    stacks.add({"main", "spin"}, 50, 1, 0);
    stacks.add({"main", "work"}, 300, 1, 1);
    stacks.add({"main", "child_work"}, 500, 1, 2);
    return stacks.take();
}

Profile twoRankJobProfile() {
    Profile profile = twoProcessProfile();
    profile.run.host = "node0";
    profile.processes[0].rank = 0;
    profile.processes[1].rank = 1;
    profile.processes[1].host = "node1";
    return profile;
}

TreeBuilder::TreeBuilder() {
    tree_.nodes.push_back(CallNode{});
}

CallNodeId TreeBuilder::add(CallNodeId parent, FunctionId function, int64_t self_ns) {
    CallNodeId id(uint32_t(tree_.nodes.size()));
    CallNode node;
    node.function = function;
    node.parent = parent;
    node.self.weight_ns = self_ns;
    node.self.samples = uint64_t(self_ns > 0);
    node.depth = tree_.node(parent).depth + 1;
    tree_.nodes.push_back(node);
    tree_.nodes[parent.value].children.push_back(id);
    return id;
}

CallTree TreeBuilder::finish() {
    // Children come after their parents, so one backward pass sums every subtree.
    for (size_t i = tree_.nodes.size(); i-- > 0;) {
        CallNode& node = tree_.nodes[i];
        node.total.weight_ns += node.self.weight_ns;
        node.total.samples += node.self.samples;
        if (node.parent.valid()) {
            tree_.nodes[node.parent.value].total.weight_ns += node.total.weight_ns;
            tree_.nodes[node.parent.value].total.samples += node.total.samples;
        }
    }
    for (CallNode& node : tree_.nodes)
        std::stable_sort(node.children.begin(), node.children.end(),
                         [&](CallNodeId a, CallNodeId b) {
                             return tree_.node(a).total.weight_ns > tree_.node(b).total.weight_ns;
                         });
    return std::move(tree_);
}

} // namespace hprof::viewer::test
