// analyseScaling (hprof/scaling.h): the profiles of one program at several sizes, matched per
// function as `hprof diff` matches them, fitted, and the scaling bottleneck named.
#include "hprof/scaling.h"

#include "hprof/analysis.h"
#include "hprof/budget.h"
#include "hprof/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace hprof {
namespace {

// A run below this many samples says nothing about where its time went.
constexpr uint64_t kMinSamplesPerRun = 10;
// A function's time is fitted only when its runs hold this many samples in all.
constexpr double kMinSamplesToFit = 20;
// The smallest ratio between two sizes, and the span below which the program's own growth must
// show (kMinTotalGrowth) for the sizes to tell models apart.
constexpr double kMinSizeRatio = 1.05;
constexpr double kMinSpan = 2;
constexpr double kMinTotalGrowth = 4;
// The bottleneck: a function holding at least this share at the largest size, whose exponent's
// interval lies this far above the reference exponent.
constexpr double kMinBottleneckShare = 0.05;
constexpr double kClearlyFaster = 0.1;
// A function is explained by a callee of the same growth holding this much of its time.
constexpr double kExplainedShare = 0.8;
// Without --expect, a program growing faster than this exponent has a bottleneck to name.
constexpr double kSuperlinearExponent = 1.3;

using FunctionKey = std::tuple<std::string, std::string, std::string>; // as compare.h matches

// The values of one function in one run.
struct RunValues {
    double self = 0, inclusive = 0;
    std::optional<uint64_t> calls;
};

struct Measured {
    std::vector<double> sizes;                       // distinct, ascending
    std::vector<std::vector<size_t>> runs;           // per size: indices into the input
    std::vector<double> totals;                      // per input run: CPU seconds (weights capped)
    std::vector<std::map<size_t, RunValues>> values; // per input run: per key
    std::vector<FunctionChange> identities;          // per key: name, file, line, module
};

std::string fileNameOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string formatNumber(double value, const char* format = "%.3g") {
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

std::string sizeText(double size) {
    return formatNumber(size, "%.0f");
}

size_t keyOf(const FunctionChange& identity, std::map<FunctionKey, size_t>& keys,
             Measured& measured) {
    auto [it, added] = keys.try_emplace({identity.name, identity.file, identity.module},
                                        measured.identities.size());
    if (added)
        measured.identities.push_back(identity);
    return it->second;
}

// A run without samples (an instrumented program too short to sample) still has exact counts.
void addCountsOnly(const Profile& profile, std::map<FunctionKey, size_t>& keys, Measured& measured,
                   std::map<size_t, RunValues>& values) {
    for (const FunctionStats& stats : computeFunctionStats(profile)) {
        if (!stats.ncalls)
            continue;
        const Function& function = profile.function(stats.function);
        FunctionChange identity;
        identity.name = function.name;
        identity.file = function.file;
        identity.line = function.line;
        identity.module =
            function.module.valid() ? fileNameOf(profile.module(function.module).path) : "";
        std::optional<uint64_t>& calls = values[keyOf(identity, keys, measured)].calls;
        calls = calls.value_or(0) + *stats.ncalls;
    }
}

// Groups the runs by size and reads each run's totals and per-function values.
Measured measure(const std::vector<SizedProfile>& runs) {
    Measured measured;
    std::map<double, std::vector<size_t>> by_size;
    for (size_t r = 0; r < runs.size(); ++r) {
        if (!(runs[r].size > 0))
            throw ScalingError("size " + formatNumber(runs[r].size) + " is not above 0");
        by_size[runs[r].size].push_back(r);
    }
    for (auto& [size, indices] : by_size) {
        measured.sizes.push_back(size);
        measured.runs.push_back(indices);
    }
    checkScalingSizes(measured.sizes);
    std::map<FunctionKey, size_t> keys;
    const std::string program = programName(*runs.front().profile);
    for (const SizedProfile& run : runs) {
        if (programName(*run.profile) != program)
            throw Error("profiles of different programs: '" + programName(*run.profile) +
                        "' and '" + program + "'");
        std::map<size_t, RunValues> values;
        double total = 0;
        if (run.profile->samples.empty()) {
            addCountsOnly(*run.profile, keys, measured, values);
        } else {
            const ProfileComparison shares = currentShares({run.profile});
            total = shares.after_seconds;
            for (const FunctionChange& change : shares.functions)
                values[keyOf(change, keys, measured)] = {
                    change.self.after * total, change.inclusive.after * total, change.after_ncalls};
        }
        measured.totals.push_back(total);
        measured.values.push_back(std::move(values));
    }
    return measured;
}

bool instrumented(const std::vector<SizedProfile>& runs) {
    return std::all_of(runs.begin(), runs.end(), [](const SizedProfile& run) {
        return !run.profile->run.instrumentation.empty();
    });
}

// The advice to sample faster, while the sampler has a faster rate to give.
std::string fasterSampling(uint32_t hz) {
    if (hz >= kMaxSamplingHz)
        return "";
    return ", or sample faster (-F " +
           std::to_string(std::clamp(2 * hz, uint32_t(10000), kMaxSamplingHz)) + ")";
}

void checkRunLengths(const std::vector<SizedProfile>& runs, const Measured& measured,
                     bool counted) {
    if (counted)
        return; // exact counts fit whatever the times
    for (size_t s = 0; s < measured.sizes.size(); ++s) {
        uint64_t samples = 0;
        for (size_t r : measured.runs[s])
            samples += runs[r].profile->samples.size();
        const uint64_t per_run = samples / measured.runs[s].size();
        if (per_run >= kMinSamplesPerRun)
            continue;
        const uint32_t hz = runs[measured.runs[s].front()].profile->run.frequency_hz;
        throw ScalingError("the runs at size " + sizeText(measured.sizes[s]) +
                           " are too short to measure: " + std::to_string(per_run) +
                           " samples each at " + std::to_string(hz) +
                           " Hz; make the smallest size larger" + fasterSampling(hz));
    }
}

// Per size, the index (among that size's runs) of the run with the least CPU time.
std::vector<size_t> fastestRuns(const Measured& measured) {
    std::vector<size_t> fastest;
    for (const std::vector<size_t>& indices : measured.runs) {
        size_t best = 0;
        for (size_t i = 1; i < indices.size(); ++i)
            if (measured.totals[indices[i]] < measured.totals[indices[best]])
                best = i;
        fastest.push_back(best);
    }
    return fastest;
}

template <typename Value>
ScalingSeries seriesOf(const Measured& measured, double resolution, Value value) {
    ScalingSeries series;
    series.sizes = measured.sizes;
    series.resolution = resolution;
    series.fitted_run = fastestRuns(measured);
    for (const std::vector<size_t>& indices : measured.runs) {
        std::vector<double> values;
        for (size_t r : indices)
            values.push_back(value(r));
        series.values.push_back(std::move(values));
    }
    return series;
}

double samplesIn(const ScalingSeries& series) {
    double seconds = 0;
    for (const std::vector<double>& runs : series.values)
        for (double value : runs)
            seconds += value;
    return seconds / series.resolution;
}

std::optional<ScalingFit> fitIfMeasured(const ScalingSeries& series) {
    if (series.resolution > 0 && samplesIn(series) < kMinSamplesToFit)
        return std::nullopt;
    return fitScaling(series);
}

// Exact calls of key `k` per run, where every run counted it.
std::optional<ScalingSeries> callSeries(const Measured& measured, size_t k) {
    for (const auto& values : measured.values) {
        const auto it = values.find(k);
        if (it == values.end() || !it->second.calls)
            return std::nullopt;
    }
    return seriesOf(measured, 0, [&](size_t r) { return double(*measured.values[r].at(k).calls); });
}

FunctionScaling functionScaling(const Measured& measured, size_t k, double resolution) {
    const FunctionChange& identity = measured.identities[k];
    FunctionScaling function;
    function.name = identity.name;
    function.file = identity.file;
    function.line = identity.line;
    function.module = identity.module;
    const auto valueOf = [&](size_t r, double RunValues::*member) {
        const auto it = measured.values[r].find(k);
        return it == measured.values[r].end() ? 0.0 : it->second.*member;
    };
    function.self =
        seriesOf(measured, resolution, [&](size_t r) { return valueOf(r, &RunValues::self); });
    function.inclusive =
        seriesOf(measured, resolution, [&](size_t r) { return valueOf(r, &RunValues::inclusive); });
    function.calls = callSeries(measured, k);
    function.self_fit = fitIfMeasured(function.self);
    function.inclusive_fit = fitIfMeasured(function.inclusive);
    if (function.calls)
        function.calls_fit = fitScaling(*function.calls);
    return function;
}

// Share of the program's time somewhere: the largest inclusive share over the sizes.
double largestShare(const FunctionScaling& function, const ScalingSeries& total) {
    double share = 0;
    for (size_t i = 0; i < total.sizes.size(); ++i)
        if (const double t = fittedValue(total, i); t > 0)
            share = std::max(share, fittedValue(function.inclusive, i) / t);
    return share;
}

// Sampled times only: exact counts tell models apart over any span (n! from 2^n over 6..9).
void checkSpan(const ScalingSeries& total) {
    const double span = total.sizes.back() / total.sizes.front();
    const double first = fittedValue(total, 0), last = fittedValue(total, total.sizes.size() - 1);
    if (span < kMinSpan && !(first > 0 && last / first >= kMinTotalGrowth))
        throw ScalingError("the sizes span only " + formatNumber(span) +
                           "x and the program's time changed only " +
                           formatNumber(first > 0 ? last / first : 0) +
                           "x: too close to tell sampled times apart; use sizes spanning at least "
                           "4x (e.g. 1000,2000,4000,8000), or count calls exactly (a "
                           "-finstrument-functions build), which needs no span");
}

// --- The bottleneck ----------------------------------------------------------------------------

// Code the user can change: not in a system library, and not a template of the standard library
// (a system header's file with a std:: or __gnu_cxx:: name, its parameters left out). The file
// alone does not say it:
// a function's definition line can come from a header inlined at its first instruction.
bool userCode(const FunctionScaling& function) {
    const bool system_module =
        function.module.starts_with("lib") || function.module.starts_with("ld-");
    // The name up to its template arguments or parameters: close_pairs(std::vector<double>)
    // inlined from a system header is the user's close_pairs, not the standard library's.
    const std::string name = function.name.substr(0, function.name.find_first_of("<("));
    const bool library_template =
        function.file.starts_with("/usr/") &&
        (name.find("std::") != std::string::npos || name.find("__gnu_cxx::") != std::string::npos ||
         name.starts_with("__"));
    return !function.file.empty() && !system_module && !library_template;
}

// nested[f][g]: weight of the samples of `profiles` in which group member g runs below f;
// nested[f][f]: f's inclusive weight.
std::vector<std::vector<double>> nestedWeights(const std::vector<const Profile*>& profiles,
                                               const std::vector<FunctionScaling>& functions,
                                               const std::vector<size_t>& group) {
    std::map<FunctionKey, size_t> member;
    for (size_t m = 0; m < group.size(); ++m) {
        const FunctionScaling& f = functions[group[m]];
        member[{f.name, f.file, f.module}] = m;
    }
    std::vector<std::vector<double>> nested(group.size(), std::vector<double>(group.size()));
    for (const Profile* profile : profiles) {
        std::vector<long> of_function(profile->functions.size(), -1);
        for (size_t id = 0; id < profile->functions.size(); ++id) {
            const Function& fn = profile->functions[id];
            const std::string module =
                fn.module.valid() ? fileNameOf(profile->module(fn.module).path) : "";
            if (const auto it = member.find({fn.name, fn.file, module}); it != member.end())
                of_function[id] = long(it->second);
        }
        for (const Sample& sample : profile->samples) {
            std::vector<long> deepest_first; // group members on the stack, leaf first, once each
            for (StackId node = sample.stack; node.valid(); node = profile->stack(node).parent) {
                const long m =
                    of_function[profile->frame(profile->stack(node).frame).function.value];
                if (m >= 0 &&
                    std::find(deepest_first.begin(), deepest_first.end(), m) == deepest_first.end())
                    deepest_first.push_back(m);
            }
            for (size_t outer = 0; outer < deepest_first.size(); ++outer)
                for (size_t inner = 0; inner <= outer; ++inner)
                    nested[size_t(deepest_first[outer])][size_t(deepest_first[inner])] +=
                        double(sample.weight_ns);
        }
    }
    return nested;
}

// Of the group (functions growing alike), the one the growth comes from: user code preferred,
// and not a function whose time is mostly a group member it calls.
size_t mostSpecific(const std::vector<size_t>& group, const std::vector<FunctionScaling>& functions,
                    const std::vector<const Profile*>& largest) {
    std::vector<size_t> candidates;
    for (size_t f : group)
        if (userCode(functions[f]))
            candidates.push_back(f);
    if (candidates.empty())
        candidates = group;
    const auto nested = nestedWeights(largest, functions, candidates);
    size_t best = candidates.front();
    double best_share = -1;
    for (size_t m = 0; m < candidates.size(); ++m) {
        const FunctionScaling& f = functions[candidates[m]];
        bool explained = false;
        for (size_t g = 0; g < candidates.size(); ++g)
            explained = explained || (g != m && nested[m][g] >= kExplainedShare * nested[m][m]);
        if (!explained && f.share_at_largest > best_share) {
            best = candidates[m];
            best_share = f.share_at_largest;
        }
    }
    return best;
}

// The log-log slope of a model over the sizes: what --expect allows.
double modelExponent(Complexity model, const std::vector<double>& sizes) {
    const double lo = sizes.front(), hi = sizes.back();
    return (logModel(model, hi) - logModel(model, lo)) / (std::log(hi) - std::log(lo));
}

std::string percent(double share) {
    return formatNumber(100 * share, "%.0f") + "%";
}

// A fit of times in words; with a constant term, the fixed seconds and how the rest grows.
std::string growthText(const ScalingFit& fit) {
    if (fit.constant > 0)
        return describeModel(fit) + " (a fixed " + formatNumber(fit.constant) +
               " s and a part growing with exponent " + formatNumber(fit.growth_exponent, "%.2f") +
               ")";
    return describeModel(fit) + " (exponent " + formatNumber(fit.exponent, "%.2f") +
           ", 95% interval " + formatNumber(fit.exponent_low, "%.2f") + ".." +
           formatNumber(fit.exponent_high, "%.2f") + ")";
}

// The range of exponents of how a fit's growing part grows: the power law's interval, or, where
// a constant term was chosen, the chosen model's own slope (the power law's exponent is then
// flattened by the constant, and says nothing about the growth).
double growthLow(const ScalingFit& fit) {
    return fit.constant > 0 ? fit.growth_exponent : fit.exponent_low;
}
double growthHigh(const ScalingFit& fit) {
    return fit.constant > 0 ? fit.growth_exponent : fit.exponent_high;
}

std::string place(const FunctionScaling& function) {
    if (function.file.empty())
        return function.name;
    return function.name + " (" + fileNameOf(function.file) + ":" + std::to_string(function.line) +
           ")";
}

// ", and as O(n) (exponent 1.00, ...) without the fixed 0.3 s of its functions".
std::string growingPartText(const ScalingReport& report) {
    if (!report.growing_fit)
        return "";
    return ", and as " + growthText(*report.growing_fit) + " without the fixed " +
           formatNumber(report.fixed_seconds) + " s of its functions";
}

void nameBottleneck(ScalingReport& report, const std::vector<const Profile*>& largest) {
    std::vector<size_t> eligible;
    for (size_t f = 0; f < report.functions.size(); ++f)
        if (report.functions[f].inclusive_fit &&
            report.functions[f].share_at_largest >= kMinBottleneckShare)
            eligible.push_back(f);
    const std::string whole =
        "the program as a whole grows as " + growthText(report.total_fit) + growingPartText(report);
    const double reference =
        report.expect ? modelExponent(*report.expect, report.sizes) : report.growth_exponent;
    const std::string than = report.expect
                                 ? std::string("the expected ") + complexityName(*report.expect)
                                 : "the program as a whole";
    if (eligible.empty()) {
        report.summary = "No function holds " + percent(kMinBottleneckShare) +
                         " of the time at the largest size; " + whole + ".";
        return;
    }
    const auto exponentOf = [&](size_t f) {
        return report.functions[f].inclusive_fit->growth_exponent;
    };
    const size_t worst =
        *std::max_element(eligible.begin(), eligible.end(),
                          [&](size_t a, size_t b) { return exponentOf(a) < exponentOf(b); });
    const ScalingFit& worst_fit = *report.functions[worst].inclusive_fit;
    const bool faster = growthLow(worst_fit) > reference + kClearlyFaster;
    if (!faster && (report.expect || reference < kSuperlinearExponent)) {
        report.summary = "No function grows clearly faster than " + than + "; " + whole + ".";
        return;
    }
    std::vector<size_t> group;
    for (size_t f : eligible)
        if (growthHigh(*report.functions[f].inclusive_fit) >= growthLow(worst_fit))
            group.push_back(f);
    const size_t chosen = mostSpecific(group, report.functions, largest);
    const FunctionScaling& function = report.functions[chosen];
    const std::string at_largest =
        percent(function.share_at_largest) + " of the time at n=" + sizeText(report.sizes.back());
    const std::string predicted = "would take " + percent(function.predicted_share) +
                                  " at n=" + sizeText(report.predict_size);
    const std::string fixedPart =
        report.fixed_seconds > 0 ? " beyond its fixed " + formatNumber(report.fixed_seconds) + " s"
                                 : "";
    std::string sentence;
    if (faster)
        sentence =
            "The scaling bottleneck is " + place(function) + ": its time grows as " +
            growthText(*function.inclusive_fit) + ", faster than " + than +
            (report.expect ? ""
                           : " (exponent " + formatNumber(reference, "%.2f") + fixedPart + ")") +
            "; it takes " + at_largest + " and " + predicted + ".";
    else
        sentence = "The scaling bottleneck is " + place(function) + ", which grows as " +
                   growthText(*function.inclusive_fit) + " and takes " + at_largest + ": " + whole +
                   ".";
    report.bottleneck = ScalingBottleneck{chosen, faster, sentence};
    report.summary = sentence;
}

// The fixed part of a function's self time: all of it where its self time is O(1), the constant
// term where its fit has one. Self times add up to the program's, so these add up to its fixed
// part, wherever the start-up's time lands (an inlined helper holds its own).
double fixedSelfSeconds(const FunctionScaling& function) {
    if (!function.self_fit)
        return 0;
    if (function.self_fit->constant > 0)
        return function.self_fit->constant;
    return function.self_fit->model == Complexity::Constant
               ? std::exp(function.self_fit->log_coefficient)
               : 0.0;
}

// The time of the functions whose inclusive time is O(1) (start_up(), with whatever it calls),
// each counted once: one that runs under another of them in half of its samples or more at the
// largest size is left out.
double fixedInclusiveSeconds(const ScalingReport& report,
                             const std::vector<const Profile*>& largest) {
    std::vector<size_t> group;
    for (size_t f = 0; f < report.functions.size(); ++f) {
        const std::optional<ScalingFit>& fit = report.functions[f].inclusive_fit;
        if (fit && fit->model == Complexity::Constant && fit->constant == 0)
            group.push_back(f);
    }
    const auto nested = nestedWeights(largest, report.functions, group);
    double fixed = 0;
    for (size_t m = 0; m < group.size(); ++m) {
        bool under_another = false;
        for (size_t g = 0; g < group.size(); ++g)
            under_another = under_another || (g != m && nested[g][m] >= 0.5 * nested[m][m]);
        if (!under_another)
            fixed += std::exp(report.functions[group[m]].inclusive_fit->log_coefficient);
    }
    return fixed;
}

// The program's growing part (ScalingReport::growing_fit): the whole program's constant term
// where its fit found one; else, where the functions show a fixed part (the fixed parts of their
// self times, or the functions of constant inclusive time, whichever is more: both are parts of
// the fixed part) holding enough of the smallest size's time, the program's time less it. A
// fixed start-up flattens the whole program's exponent, and every function that grows would
// seem to grow faster than it.
void fitGrowingPart(ScalingReport& report, const std::vector<const Profile*>& largest) {
    report.growth_exponent = report.total_fit.growth_exponent;
    report.fixed_seconds = report.total_fit.constant;
    if (report.total_fit.constant > 0)
        return;
    double fixed_self = 0;
    for (const FunctionScaling& function : report.functions)
        fixed_self += fixedSelfSeconds(function);
    const double fixed = std::max(fixed_self, fixedInclusiveSeconds(report, largest));
    if (fixed < kMinBottleneckShare * fittedValue(report.total, 0))
        return;
    ScalingSeries growing = report.total;
    for (std::vector<double>& runs : growing.values)
        for (double& seconds : runs)
            seconds = std::max(0.0, seconds - fixed);
    report.growing_fit = fitScaling(growing);
    report.fixed_seconds = fixed;
    report.growth_exponent = report.growing_fit->exponent;
}

// The program's time at the predicted size: what its own fit says, or more when the functions'
// self times (which add up to it) or one function's inclusive time predict more.
double predictedTotal(const ScalingReport& report) {
    const double size = report.predict_size;
    double total = report.total_fit.predict(size), self_sum = 0;
    for (const FunctionScaling& function : report.functions) {
        if (function.self_fit)
            self_sum += function.self_fit->predict(size);
        if (function.inclusive_fit)
            total = std::max(total, function.inclusive_fit->predict(size));
    }
    return std::max(total, self_sum);
}

void predict(ScalingReport& report) {
    report.predicted_total_seconds = predictedTotal(report);
    for (FunctionScaling& function : report.functions) {
        if (!function.inclusive_fit)
            continue;
        function.predicted_seconds = function.inclusive_fit->predict(report.predict_size);
        function.predicted_share =
            std::isfinite(report.predicted_total_seconds) && report.predicted_total_seconds > 0
                ? std::min(1.0, function.predicted_seconds / report.predicted_total_seconds)
                : (std::isinf(function.predicted_seconds) ? 1.0 : 0.0);
    }
}

} // namespace

void checkScalingSizes(const std::vector<double>& sizes) {
    if (sizes.size() < 4)
        throw ScalingError("needs at least 4 different sizes to fit (got " +
                           std::to_string(sizes.size()) +
                           "): give more, e.g. --sizes 1000,2000,4000,8000,16000");
    for (size_t i = 1; i < sizes.size(); ++i)
        if (sizes[i] / sizes[i - 1] < kMinSizeRatio)
            throw ScalingError("sizes " + sizeText(sizes[i - 1]) + " and " + sizeText(sizes[i]) +
                               " are too close to tell apart: make each size at least 5% larger "
                               "than the one before (doubling is best)");
}

std::string describeModel(const ScalingFit& fit) {
    if (fit.model == Complexity::PowerLaw)
        return "O(n^" + formatNumber(fit.exponent, "%.2f") + ")";
    return complexityName(fit.model) + std::string(fit.constant > 0 ? " + c" : "");
}

ScalingReport analyseScaling(const std::vector<SizedProfile>& runs, const ScalingOptions& options) {
    if (runs.empty())
        throw ScalingError("no runs to fit");
    const Measured measured = measure(runs);
    ScalingReport report;
    report.counted = instrumented(runs);
    checkRunLengths(runs, measured, report.counted);
    const Profile& first = *runs.front().profile;
    report.program = programName(first);
    report.command = runs[measured.runs.back().front()].profile->run.command;
    report.sizes = measured.sizes;
    report.runs_per_size = runs.size();
    for (const auto& indices : measured.runs)
        report.runs_per_size = std::min(report.runs_per_size, indices.size());
    report.frequency_hz = first.run.frequency_hz;
    report.expect = options.expect;
    const double resolution = first.run.frequency_hz > 0 ? 1.0 / first.run.frequency_hz : 1e-3;
    report.total = seriesOf(measured, resolution, [&](size_t r) { return measured.totals[r]; });
    if (!report.counted)
        checkSpan(report.total);
    report.total_fit = fitScaling(report.total);
    report.predict_size = options.predict.value_or(10 * report.sizes.back());
    const size_t largest = report.sizes.size() - 1;
    const double total_at_largest = fittedValue(report.total, largest);
    for (size_t k = 0; k < measured.identities.size(); ++k) {
        FunctionScaling function = functionScaling(measured, k, resolution);
        if (largestShare(function, report.total) < options.min_share && !function.calls_fit)
            continue;
        if (total_at_largest > 0) {
            function.share_at_largest = fittedValue(function.inclusive, largest) / total_at_largest;
            function.self_share_at_largest = fittedValue(function.self, largest) / total_at_largest;
        }
        report.functions.push_back(std::move(function));
    }
    std::stable_sort(report.functions.begin(), report.functions.end(),
                     [](const FunctionScaling& a, const FunctionScaling& b) {
                         return a.share_at_largest > b.share_at_largest;
                     });
    predict(report);
    std::vector<const Profile*> largest_runs;
    for (size_t r : measured.runs.back())
        largest_runs.push_back(runs[r].profile);
    fitGrowingPart(report, largest_runs);
    nameBottleneck(report, largest_runs);
    return report;
}

} // namespace hprof
