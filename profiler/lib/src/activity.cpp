#include "activity.h"

namespace hprof {

Interval runWindow(const Profile& profile, const SampleFilter& filter) {
    int64_t run_end = std::max<int64_t>(profile.run.wall_ns, 0);
    if (!profile.samples.empty()) // sorted by time
        run_end = std::max(run_end, profile.samples.back().time_ns);
    Interval range{std::clamp<int64_t>(filter.from_ns.value_or(0), 0, run_end),
                   std::clamp<int64_t>(filter.to_ns.value_or(run_end), 0, run_end)};
    range.end = std::max(range.end, range.start);
    return range;
}

void Bins::spread(Interval interval, std::vector<int64_t>& sums) const {
    const int64_t wall = window_.end - window_.start;
    if (wall <= 0 || interval.start >= interval.end)
        return;
    size_t i = size_t(__int128(interval.start - window_.start) * count_ / wall);
    for (; i < count_ && bound(i) < interval.end; ++i)
        sums[i] += std::min(interval.end, bound(i + 1)) - std::max(interval.start, bound(i));
}

} // namespace hprof
