// How many runs `hprof scaling` gives each size, and in which round (hprof/scaling.h).
#include "hprof/scaling.h"

#include "hprof/budget.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hprof {
namespace {

// A size gets at most this many times the runs asked for: its extra runs stay cheap (they are
// given to short runs only) and bounded.
constexpr uint32_t kMostRunsPerAsked = 4;
// Per run asked for, how long a size's runs should last together: slow spells of a shared
// machine last 0.1-0.2 s, and over this long their effect averages out.
constexpr double kSpellAveragingSeconds = 0.25;

} // namespace

double scalingRunSeconds(const Profile& profile) {
    return profile.samples.empty() ? 0.0 : currentShares({&profile}).after_seconds;
}

// A run's exposure to the load is its length: a slow spell of a shared machine (the CPU clock of
// a virtual machine runs on while its CPU is taken away, by 100 ms and more at a time) can cover
// all of a 10 ms run, and a few percent of a 1 s one. Short runs are therefore run until they
// last together `repeat` x 0.25 s (or `repeat` x the longest run, when every run is shorter),
// up to 4 x `repeat` runs.
std::vector<uint32_t> scalingRunsPerSize(const std::vector<double>& run_seconds, uint32_t repeat) {
    const double longest =
        run_seconds.empty() ? 0.0 : *std::max_element(run_seconds.begin(), run_seconds.end());
    const double target = double(repeat) * std::min(longest, kSpellAveragingSeconds);
    std::vector<uint32_t> runs;
    for (double seconds : run_seconds) {
        const double wanted = seconds > 0 ? std::ceil(target / seconds - 1e-9) : 0.0;
        runs.push_back(
            uint32_t(std::clamp(wanted, double(repeat), double(kMostRunsPerAsked * repeat))));
    }
    return runs;
}

namespace {

// How many of a size's `runs` are due by the end of round `round` of `rounds`: spread evenly
// over the rounds, the first round included (ceil(round x runs / rounds), at most runs).
uint32_t runsDueBy(uint32_t runs, uint32_t rounds, uint32_t round) {
    if (round >= rounds)
        return runs;
    return uint32_t((uint64_t(round) * runs + rounds - 1) / rounds);
}

} // namespace

ScalingRunPlan::ScalingRunPlan(size_t sizes, uint32_t repeat)
    : repeat_(repeat), fastest_(sizes, std::numeric_limits<double>::infinity()), done_(sizes, 0) {}

void ScalingRunPlan::recorded(size_t index, double seconds) {
    fastest_.at(index) = std::min(fastest_.at(index), seconds);
    ++done_.at(index);
}

// Planned anew each round from the fastest runs so far: a size may gain runs when a later run
// shows it shorter than its first. A round in which nothing is due (the plan shrank) is skipped;
// past the planned rounds, whatever is still due runs at once.
std::vector<size_t> ScalingRunPlan::nextRound() {
    std::vector<size_t> due;
    if (++round_ == 1) {
        for (size_t s = 0; s < done_.size(); ++s)
            due.push_back(s);
        return due;
    }
    const std::vector<uint32_t> runs = scalingRunsPerSize(fastest_, repeat_);
    const uint32_t rounds = runs.empty() ? 0 : *std::max_element(runs.begin(), runs.end());
    for (;; ++round_) {
        for (size_t s = 0; s < done_.size(); ++s)
            if (done_[s] < runsDueBy(runs[s], rounds, round_))
                due.push_back(s);
        if (!due.empty() || round_ >= rounds)
            return due;
    }
}

} // namespace hprof
