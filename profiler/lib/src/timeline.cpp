#include "hprof/timeline.h"

#include "activity.h"

#include <algorithm>
#include <cstdlib>

namespace hprof {

int64_t Timeline::binNs() const {
    return bins == 0 ? 1 : std::max<int64_t>((to_ns - from_ns) / int64_t(bins), 1);
}

namespace {

ThreadActivity emptyActivity(ThreadId thread, size_t bins) {
    return {thread, std::vector<int64_t>(bins, 0), std::vector<int64_t>(bins, 0),
            std::vector<int64_t>(bins, 0)};
}

// The bins a sample's time goes to: on a CPU, blocked, or waiting for a CPU.
std::vector<int64_t>& binsFor(ThreadActivity& activity, const Sample& sample) {
    if (sample.off_cpu)
        return activity.off_cpu_ns;
    return sample.run_queue ? activity.run_queue_ns : activity.cpu_ns;
}

} // namespace

Timeline computeTimeline(const SampleSelector& selector, size_t bins) {
    const Profile& profile = selector.profile();
    bins = std::max<size_t>(bins, 1);
    const Interval window = runWindow(profile, selector.filter());
    const Bins cut(window, bins);
    std::vector<ThreadActivity> by_thread(profile.threads.size());
    std::vector<bool> sampled(profile.threads.size(), false);
    forEachInterval(selector, window, [&](const Sample& sample, Interval interval) {
        ThreadActivity& activity = by_thread[sample.thread.value];
        if (!sampled[sample.thread.value])
            activity = emptyActivity(sample.thread, bins);
        sampled[sample.thread.value] = true;
        cut.spread(interval, binsFor(activity, sample));
    });
    Timeline timeline{window.start, window.end, bins, {}};
    auto lived_in_window = [&](const Thread& thread) {
        return thread.start_ns < window.end && thread.end_ns >= window.start;
    };
    for (uint32_t i = 0; i < profile.threads.size(); ++i) {
        const Thread& thread = profile.threads[i];
        if (!selector.acceptsThread(ThreadId(i)))
            continue;
        if (sampled[i])
            timeline.threads.push_back(std::move(by_thread[i]));
        else if (lived_in_window(thread))
            timeline.threads.push_back(emptyActivity(ThreadId(i), bins));
    }
    return timeline;
}

std::optional<size_t> sampleNear(const SampleSelector& selector, ThreadId thread, int64_t time_ns,
                                 int64_t tolerance_ns) {
    const std::vector<Sample>& samples = selector.profile().samples;
    const auto first = samples.begin() + ptrdiff_t(selector.begin());
    const auto last = samples.begin() + ptrdiff_t(selector.end());
    auto at = std::lower_bound(first, last, subtractSaturating(time_ns, tolerance_ns),
                               [](const Sample& sample, int64_t t) { return sample.time_ns < t; });
    std::optional<size_t> nearest;
    int64_t nearest_distance = 0;
    for (; at != last && at->time_ns - time_ns <= tolerance_ns; ++at) {
        if (at->thread != thread || !selector.accepts(*at))
            continue;
        const int64_t distance = std::llabs(at->time_ns - time_ns);
        if (!nearest || distance < nearest_distance) {
            nearest = size_t(at - samples.begin());
            nearest_distance = distance;
        }
    }
    return nearest;
}

} // namespace hprof
