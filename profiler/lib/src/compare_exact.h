// Comparing profiles that have exact per-function times but no samples (imported from pstats,
// RunInfo::missing.samples): there is no sampling noise to bootstrap, only the spread between
// runs. docs/design.md ("Comparing profiles with exact times") says what is done and why.
#pragma once

#include "hprof/profile.h"

#include <cstddef>
#include <vector>

namespace hprof {

// Whether a profile's times are the source's exact per-function times (no samples).
bool hasExactTimesOnly(const Profile& profile);

// One profile's exact times per function key (`keys`: the key of each function id).
struct ExactTimes {
    std::vector<double> self_ns;      // tottime
    std::vector<double> inclusive_ns; // cumtime
    double total_ns = 0;              // the sum of all tottimes (pstats' "in T seconds")
    double selfShare(size_t key) const { return total_ns > 0 ? self_ns[key] / total_ns : 0; }
    double inclusiveShare(size_t key) const {
        return total_ns > 0 ? inclusive_ns[key] / total_ns : 0;
    }
};

ExactTimes exactTimes(const Profile& profile, const std::vector<size_t>& keys, size_t key_count);

struct RunSpread {
    double low = 0;
    double high = 0;
};

// The interval of a change measured by per-run values on each side: `change` plus and minus
// the two-sided Student t quantile times the standard error of the difference of the means,
// with the variance pooled over both sides (n_before + n_after - 2 degrees of freedom). With
// fewer than three runs in all there is no spread to measure: low = high = change.
RunSpread runSpreadInterval(double change, const std::vector<double>& before,
                            const std::vector<double>& after, double confidence);

// The t with P(|T| <= t) = confidence for Student's t with `degrees` (>= 1) degrees of freedom.
double studentTQuantile(double confidence, int degrees);

} // namespace hprof
