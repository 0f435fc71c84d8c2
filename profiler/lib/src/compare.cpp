#include "hprof/compare.h"

#include "compare_exact.h"
#include "hprof/analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <tuple>

namespace hprof {
namespace {

// Bounds the bootstrap's memory and time: at most this many units per profile and functions.
constexpr size_t kMaxUnits = 2000;
constexpr size_t kMaxTrackedFunctions = 500;

using FunctionKey = std::tuple<std::string, std::string, std::string>; // name, file, module

std::string fileName(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The functions of all profiles, matched by key: key index per function id of each profile.
struct KeyTable {
    std::map<FunctionKey, size_t> index;
    std::vector<FunctionChange> functions; // name, file, line, module filled in

    std::vector<size_t> keysOf(const Profile& profile) {
        std::vector<size_t> keys;
        for (const Function& function : profile.functions) {
            const std::string module =
                function.module.valid() ? fileName(profile.module(function.module).path) : "";
            auto [it, added] =
                index.try_emplace(FunctionKey{function.name, function.file, module}, index.size());
            if (added)
                functions.push_back(
                    {.name = function.name, .file = function.file, .module = module});
            functions[it->second].line = function.line;
            keys.push_back(it->second);
        }
        return keys;
    }
};

// Per sample: the key of its leaf and the distinct keys on its stack, memoized per leaf node.
class StackKeys {
  public:
    StackKeys(const Profile& profile, std::vector<size_t> keys)
        : profile_(profile), keys_(std::move(keys)), memo_(profile.stacks.size()) {}

    const std::vector<size_t>& onStack(StackId leaf) { // leaf key first
        std::vector<size_t>& found = memo_[leaf.value];
        if (!found.empty())
            return found;
        for (StackId node = leaf; node.valid(); node = profile_.stack(node).parent) {
            const size_t key = keys_[profile_.frame(profile_.stack(node).frame).function.value];
            if (std::find(found.begin(), found.end(), key) == found.end())
                found.push_back(key);
        }
        return found;
    }

  private:
    const Profile& profile_;
    std::vector<size_t> keys_;
    std::vector<std::vector<size_t>> memo_;
};

// On-CPU samples count at most this many sampling periods. A sample's weight is the CPU time
// since the previous one; on a loaded machine one sample now and then stands for 100 ms (seen in
// 0.4 s runs of check_target, docs/design.md), which would hand a quarter of the run to
// whatever happened to be interrupted. One sample cannot say what ran
// during those 100 ms, so it gets no more than a few periods' say. Off-CPU and run-queue samples
// (wall-clock mode) legitimately stand for long waits and are not capped.
constexpr double kMaxPeriodsPerSample = 4;

double sampleWeight(const Sample& sample, double cap_ns) {
    const double weight = double(sample.weight_ns);
    return sample.off_cpu || sample.run_queue ? weight : std::min(weight, cap_ns);
}

double weightCap(const Profile& profile) {
    return profile.run.frequency_hz > 0 ? kMaxPeriodsPerSample * 1e9 / profile.run.frequency_hz
                                        : std::numeric_limits<double>::infinity();
}

// Sums over one side: weights per key (self, inclusive, self on-CPU) and the total.
struct SideSums {
    std::vector<double> self, inclusive, cpu_self, cpu_inclusive;
    double total = 0;
    uint64_t samples = 0;
    void resize(size_t keys) {
        self.resize(keys);
        inclusive.resize(keys);
        cpu_self.resize(keys);
        cpu_inclusive.resize(keys);
    }
};

// Prefix sums of one profile over units of consecutive samples, for the tracked keys: per unit
// u, row u holds the sums of units [0, u): column 0 the total, then self, then inclusive.
struct UnitSums {
    size_t units = 0;
    size_t block_units = 1; // the moving block's length
    size_t columns = 0;
    std::vector<double> prefix; // (units + 1) * columns
    double at(size_t unit, size_t column) const { return prefix[unit * columns + column]; }
};

struct ProfileData {
    const Profile* profile;
    std::vector<size_t> keys;
};

// `weight`: the sample's capped weight, for the shares and for the CPU seconds alike. The CPU
// seconds are capped too (unlike `hprof report`'s): a virtual machine's thread CPU clock can jump
// by 100-200 ms in one step under load (measured here, docs/design.md), and that one sample would
// make the whole run, and every function on its stack, a CPU-seconds "regression" (seen in CI:
// an unchanged 0.4 s run at 0.6 s).
void addSample(const Sample& sample, double weight, const std::vector<size_t>& on_stack,
               SideSums& sums) {
    sums.total += weight;
    ++sums.samples;
    sums.self[on_stack.front()] += weight;
    const bool on_cpu = !sample.off_cpu && !sample.run_queue;
    const double cpu_ns = on_cpu ? weight : 0.0;
    sums.cpu_self[on_stack.front()] += cpu_ns;
    for (size_t key : on_stack) {
        sums.inclusive[key] += weight;
        sums.cpu_inclusive[key] += cpu_ns;
    }
}

// Block length sqrt(n) samples (the usual choice for a moving-block bootstrap: long enough to
// keep the dependence between neighbouring samples, with enough blocks to vary), counted in units
// of g samples so that a long run's table stays small.
UnitSums unitSums(const ProfileData& data, const std::vector<long>& tracked_column) {
    const Profile& profile = *data.profile;
    const size_t n = profile.samples.size();
    const size_t unit = std::max<size_t>(1, (n + kMaxUnits - 1) / kMaxUnits);
    UnitSums sums;
    sums.units = (n + unit - 1) / unit;
    const size_t block = size_t(std::ceil(std::sqrt(double(n))));
    sums.block_units =
        std::clamp<size_t>((block + unit / 2) / unit, 1, std::max<size_t>(1, sums.units));
    const size_t tracked = size_t(std::count_if(tracked_column.begin(), tracked_column.end(),
                                                [](long column) { return column >= 0; }));
    sums.columns = 1 + 2 * tracked;
    sums.prefix.assign((sums.units + 1) * sums.columns, 0.0);
    StackKeys stack_keys(profile, data.keys);
    const double cap_ns = weightCap(profile);
    for (size_t i = 0; i < n; ++i) {
        const Sample& sample = profile.samples[i];
        double* row = &sums.prefix[(i / unit + 1) * sums.columns];
        const double weight = sampleWeight(sample, cap_ns);
        row[0] += weight;
        const std::vector<size_t>& on_stack = stack_keys.onStack(sample.stack);
        if (const long column = tracked_column[on_stack.front()]; column >= 0)
            row[1 + column] += weight;
        for (size_t key : on_stack)
            if (const long column = tracked_column[key]; column >= 0)
                row[1 + tracked + column] += weight;
    }
    for (size_t u = 1; u <= sums.units; ++u)
        for (size_t c = 0; c < sums.columns; ++c)
            sums.prefix[u * sums.columns + c] += sums.prefix[(u - 1) * sums.columns + c];
    return sums;
}

// One bootstrap replicate of a side: for each profile, as many moving blocks as fit its length,
// summed over all profiles (pooling); returns the shares per column (self, then inclusive).
void resampleShares(const std::vector<UnitSums>& profiles, std::mt19937_64& random,
                    std::vector<double>& sums, std::vector<double>& shares) {
    std::fill(sums.begin(), sums.end(), 0.0);
    for (const UnitSums& unit_sums : profiles) {
        const size_t blocks = (unit_sums.units + unit_sums.block_units - 1) / unit_sums.block_units;
        std::uniform_int_distribution<size_t> start(0, unit_sums.units - unit_sums.block_units);
        for (size_t b = 0; b < blocks; ++b) {
            const size_t first = start(random), last = first + unit_sums.block_units;
            for (size_t c = 0; c < sums.size(); ++c)
                sums[c] += unit_sums.at(last, c) - unit_sums.at(first, c);
        }
    }
    for (size_t c = 1; c < sums.size(); ++c)
        shares[c - 1] = sums[0] > 0 ? sums[c] / sums[0] : 0.0;
}

// Per resample, the shares of every tracked column: replicates[r * columns + c].
std::vector<double> bootstrapSide(const std::vector<UnitSums>& profiles, size_t columns,
                                  const CompareOptions& options, std::mt19937_64& random) {
    std::vector<double> replicates(size_t(options.resamples) * columns);
    std::vector<double> sums(columns + 1), shares(columns);
    for (int r = 0; r < options.resamples; ++r) {
        resampleShares(profiles, random, sums, shares);
        std::copy(shares.begin(), shares.end(), replicates.begin() + long(size_t(r) * columns));
    }
    return replicates;
}

double quantile(std::vector<double>& values, double q) {
    const size_t at = std::min(values.size() - 1, size_t(q * double(values.size())));
    std::nth_element(values.begin(), values.begin() + long(at), values.end());
    return values[at];
}

// `too_few`: the seconds needed to reach CompareOptions::min_samples, when a side has fewer.
// `relative` and `least`: the change that counts is max(relative x before, least).
void decide(ShareChange& share, double relative, double least, std::optional<double> too_few,
            double seconds) {
    share.threshold = std::max(relative * share.before, least);
    if (too_few) {
        share.verdict = Verdict::Inconclusive;
        share.seconds_needed = too_few;
        return;
    }
    if (share.low > share.threshold)
        share.verdict = Verdict::Regression;
    else if (share.high < -share.threshold)
        share.verdict = Verdict::Improvement;
    else if (share.low > -share.threshold && share.high < share.threshold)
        share.verdict = Verdict::Unchanged;
    else
        share.verdict = Verdict::Inconclusive;
    if (share.verdict != Verdict::Inconclusive)
        return;
    // The half width has to shrink below the distance from the change to the threshold.
    const double half_width = (share.high - share.low) / 2;
    const double room = std::abs(share.threshold - std::abs(share.change()));
    if (room > 1e-9 * share.threshold)
        share.seconds_needed = seconds * std::pow(half_width / room, 2);
}

// Runs of the program on one side: a profile of `hprof record --repeat N` holds N.
double runsOf(const std::vector<ProfileData>& side) {
    double runs = 0;
    for (const ProfileData& data : side)
        runs += std::max<uint32_t>(data.profile->run.runs, 1);
    return runs;
}

double sumOf(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0);
}

int severity(Verdict verdict) {
    switch (verdict) {
    case Verdict::Regression:
        return 4;
    case Verdict::Inconclusive:
        return 3;
    case Verdict::Improvement:
        return 2;
    case Verdict::Unchanged:
        return 1;
    case Verdict::NotChecked:
        return 0;
    }
    return 0;
}

// Exact calls per run of every key, where all profiles of the side agree.
std::vector<std::optional<uint64_t>> sideCalls(const std::vector<ProfileData>& side, size_t keys) {
    std::vector<std::optional<uint64_t>> agreed(keys);
    std::vector<bool> disagree(keys, false);
    for (size_t p = 0; p < side.size(); ++p) {
        std::vector<std::optional<uint64_t>> calls(keys);
        for (const FunctionStats& stats : computeFunctionStats(*side[p].profile))
            if (stats.ncalls) {
                std::optional<uint64_t>& sum = calls[side[p].keys[stats.function.value]];
                sum = sum.value_or(0) + *stats.ncalls;
            }
        // A profile of N runs (record --repeat) holds N times the calls of one run; a total that
        // does not divide evenly means its runs disagreed.
        const uint64_t runs = std::max<uint32_t>(side[p].profile->run.runs, 1);
        for (size_t k = 0; k < keys; ++k) {
            if (calls[k] && *calls[k] % runs != 0)
                disagree[k] = true;
            else if (calls[k])
                calls[k] = *calls[k] / runs;
            if (p > 0 && calls[k] != agreed[k])
                disagree[k] = true;
            agreed[k] = calls[k];
        }
    }
    for (size_t k = 0; k < keys; ++k)
        if (disagree[k])
            agreed[k].reset();
    return agreed;
}

// The run of each process of a profile that holds several runs (`record --repeat`): each run
// starts with a process of no parent, and the others follow their parents to it
// (merge_runs.h). Empty when the profile holds one run, or when its parentless processes do not
// match its run count (a run with an orphan nobody saw start): it is then one run as a whole.
std::vector<size_t> runOfEachProcess(const Profile& profile) {
    if (profile.run.runs <= 1)
        return {};
    const size_t count = profile.processes.size();
    std::vector<size_t> run_of(count);
    size_t roots = 0;
    for (size_t p = 0; p < count; ++p)
        if (!profile.processes[p].parent.valid())
            run_of[p] = roots++;
    if (roots != profile.run.runs)
        return {};
    for (size_t p = 0; p < count; ++p) {
        size_t root = p;
        for (size_t steps = 0; profile.processes[root].parent.valid() && steps < count; ++steps)
            root = profile.processes[root].parent.value;
        if (profile.processes[root].parent.valid()) // a cycle: not a tree of runs
            return {};
        run_of[p] = run_of[root];
    }
    return run_of;
}

// One profile's sums per run of the program in it (one for most profiles; N for one of `record
// --repeat N`, so that its runs count in the spread between runs), sample weights capped.
std::vector<SideSums> runSums(const ProfileData& data, size_t keys) {
    const Profile& profile = *data.profile;
    const std::vector<size_t> run_of = runOfEachProcess(profile);
    std::vector<SideSums> runs(run_of.empty() ? 1 : profile.run.runs);
    for (SideSums& sums : runs)
        sums.resize(keys);
    StackKeys stack_keys(profile, data.keys);
    const double cap_ns = weightCap(profile);
    for (const Sample& sample : profile.samples) {
        const size_t run = run_of.empty() ? 0 : run_of[profile.thread(sample.thread).process.value];
        addSample(sample, sampleWeight(sample, cap_ns), stack_keys.onStack(sample.stack),
                  runs[run]);
    }
    return runs;
}

// The keys whose self or inclusive share reaches min_share on a side, largest first, capped:
// column per key, -1 for keys not tracked.
std::vector<long> trackedColumns(const SideSums& before, const SideSums& after,
                                 const CompareOptions& options, size_t& tracked) {
    std::vector<std::pair<double, size_t>> candidates;
    for (size_t k = 0; k < before.self.size(); ++k) {
        const double share =
            std::max(before.inclusive[k] / before.total, after.inclusive[k] / after.total);
        if (share >= options.min_share)
            candidates.emplace_back(share, k);
    }
    std::sort(candidates.rbegin(), candidates.rend());
    candidates.resize(std::min(candidates.size(), kMaxTrackedFunctions));
    std::vector<long> columns(before.self.size(), -1);
    tracked = candidates.size();
    for (size_t c = 0; c < candidates.size(); ++c)
        columns[candidates[c].second] = long(c);
    return columns;
}

std::vector<ProfileData> sideData(const std::vector<const Profile*>& side, KeyTable& keys,
                                  const std::string& program, const char* which) {
    if (side.empty())
        throw Error(std::string("no ") + which + " profile");
    std::vector<ProfileData> data;
    for (const Profile* profile : side) {
        if (profile->samples.empty() && !hasExactTimesOnly(*profile))
            throw Error(std::string("a ") + which + " profile has no samples");
        if (programName(*profile) != program)
            throw Error("profiles of different programs: '" + programName(*profile) + "' and '" +
                        program + "'");
        data.push_back({profile, keys.keysOf(*profile)});
    }
    return data;
}

// Exact times and sampled shares measure different things with different noise: comparing
// them would report the difference of the methods as a change of the program.
void requireOneKind(const std::vector<const Profile*>& before,
                    const std::vector<const Profile*>& after) {
    const Profile* exact = nullptr;
    const Profile* sampled = nullptr;
    for (const auto* side : {&before, &after})
        for (const Profile* profile : *side)
            (hasExactTimesOnly(*profile) ? exact : sampled) = profile;
    if (exact && sampled)
        throw Error("cannot compare a sampled profile with one imported from " + exact->run.source +
                    " (exact times, no samples): give profiles of one kind");
}

std::vector<UnitSums> sideUnits(const std::vector<ProfileData>& side,
                                const std::vector<long>& columns) {
    std::vector<UnitSums> units;
    for (const ProfileData& data : side)
        units.push_back(unitSums(data, columns));
    return units;
}

void fillShares(FunctionChange& change, size_t k, const SideSums& before, const SideSums& after,
                double runs_before, double runs_after) {
    change.self.before = before.self[k] / before.total;
    change.self.after = after.self[k] / after.total;
    change.inclusive.before = before.inclusive[k] / before.total;
    change.inclusive.after = after.inclusive[k] / after.total;
    change.before_cpu_s = before.cpu_self[k] / 1e9 / runs_before;
    change.after_cpu_s = after.cpu_self[k] / 1e9 / runs_after;
    change.before_inclusive_cpu_s = before.cpu_inclusive[k] / 1e9 / runs_before;
    change.after_inclusive_cpu_s = after.cpu_inclusive[k] / 1e9 / runs_after;
    change.cpu.before = change.before_inclusive_cpu_s;
    change.cpu.after = change.after_inclusive_cpu_s;
}

// The interval of after - before for one column: the differences of independent replicates.
void fillInterval(ShareChange& share, size_t column, size_t columns,
                  const std::vector<double>& before, const std::vector<double>& after,
                  const CompareOptions& options) {
    std::vector<double> differences(size_t(options.resamples));
    for (size_t r = 0; r < differences.size(); ++r)
        differences[r] = after[r * columns + column] - before[r * columns + column];
    const double tail = (1 - options.confidence) / 2;
    share.low = quantile(differences, tail);
    share.high = quantile(differences, 1 - tail);
}

// Each run's sums on its own (for the spread between runs); the side's are their sum.
std::vector<SideSums> sideRunSums(const std::vector<ProfileData>& side, size_t keys) {
    std::vector<SideSums> sums;
    for (const ProfileData& data : side)
        for (SideSums& run : runSums(data, keys))
            sums.push_back(std::move(run));
    return sums;
}

SideSums pooledSums(const std::vector<SideSums>& profiles, size_t keys) {
    SideSums pooled;
    pooled.resize(keys);
    const auto add = [](std::vector<double>& sum, const std::vector<double>& part) {
        for (size_t k = 0; k < part.size(); ++k)
            sum[k] += part[k];
    };
    for (const SideSums& sums : profiles) {
        add(pooled.self, sums.self);
        add(pooled.inclusive, sums.inclusive);
        add(pooled.cpu_self, sums.cpu_self);
        add(pooled.cpu_inclusive, sums.cpu_inclusive);
        pooled.total += sums.total;
        pooled.samples += sums.samples;
    }
    return pooled;
}

// One share per run: key `k`'s self (or inclusive) share of each run's total.
std::vector<double> sharesOf(const std::vector<SideSums>& runs, size_t k, bool inclusive) {
    std::vector<double> shares;
    for (const SideSums& sums : runs)
        shares.push_back(
            sums.total > 0 ? (inclusive ? sums.inclusive[k] : sums.self[k]) / sums.total : 0);
    return shares;
}

// With two or more runs on each side (profiles, or runs of `record --repeat`), the interval
// also covers how much the runs differ: the bootstrap of the pooled samples sees only the
// sampling noise within runs, while a loaded machine moves whole runs (a function whose cost
// depends on the load, a skewed baseline: 12 false alarms in 50 at load 5-10,
// docs/performance.md). The union of the bootstrap interval and the Student t interval of the
// per-run shares (as for pstats profiles) is kept. Not with one run on a side: 2 + 1 runs leave
// one degree of freedom (t = 12.7), an interval so wide that a 2x slowdown of a 40% function went
// undecided (Check.SeveralBaselinesAndJsonOutput).
void widenByRunSpread(ShareChange& share, const std::vector<double>& before,
                      const std::vector<double>& after, const CompareOptions& options) {
    const RunSpread spread = runSpreadInterval(share.change(), before, after, options.confidence);
    share.low = std::min(share.low, spread.low);
    share.high = std::max(share.high, spread.high);
}

// The change of inclusive CPU seconds per run, after x a - before x b with a, b the sides'
// totals and shares: a x (a_share - b_share) + (a - b) x b_share. The totals (sums of capped
// on-CPU weights) are taken as exact; the share difference brings its interval.
void fillCpuChange(FunctionChange& change, const ProfileComparison& comparison) {
    ShareChange& cpu = change.cpu;
    const double after_total = comparison.after_cpu_s;
    const double drift = (after_total - comparison.before_cpu_s) * change.inclusive.before;
    cpu.low = after_total * change.inclusive.low + drift;
    cpu.high = after_total * change.inclusive.high + drift;
}

bool checksCpu(const FunctionChange& change, const CompareOptions& options) {
    return options.cpu_threshold_relative > 0 && change.inclusive.verdict != Verdict::NotChecked;
}

// The CPU verdict of an interval already filled in.
void decideCpuInterval(FunctionChange& change, const ProfileComparison& comparison,
                       const CompareOptions& options, std::optional<double> too_few,
                       double seconds) {
    // Never stricter than the shares: a point of the baseline's CPU time is the least change.
    const double least =
        std::max(options.cpu_threshold_seconds, options.threshold_points * comparison.before_cpu_s);
    decide(change.cpu, options.cpu_threshold_relative, least, too_few, seconds);
}

void decideCpu(FunctionChange& change, const ProfileComparison& comparison,
               const CompareOptions& options, std::optional<double> too_few, double seconds) {
    if (!checksCpu(change, options))
        return;
    fillCpuChange(change, comparison);
    decideCpuInterval(change, comparison, options, too_few, seconds);
}

void fillCalls(FunctionChange& change, std::optional<uint64_t> before,
               std::optional<uint64_t> after) {
    change.before_ncalls = before;
    change.after_ncalls = after;
    change.ncalls_changed = before && after && *before != *after;
}

// The worst of the shares' and CPU seconds' verdicts; a changed call count is never noise.
void settleVerdict(FunctionChange& change) {
    change.verdict = std::max({change.self.verdict, change.inclusive.verdict, change.cpu.verdict},
                              [](Verdict a, Verdict b) { return severity(a) < severity(b); });
    if (change.ncalls_changed)
        change.verdict = Verdict::Regression;
}

std::vector<ExactTimes> sideExactTimes(const std::vector<ProfileData>& side, size_t keys) {
    std::vector<ExactTimes> runs;
    for (const ProfileData& data : side) {
        runs.push_back(exactTimes(*data.profile, data.keys, keys));
        if (!(runs.back().total_ns > 0)) // no shares to take
            throw Error("a profile imported from " + data.profile->run.source +
                        " has no time to compare");
    }
    return runs;
}

// A side's exact times in the sums the shares come from, pooled over its profiles like the
// samples of a sampled side. The source's timer (cProfile's is the wall clock unless the program
// chose another) is all the time it has, so its seconds stand for the CPU seconds too.
SideSums exactSums(const std::vector<ExactTimes>& runs, size_t keys) {
    SideSums sums;
    sums.resize(keys);
    for (const ExactTimes& run : runs) {
        sums.total += run.total_ns;
        for (size_t k = 0; k < keys; ++k) {
            sums.self[k] += run.self_ns[k];
            sums.inclusive[k] += run.inclusive_ns[k];
        }
    }
    sums.cpu_self = sums.self;
    sums.cpu_inclusive = sums.inclusive;
    return sums;
}

std::vector<double> runShares(const std::vector<ExactTimes>& runs, size_t key, bool inclusive) {
    std::vector<double> shares;
    for (const ExactTimes& run : runs)
        shares.push_back(inclusive ? run.inclusiveShare(key) : run.selfShare(key));
    return shares;
}

// Inclusive seconds per run of each profile: a profile of N runs counts as their mean.
std::vector<double> runSeconds(const std::vector<ExactTimes>& runs,
                               const std::vector<ProfileData>& side, size_t key) {
    std::vector<double> seconds;
    for (size_t p = 0; p < runs.size(); ++p)
        seconds.push_back(runs[p].inclusive_ns[key] / 1e9 /
                          std::max<uint32_t>(side[p].profile->run.runs, 1));
    return seconds;
}

struct ExactSide {
    const std::vector<ProfileData>& profiles;
    std::vector<ExactTimes> runs;
};

// Exact times have no sampling noise: the interval is the spread between the runs of each
// side (none with one profile per side), and more samples would decide nothing. The CPU
// seconds get their own spread: the runs' totals differ too.
void decideExact(FunctionChange& change, size_t key, const ExactSide& before_side,
                 const ExactSide& after_side, const ProfileComparison& comparison,
                 const CompareOptions& options) {
    const std::vector<ExactTimes>& before = before_side.runs;
    const std::vector<ExactTimes>& after = after_side.runs;
    for (auto [share, inclusive] : {std::pair{&change.self, false}, {&change.inclusive, true}}) {
        if (std::max(share->before, share->after) < options.min_share)
            continue;
        const RunSpread spread =
            runSpreadInterval(share->change(), runShares(before, key, inclusive),
                              runShares(after, key, inclusive), options.confidence);
        share->low = spread.low;
        share->high = spread.high;
        decide(*share, options.threshold_relative, options.threshold_points, std::nullopt, 0);
        share->seconds_needed.reset();
    }
    // One measured run per side says nothing of how much a run's seconds vary (a loaded machine
    // moved an unchanged Python run's CPU time by 50%): seconds are judged with a spread only.
    if (!checksCpu(change, options) || before.size() + after.size() < 3)
        return;
    const RunSpread spread =
        runSpreadInterval(change.cpu.change(), runSeconds(before, before_side.profiles, key),
                          runSeconds(after, after_side.profiles, key), options.confidence);
    change.cpu.low = spread.low;
    change.cpu.high = spread.high;
    decideCpuInterval(change, comparison, options, std::nullopt, 0);
    change.cpu.seconds_needed.reset();
}

double sizeOfChange(const FunctionChange& change) {
    return std::max(std::abs(change.self.change()), std::abs(change.inclusive.change()));
}

bool shareRegressed(const FunctionChange& change) {
    return change.self.verdict == Verdict::Regression ||
           change.inclusive.verdict == Verdict::Regression;
}

// Share regressions first: when one function slows down, the shares of all the others fall by
// as much, and the slowed one must not be listed below an "improvement" of equal size. (Not
// every regression: when the whole run got slower, every function's CPU seconds regressed.)
void sortBySizeOfChange(std::vector<FunctionChange>& functions) {
    std::stable_sort(functions.begin(), functions.end(),
                     [](const FunctionChange& a, const FunctionChange& b) {
                         if (shareRegressed(a) != shareRegressed(b))
                             return shareRegressed(a);
                         if (a.ncalls_changed != b.ncalls_changed)
                             return a.ncalls_changed;
                         if (sizeOfChange(a) != sizeOfChange(b))
                             return sizeOfChange(a) > sizeOfChange(b);
                         return a.name < b.name;
                     });
}

ProfileComparison compareExactProfiles(const std::vector<ProfileData>& before,
                                       const std::vector<ProfileData>& after, const KeyTable& keys,
                                       const CompareOptions& options) {
    const size_t key_count = keys.functions.size();
    const ExactSide before_side{before, sideExactTimes(before, key_count)};
    const ExactSide after_side{after, sideExactTimes(after, key_count)};
    const SideSums before_sums = exactSums(before_side.runs, key_count);
    const SideSums after_sums = exactSums(after_side.runs, key_count);
    ProfileComparison comparison;
    comparison.exact_times = true;
    comparison.before_seconds = before_sums.total / 1e9;
    comparison.after_seconds = after_sums.total / 1e9;
    comparison.before_runs = before.size();
    comparison.after_runs = after.size();
    const double runs_before = runsOf(before), runs_after = runsOf(after);
    comparison.before_cpu_s = comparison.before_seconds / runs_before;
    comparison.after_cpu_s = comparison.after_seconds / runs_after;
    const auto before_calls = sideCalls(before, key_count);
    const auto after_calls = sideCalls(after, key_count);
    for (size_t k = 0; k < key_count; ++k) {
        FunctionChange change = keys.functions[k];
        fillShares(change, k, before_sums, after_sums, runs_before, runs_after);
        fillCalls(change, before_calls[k], after_calls[k]);
        decideExact(change, k, before_side, after_side, comparison, options);
        settleVerdict(change);
        comparison.functions.push_back(std::move(change));
    }
    sortBySizeOfChange(comparison.functions);
    return comparison;
}

} // namespace

const char* verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Unchanged:
        return "unchanged";
    case Verdict::Improvement:
        return "improvement";
    case Verdict::Regression:
        return "regression";
    case Verdict::Inconclusive:
        return "inconclusive";
    case Verdict::NotChecked:
        return "not checked";
    }
    return "?";
}

std::string programName(const Profile& profile) {
    return profile.run.command.empty() ? "" : fileName(profile.run.command.front());
}

ProfileComparison compareProfiles(const std::vector<const Profile*>& before,
                                  const std::vector<const Profile*>& after,
                                  const CompareOptions& options) {
    if (options.resamples < 1 || !(options.confidence > 0 && options.confidence < 1))
        throw Error("compare: needs at least one resample and a confidence in (0, 1)");
    requireOneKind(before, after);
    KeyTable keys;
    const std::string program = before.empty() ? "" : programName(*before.front());
    const std::vector<ProfileData> before_data = sideData(before, keys, program, "baseline");
    const std::vector<ProfileData> after_data = sideData(after, keys, program, "current");
    if (hasExactTimesOnly(*before.front()))
        return compareExactProfiles(before_data, after_data, keys, options);
    const size_t key_count = keys.functions.size();
    // One pass over each profile's samples: each run's sums, pooled into its side's.
    const std::vector<SideSums> before_runs = sideRunSums(before_data, key_count);
    const std::vector<SideSums> after_runs = sideRunSums(after_data, key_count);
    const SideSums before_sums = pooledSums(before_runs, key_count);
    const SideSums after_sums = pooledSums(after_runs, key_count);

    size_t tracked = 0;
    const std::vector<long> columns = trackedColumns(before_sums, after_sums, options, tracked);
    std::mt19937_64 random(options.seed);
    const std::vector<double> before_replicates =
        bootstrapSide(sideUnits(before_data, columns), 2 * tracked, options, random);
    const std::vector<double> after_replicates =
        bootstrapSide(sideUnits(after_data, columns), 2 * tracked, options, random);

    ProfileComparison comparison;
    comparison.before_seconds = before_sums.total / 1e9;
    comparison.after_seconds = after_sums.total / 1e9;
    comparison.before_samples = before_sums.samples;
    comparison.after_samples = after_sums.samples;
    const double runs_before = runsOf(before_data);
    const double runs_after = runsOf(after_data);
    comparison.before_cpu_s = sumOf(before_sums.cpu_self) / 1e9 / runs_before;
    comparison.after_cpu_s = sumOf(after_sums.cpu_self) / 1e9 / runs_after;
    const double seconds = std::min(comparison.before_seconds, comparison.after_seconds);
    const uint64_t fewest = std::min(before_sums.samples, after_sums.samples);
    std::optional<double> too_few;
    if (fewest < options.min_samples)
        too_few = seconds * double(options.min_samples) / double(fewest);
    const auto before_calls = sideCalls(before_data, key_count);
    const auto after_calls = sideCalls(after_data, key_count);
    const bool several_runs = before_runs.size() >= 2 && after_runs.size() >= 2;
    for (size_t k = 0; k < key_count; ++k) {
        FunctionChange change = keys.functions[k];
        fillShares(change, k, before_sums, after_sums, runs_before, runs_after);
        fillCalls(change, before_calls[k], after_calls[k]);
        if (const long column = columns[k]; column >= 0) {
            for (auto [share, offset] :
                 {std::pair{&change.self, size_t(0)}, std::pair{&change.inclusive, tracked}}) {
                if (std::max(share->before, share->after) < options.min_share)
                    continue;
                fillInterval(*share, size_t(column) + offset, 2 * tracked, before_replicates,
                             after_replicates, options);
                if (several_runs) {
                    const bool inclusive = offset != 0;
                    widenByRunSpread(*share, sharesOf(before_runs, k, inclusive),
                                     sharesOf(after_runs, k, inclusive), options);
                }
                decide(*share, options.threshold_relative, options.threshold_points, too_few,
                       seconds);
            }
            decideCpu(change, comparison, options, too_few, seconds);
        }
        settleVerdict(change);
        comparison.functions.push_back(std::move(change));
    }
    sortBySizeOfChange(comparison.functions);
    return comparison;
}

} // namespace hprof
