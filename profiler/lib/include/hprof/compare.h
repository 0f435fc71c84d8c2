// Comparing the functions of two sets of profiles (a baseline and a current side), for `hprof
// diff`, `hprof check` and the viewer's compare mode. Functions are matched by what survives a
// rebuild, (name, source file, module file name), never by id.
//
// Shares (a function's self or inclusive weight over all weight of its side) get a confidence
// interval for their change from a moving-block bootstrap over time: samples of one run are not
// independent (phases, caches, the scheduler), so whole runs of consecutive samples are
// resampled together. docs/design.md ("Comparing profiles") says why and how.
#pragma once

#include "hprof/error.h"
#include "hprof/profile.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

struct CompareOptions {
    // A change counts only when it is at least this relative to the baseline share...
    double threshold_relative = 0.10;
    // ...and at least this many share points (0.01: one percentage point).
    double threshold_points = 0.01;
    // Shares below this on both sides are not checked (no interval, no verdict).
    double min_share = 0.01;
    double confidence = 0.95;
    int resamples = 1000;
    uint64_t seed = 20261206; // fixed: the same profiles always give the same intervals
    // A side with fewer samples than this cannot decide anything.
    uint64_t min_samples = 200;
    // Inclusive CPU seconds per run: a looser threshold, since CI machines differ in speed.
    // A change counts when it is at least this relative to the baseline's seconds...
    double cpu_threshold_relative = 0.25;
    // ...and at least this many seconds, and threshold_points of the baseline's CPU seconds per
    // run (never stricter than the shares). A relative threshold of 0 turns the CPU check off.
    double cpu_threshold_seconds = 0.01;
};

enum class Verdict {
    Unchanged,    // the whole interval lies inside the threshold
    Improvement,  // the whole interval lies below -threshold
    Regression,   // the whole interval lies above +threshold
    Inconclusive, // the interval reaches across a threshold: more samples needed
    NotChecked,   // below CompareOptions::min_share on both sides
};

const char* verdictName(Verdict verdict); // "unchanged", "regression", ...

// One share (self or inclusive) of one function on both sides.
struct ShareChange {
    double before = 0; // share of the total weight, 0..1
    double after = 0;
    double low = 0; // confidence interval of after - before (0, 0 when not checked)
    double high = 0;
    double threshold = 0; // the change that counts: max(relative * before, points)
    Verdict verdict = Verdict::NotChecked;
    // Inconclusive only: the sampled seconds per side that would make the interval narrow
    // enough to decide (the width shrinks as 1/sqrt(samples)); nullopt when no length would.
    std::optional<double> seconds_needed{};
    double change() const { return after - before; }
};

struct FunctionChange {
    std::string name;
    std::string file;
    uint32_t line = 0;  // definition line, from the current side when it has the function
    std::string module; // file name of the module's path
    ShareChange self{};
    ShareChange inclusive{};
    // Inclusive on-CPU seconds per run, in the same fields as a share (before, after, interval,
    // threshold in seconds). The interval takes each side's total CPU time as exact and the
    // uncertainty from the inclusive share's interval.
    ShareChange cpu{};
    // On-CPU seconds per run (mean over the side's profiles): in the function itself (self) and
    // with its callees (inclusive).
    double before_cpu_s = 0;
    double after_cpu_s = 0;
    double before_inclusive_cpu_s = 0;
    double after_inclusive_cpu_s = 0;
    // Exact call counts per run, where a side's profiles have them and agree.
    std::optional<uint64_t> before_ncalls{};
    std::optional<uint64_t> after_ncalls{};
    bool ncalls_changed = false;           // both known and different: never noise
    Verdict verdict = Verdict::NotChecked; // the worst of self, inclusive, cpu and ncalls
};

struct ProfileComparison {
    std::vector<FunctionChange> functions; // share regressions first, then by size of change
    double before_seconds = 0;             // sampled seconds per side (all profiles)
    double after_seconds = 0;
    uint64_t before_samples = 0;
    uint64_t after_samples = 0;
    double before_cpu_s = 0; // on-CPU seconds per run, all functions
    double after_cpu_s = 0;
    // Profiles with exact times and no samples (imported from pstats): the seconds above are
    // measured, the samples 0, and the intervals come from the spread between the profiles of
    // each side (none with one per side), not from a bootstrap.
    bool exact_times = false;
    size_t before_runs = 0; // profiles per side, set for exact times
    size_t after_runs = 0;
};

// Throws hprof::Error when a side is empty, has no samples (and no exact times), mixes sampled
// profiles with exact-time ones (either side), or its profiles are of another program than the
// first baseline (RunInfo::command[0]'s file name differs).
ProfileComparison compareProfiles(const std::vector<const Profile*>& before,
                                  const std::vector<const Profile*>& after,
                                  const CompareOptions& options = {});

// The file name of the program a profile ran ("prog" for "./build/prog args").
std::string programName(const Profile& profile);

} // namespace hprof
