#include "export_support.h"

#include "export_formats.h"
#include "hprof/function_labels.h"

namespace hprof {

std::vector<std::string> exportedFunctionNames(const Profile& profile) {
    FunctionLabels labels(profile);
    std::vector<std::string> names;
    names.reserve(profile.functions.size());
    for (uint32_t i = 0; i < profile.functions.size(); ++i)
        names.push_back(uniqueName(profile, labels, FunctionId(i)));
    return names;
}

std::string commandLine(const RunInfo& run) {
    std::string line;
    for (const std::string& word : run.command)
        line += (line.empty() ? "" : " ") + word;
    return line;
}

ExportNotes droppedCountsAndTrace(const Profile& profile, std::string_view counts_why,
                                  std::string_view trace_why) {
    ExportNotes notes;
    if (!profile.call_counts.empty())
        notes.dropped.push_back("call counts: " + std::string(counts_why));
    if (!profile.trace_events.empty() && !trace_why.empty())
        notes.dropped.push_back("the trace of calls: " + std::string(trace_why));
    return notes;
}

std::vector<bool> reachedStackNodes(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    std::vector<bool> leaves(profile.stacks.size(), false);
    selector.forEach([&](const Sample& sample) { leaves[sample.stack.value] = true; });
    std::vector<bool> reached(profile.stacks.size(), false);
    for (uint32_t leaf = 0; leaf < leaves.size(); ++leaf) {
        if (!leaves[leaf])
            continue;
        // Up to the root, or to a node an earlier leaf reached (its ancestors are marked too).
        for (StackId node(leaf); node.valid() && !reached[node.value];
             node = profile.stack(node).parent)
            reached[node.value] = true;
    }
    return reached;
}

SamplesByThread groupSamplesByThread(const SampleSelector& selector) {
    const Profile& profile = selector.profile();
    std::vector<size_t> counts(profile.threads.size(), 0);
    selector.forEach([&](const Sample& sample) { ++counts[sample.thread.value]; });
    SamplesByThread groups;
    std::vector<size_t> next(profile.threads.size(), 0); // where the thread's next index goes
    size_t total = 0;
    for (uint32_t thread = 0; thread < counts.size(); ++thread) {
        if (counts[thread] == 0)
            continue;
        groups.threads.push_back(ThreadId(thread));
        groups.offsets.push_back(total);
        next[thread] = total;
        total += counts[thread];
    }
    groups.offsets.push_back(total);
    groups.indices.resize(total);
    for (size_t i = selector.begin(); i < selector.end(); ++i) {
        const Sample& sample = profile.samples[i];
        if (selector.accepts(sample))
            groups.indices[next[sample.thread.value]++] = static_cast<uint32_t>(i);
    }
    return groups;
}

} // namespace hprof
