#include "hprof/filter.h"

#include "hprof/error.h"

#include <algorithm>

namespace hprof {

bool SampleFilter::acceptsThread(const Profile& profile, ThreadId thread) const {
    return threads.accepts(thread) && processes.accepts(profile.thread(thread).process);
}

bool SampleFilter::acceptsProcess(const Profile& profile, ProcessId process) const {
    if (!processes.accepts(process))
        return false;
    if (threads.only.empty())
        return true;
    for (ThreadId thread : threads.only) {
        if (thread.value < profile.threads.size() && profile.thread(thread).process == process &&
            threads.accepts(thread))
            return true;
    }
    return false;
}

bool SampleFilter::overlapsTimeRange(int64_t start_ns, int64_t end_ns) const {
    return (!to_ns || start_ns < *to_ns) && (!from_ns || end_ns >= *from_ns);
}

namespace {

// Bits of a stack node's answer: a focused or an excluded function is on the stack up to it.
constexpr int8_t kThroughFocus = 1;
constexpr int8_t kThroughExcluded = 2;

// Whether each stack node (as a leaf) passes the function and module selections. Parents come
// before their children in Profile::stacks (the file format and the builder guarantee it), so one
// forward pass sees every parent's answer first.
std::vector<int8_t> stackAnswers(const Profile& profile, const SampleFilter& filter) {
    const size_t count = profile.stacks.size();
    std::vector<int8_t> through(count, 0);
    std::vector<int8_t> accepted(count, 0);
    const bool needs_focus = !filter.functions.only.empty();
    for (size_t i = 0; i < count; ++i) {
        const StackNode& node = profile.stacks[i];
        const FunctionId id = profile.frame(node.frame).function;
        int8_t bits = node.parent.valid() && node.parent.value < i ? through[node.parent.value] : 0;
        const auto& only = filter.functions.only;
        const auto& excluded = filter.functions.excluded;
        if (std::binary_search(only.begin(), only.end(), id))
            bits |= kThroughFocus;
        if (std::binary_search(excluded.begin(), excluded.end(), id))
            bits |= kThroughExcluded;
        through[i] = bits;
        accepted[i] = (!needs_focus || (bits & kThroughFocus)) && !(bits & kThroughExcluded) &&
                      filter.modules.accepts(profile.function(id).module);
    }
    return accepted;
}

// The index of the first sample at or after `time_ns` (samples are sorted by time).
size_t firstSampleAt(const Profile& profile, int64_t time_ns) {
    auto it =
        std::lower_bound(profile.samples.begin(), profile.samples.end(), time_ns,
                         [](const Sample& sample, int64_t time) { return sample.time_ns < time; });
    return size_t(it - profile.samples.begin());
}

} // namespace

SampleSelector::SampleSelector(const Profile& profile, const SampleFilter& filter)
    : profile_(profile), filter_(filter),
      begin_(filter.from_ns ? firstSampleAt(profile, *filter.from_ns) : 0),
      end_(filter.to_ns ? firstSampleAt(profile, *filter.to_ns) : profile.samples.size()),
      thread_accepted_(profile.threads.size(), false) {
    end_ = std::max(begin_, end_);
    for (uint32_t i = 0; i < profile.threads.size(); ++i)
        thread_accepted_[i] = filter.acceptsThread(profile, ThreadId(i));
    if (filter.hasStackSelection())
        stack_accepted_ = stackAnswers(profile, filter);
}

bool SampleSelector::acceptsStack(StackId leaf) const {
    return stack_accepted_.empty() || stack_accepted_[leaf.value];
}

} // namespace hprof
