// The trace view: the kept calls of each thread in time order, each with its nesting depth.
#include "hprof/error.h"
#include "hprof/queries.h"

#include <algorithm>

namespace hprof {
namespace {

// Calls that overlap the time range; a call of no duration counts where it starts.
bool overlapsTimeRange(const SampleFilter& filter, const TraceEvent& event) {
    int64_t end = event.start_ns + event.duration_ns;
    if (filter.to_ns && event.start_ns >= *filter.to_ns)
        return false;
    return !filter.from_ns || end > *filter.from_ns || event.start_ns >= *filter.from_ns;
}

// The events of one thread in time order, the longer first for equal starts. A call is the child of
// the innermost open call when it starts before that one ends and ends no later; the depth is taken
// over all of the thread's calls, before the time range and the limit cut some of them.
ThreadTrace traceOfThread(const SampleFilter& filter, std::optional<size_t> limit, ThreadId thread,
                          std::vector<const TraceEvent*> events) {
    // Of two calls that start together, the longer one encloses the other: it comes first.
    std::stable_sort(events.begin(), events.end(), [](const TraceEvent* a, const TraceEvent* b) {
        if (a->start_ns != b->start_ns)
            return a->start_ns < b->start_ns;
        return a->duration_ns > b->duration_ns;
    });
    ThreadTrace trace{thread, {}, 0};
    std::vector<int64_t> open_ends;
    for (const TraceEvent* event : events) {
        int64_t end = event->start_ns + event->duration_ns;
        while (!open_ends.empty() &&
               (event->start_ns >= open_ends.back() || end > open_ends.back()))
            open_ends.pop_back();
        if (overlapsTimeRange(filter, *event)) {
            if (limit && trace.calls.size() >= *limit)
                ++trace.omitted;
            else
                trace.calls.push_back({event, open_ends.size()});
        }
        open_ends.push_back(end);
    }
    return trace;
}

} // namespace

std::vector<ThreadTrace> computeTrace(const Profile& profile, const SampleFilter& filter,
                                      std::optional<size_t> limit) {
    if (profile.trace_events.empty())
        throw Error("this profile has no trace (record with --instrument=trace)");
    std::vector<std::vector<const TraceEvent*>> by_thread(profile.threads.size());
    for (const TraceEvent& event : profile.trace_events)
        by_thread[event.thread.value].push_back(&event);
    std::vector<ThreadTrace> threads;
    for (uint32_t i = 0; i < by_thread.size(); ++i) {
        ThreadId thread(i);
        if (by_thread[i].empty() || !filter.acceptsThread(profile, thread))
            continue;
        ThreadTrace trace = traceOfThread(filter, limit, thread, std::move(by_thread[i]));
        if (!trace.calls.empty() || trace.omitted > 0)
            threads.push_back(std::move(trace));
    }
    return threads;
}

} // namespace hprof
