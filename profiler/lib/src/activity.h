// What computeTimeline and computeParallelism share: the window of a run, the time each accepted
// sample stands for, and spreading intervals over equal bins.
#pragma once

#include "hprof/filter.h"
#include "hprof/profile.h"
#include "saturating.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hprof {

struct Interval {
    int64_t start = 0;
    int64_t end = 0; // exclusive
};

// The filter's time range cut to [0, end of the run). The run ends at RunInfo::wall_ns, or at
// the last sample when a descendant outlived the program (or the wall time is unknown).
Interval runWindow(const Profile& profile, const SampleFilter& filter);

// Equal bins over a window: bin i covers [start + wall * i / bins, start + wall * (i + 1) / bins).
class Bins {
  public:
    Bins(Interval window, size_t count) : window_(window), count_(count) {}
    int64_t bound(size_t i) const {
        return window_.start + int64_t(__int128(window_.end - window_.start) * i / count_);
    }
    int64_t width(size_t i) const { return bound(i + 1) - bound(i); }
    // Adds to sums[i] the part of the interval (inside the window) that falls in bin i.
    void spread(Interval interval, std::vector<int64_t>& sums) const;

  private:
    Interval window_;
    size_t count_;
};

// Calls visit(sample, interval) for every accepted sample whose interval, [time_ns - weight_ns,
// time_ns), meets the window, with the interval cut to it. A sample before the selector's time
// range ends before the window starts; one after it may still have started inside the window, so
// the scan runs to the last sample.
template <class Visit>
void forEachInterval(const SampleSelector& selector, Interval window, Visit visit) {
    const std::vector<Sample>& samples = selector.profile().samples;
    for (size_t i = selector.begin(); i < samples.size(); ++i) {
        const Sample& sample = samples[i];
        if (sample.weight_ns <= 0 || !selector.accepts(sample))
            continue;
        Interval cut{std::max(subtractSaturating(sample.time_ns, sample.weight_ns), window.start),
                     std::min(sample.time_ns, window.end)};
        if (cut.start < cut.end)
            visit(sample, cut);
    }
}

} // namespace hprof
