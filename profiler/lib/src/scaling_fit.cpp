// The fits of hprof/scaling.h: one-coefficient models and a power law, by weighted least squares
// on log values. docs/scaling.md has the reasoning.
#include "hprof/scaling.h"

#include "scaling_points.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

namespace hprof {
namespace scaling_detail {

double weightedMean(const std::vector<double>& v, const std::vector<double>& w) {
    double sum = 0, weight = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        sum += w[i] * v[i];
        weight += w[i];
    }
    return sum / weight;
}

double weightedSlope(const LogPoints& p, const std::vector<double>& v, double* sxx_out) {
    const double mx = weightedMean(p.x, p.w), mv = weightedMean(v, p.w);
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        sxy += p.w[i] * (p.x[i] - mx) * (v[i] - mv);
        sxx += p.w[i] * (p.x[i] - mx) * (p.x[i] - mx);
    }
    if (sxx_out)
        *sxx_out = sxx;
    return sxx > 0 ? sxy / sxx : 0;
}

double weightedSquares(const LogPoints& p, const std::vector<double>& residuals) {
    double sum = 0;
    for (size_t i = 0; i < residuals.size(); ++i)
        sum += p.w[i] * residuals[i] * residuals[i];
    return sum;
}

double weightedRms(const LogPoints& p, const std::vector<double>& residuals) {
    return std::sqrt(weightedSquares(p, residuals) / std::accumulate(p.w.begin(), p.w.end(), 0.0));
}

bool fittable(Complexity model, double smallest_size) {
    // log2(1) = 0: ln(0) is no point of a fit.
    const bool has_log = model == Complexity::Logarithmic || model == Complexity::NLogN;
    return !has_log || smallest_size >= 2;
}

} // namespace scaling_detail

namespace {

using namespace scaling_detail;

// Run-to-run noise of a time measured once (load, frequency scaling, caches): 5% is what
// unchanged reruns show on a shared machine (docs/performance.md, check calibration).
constexpr double kDefaultRunNoise = 0.05;
// The least disagreement tolerated between a model's slope and the power law's exponent: lower-
// order terms bend a real program's curve (n(n-1)/2 at small n has a slope above 2). Counts are
// exact, so only such terms separate them from a model; times carry noise that the interval
// measures, and a smaller floor keeps n and n log n (slopes 0.07-0.12 apart) distinguishable.
constexpr double kCountsExponentTolerance = 0.25;
constexpr double kTimesExponentTolerance = 0.05;
// Steep curves: a power law steeper than this is no polynomial code in practice (n^3 matrix
// products, n^4 at most), but the local slope of 2^n or n! over a narrow span of sizes.
constexpr double kSteepExponent = 6;
// How far above its idle time the fastest short run of a loaded machine may come out.
constexpr double kShortRunBias = 0.2;

// The 97.5% quantile of Student's t for 1..30 degrees of freedom; beyond, the normal's 1.96.
double tQuantile975(size_t df) {
    static constexpr std::array<double, 30> kTable{
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0)
        return std::numeric_limits<double>::infinity();
    return df <= kTable.size() ? kTable[df - 1] : 1.96;
}

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

// The smallest value a point can be told apart from zero by: half a sample (or call) over all
// of its runs. Zero means "below what was measured", not "nothing".
double floorOf(const ScalingSeries& series, size_t runs) {
    const double unit = series.resolution > 0 ? series.resolution : 1.0;
    return unit / (2.0 * double(runs));
}

double samplingVariance(const ScalingSeries& series, double value) {
    // A time of k samples is known to about 1/sqrt(k) (Poisson); half a sample at least.
    return 1 / std::max(value / series.resolution, 0.5);
}

// The load variance of ln(value) at each size (run-to-run noise beyond sampling): what the
// repeats' spread shows beyond their sampling noise, the larger of the size's own and the one
// pooled over the sizes. The pool weighs each size by how well its spread can show the load
// (the inverse square of its expected variance): the spread of two 9-sample runs is mostly
// sampling, and must not set the noise of runs of 900. Without repeats, assumed.
std::vector<double> loadVariances(const ScalingSeries& series) {
    constexpr double kAssumed = kDefaultRunNoise * kDefaultRunNoise;
    std::vector<double> own(series.sizes.size(), 0);
    double pooled = 0, pool_weight = 0;
    for (size_t i = 0; i < series.values.size(); ++i) {
        const std::vector<double>& runs = series.values[i];
        if (runs.size() < 2)
            continue;
        std::vector<double> logs;
        for (double value : runs)
            logs.push_back(std::log(std::max(value, floorOf(series, 1))));
        const double m = mean(logs), sampling = samplingVariance(series, mean(runs));
        double squares = 0;
        for (double l : logs)
            squares += (l - m) * (l - m);
        const double df = double(runs.size() - 1);
        own[i] = std::max(0.0, squares / df - sampling);
        const double weight = df / ((sampling + kAssumed) * (sampling + kAssumed));
        pooled += weight * own[i];
        pool_weight += weight;
    }
    if (pool_weight == 0)
        return std::vector<double>(series.sizes.size(), kAssumed);
    for (double& variance : own)
        variance = std::max(variance, pooled / pool_weight);
    return own;
}

struct PointEstimate {
    double value = 0;
    double variance = 1;
};

// The value fitted at size `index` and its variance. The fastest run (fitted_run) is the
// closest to the program's own cost when load dominates the noise. Load only ever adds time, so
// the fastest of K runs is off by about 1/K of their spread (its variance: load / K^2). When
// sampling dominates (short runs), the fastest is merely the one that drew the fewest samples,
// and the mean of the runs, with all of their samples, is the better estimate.
PointEstimate estimate(const ScalingSeries& series, size_t index, double load_variance) {
    const std::vector<double>& runs = series.values[index];
    const double runs_count = double(runs.size());
    const double fastest = std::max(fittedValue(series, index), floorOf(series, 1));
    const double all = std::max(mean(runs), floorOf(series, runs.size()));
    if (series.fitted_run.empty() || samplingVariance(series, fastest) > load_variance)
        return {all, samplingVariance(series, all * runs_count) + load_variance / runs_count};
    return {fastest, samplingVariance(series, fastest) + load_variance / (runs_count * runs_count)};
}

LogPoints logPoints(const ScalingSeries& series) {
    LogPoints points;
    points.exact = series.resolution <= 0;
    points.sizes_min = series.sizes.front();
    const std::vector<double> load = points.exact ? std::vector<double>() : loadVariances(series);
    for (size_t i = 0; i < series.sizes.size(); ++i) {
        PointEstimate point{std::max(fittedValue(series, i), floorOf(series, 1)), 1};
        if (!points.exact)
            point = estimate(series, i, load[i]);
        points.x.push_back(std::log(series.sizes[i]));
        points.y.push_back(std::log(point.value));
        points.w.push_back(1 / point.variance);
    }
    return points;
}

ModelFitChi2 fitModel(Complexity model, const LogPoints& p) {
    std::vector<double> g;
    for (double x : p.x)
        g.push_back(logModel(model, std::exp(x)));
    std::vector<double> difference(g.size());
    for (size_t i = 0; i < g.size(); ++i)
        difference[i] = p.y[i] - g[i];
    ModelFit fit{model, weightedMean(difference, p.w), 0, weightedSlope(p, g)};
    std::vector<double> residuals(g.size());
    for (size_t i = 0; i < g.size(); ++i)
        residuals[i] = difference[i] - fit.log_coefficient;
    fit.rms = weightedRms(p, residuals);
    return {fit, weightedSquares(p, residuals)};
}

PowerLawFit fitPowerLaw(const LogPoints& p, ScalingFit& fit) {
    PowerLawFit power;
    fit.exponent = weightedSlope(p, p.y, &power.sxx);
    fit.power_log_coefficient = weightedMean(p.y, p.w) - fit.exponent * weightedMean(p.x, p.w);
    std::vector<double> residuals(p.x.size());
    for (size_t i = 0; i < p.x.size(); ++i)
        residuals[i] = p.y[i] - fit.power_log_coefficient - fit.exponent * p.x[i];
    power.chi2 = weightedSquares(p, residuals);
    fit.power_rms = weightedRms(p, residuals);
    const size_t df = p.x.size() - 2;
    // Times: the weights are inverse variances, scaled up when the scatter exceeds them. Exact
    // counts: only the scatter about the line says anything.
    double variance = df > 0 ? power.chi2 / double(df) : std::numeric_limits<double>::infinity();
    if (!p.exact)
        variance = std::max(variance, 1.0);
    power.t = tQuantile975(df);
    const double half = power.t * std::sqrt(variance / power.sxx);
    fit.exponent_low = fit.exponent - half;
    fit.exponent_high = fit.exponent + half;
    return power;
}

// Times: a model fits when its chi-square exceeds the best fit's (the power law's or a model's)
// by no more than a free exponent is worth at 95% (t^2 times the noise, scaled by the best fit's
// own scatter when that exceeds the points' variances), or than a slope off by the tolerance
// costs. For a straight line in log-log space (1, n, n^2, n^3) against the power law this is
// exactly "its slope lies in the exponent's interval"; for the curved ones (log n, n log n,
// 2^n, n!) it also refuses a shape the data do not have. The reference is the best fit, not
// the power law: data that bend like 2^n stretch the power law's scatter and would let
// anything through.
bool timesFit(double chi2, double best_chi2, double best_df, const PowerLawFit& power) {
    const double noise = std::max(1.0, best_chi2 / best_df);
    const double allowance = std::max(
        power.t * power.t * noise, kTimesExponentTolerance * kTimesExponentTolerance * power.sxx);
    return chi2 <= best_chi2 + allowance;
}

// Which models fit as well as the data can tell (ModelFit::fits); returns the best fit.
BestPlainFit markFittingModels(const LogPoints& p, const PowerLawFit& power,
                               const std::vector<double>& chi2, ScalingFit& fit) {
    const double m = double(p.x.size());
    // Exact counts: the power law spends one more parameter on the same points, so its rms is
    // compared as if it had the one-coefficient models' degrees of freedom.
    double best_rms = fit.power_rms * std::sqrt((m - 1) / (m - 2));
    double best_chi2 = power.chi2, best_df = m - 2;
    for (size_t i = 0; i < fit.models.size(); ++i) {
        best_rms = std::min(best_rms, fit.models[i].rms);
        if (chi2[i] < best_chi2) {
            best_chi2 = chi2[i];
            best_df = m - 1;
        }
    }
    for (size_t i = 0; i < fit.models.size(); ++i)
        fit.models[i].fits = p.exact ? fit.models[i].rms <= kRmsFactor * best_rms + kRmsMargin
                                     : timesFit(chi2[i], best_chi2, best_df, power);
    return {best_chi2, best_rms};
}

// A power law steeper than kSteepExponent gives way to 2^n or n! (the slower first) when the data
// cannot tell them apart once the known bias of short runs is allowed for. Over a narrow span
// only the curvature tells n! from n^25, and the curvature rests on the smallest sizes, whose
// short runs a loaded machine slows most: even their fastest run comes out 5-20% above its idle
// time (docs/scaling.md, "Runs"), a bias no weight can see. So the model fits when its slope is
// within the interval widened by what a 20% bias of one end moves a slope (ln 1.2 / ln span), and
// its rms within the counts' margin of the power law's plus what 20% at one of the m sizes adds
// (ln 1.2 / sqrt m). docs/scaling.md, "Steep curves".
void preferSuperPolynomial(const LogPoints& p, ScalingFit& fit) {
    if (fit.model != Complexity::PowerLaw || fit.exponent <= kSteepExponent)
        return;
    const double bias = std::log1p(kShortRunBias);
    const double half_width =
        (fit.exponent_high - fit.exponent_low) / 2 + bias / (p.x.back() - p.x.front());
    const double most_rms =
        kRmsFactor * fit.power_rms + kRmsMargin + bias / std::sqrt(double(p.x.size()));
    for (const ModelFit& model : fit.models)
        if ((model.model == Complexity::Exponential || model.model == Complexity::Factorial) &&
            std::abs(model.exponent - fit.exponent) <= half_width && model.rms <= most_rms) {
            fit.model = model.model;
            return;
        }
}

std::string normalised(std::string_view text) {
    std::string word;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            word += char(std::tolower(static_cast<unsigned char>(c)));
    if (word.starts_with("o(") && word.ends_with(")"))
        word = word.substr(2, word.size() - 3);
    return word;
}

} // namespace

const char* complexityName(Complexity model) {
    switch (model) {
    case Complexity::Constant:
        return "O(1)";
    case Complexity::Logarithmic:
        return "O(log n)";
    case Complexity::Linear:
        return "O(n)";
    case Complexity::NLogN:
        return "O(n log n)";
    case Complexity::Quadratic:
        return "O(n^2)";
    case Complexity::Cubic:
        return "O(n^3)";
    case Complexity::Exponential:
        return "O(2^n)";
    case Complexity::Factorial:
        return "O(n!)";
    case Complexity::PowerLaw:
        return "O(n^b)";
    }
    return "?";
}

std::optional<Complexity> parseComplexity(std::string_view text) {
    static const std::pair<const char*, Complexity> kWords[] = {
        {"1", Complexity::Constant},
        {"constant", Complexity::Constant},
        {"logn", Complexity::Logarithmic},
        {"log", Complexity::Logarithmic},
        {"n", Complexity::Linear},
        {"linear", Complexity::Linear},
        {"nlogn", Complexity::NLogN},
        {"n^2", Complexity::Quadratic},
        {"quadratic", Complexity::Quadratic},
        {"n^3", Complexity::Cubic},
        {"cubic", Complexity::Cubic},
        {"2^n", Complexity::Exponential},
        {"exponential", Complexity::Exponential},
        {"n!", Complexity::Factorial},
        {"factorial", Complexity::Factorial}};
    const std::string word = normalised(text);
    for (const auto& [name, model] : kWords)
        if (word == name)
            return model;
    return std::nullopt;
}

double logModel(Complexity model, double n) {
    switch (model) {
    case Complexity::Constant:
    case Complexity::PowerLaw:
        return 0;
    case Complexity::Logarithmic:
        return std::log(std::log2(n));
    case Complexity::Linear:
        return std::log(n);
    case Complexity::NLogN:
        return std::log(n) + std::log(std::log2(n));
    case Complexity::Quadratic:
        return 2 * std::log(n);
    case Complexity::Cubic:
        return 3 * std::log(n);
    case Complexity::Exponential:
        return n * std::log(2.0);
    case Complexity::Factorial:
        return std::lgamma(n + 1);
    }
    return 0;
}

double fittedValue(const ScalingSeries& series, size_t index) {
    const std::vector<double>& runs = series.values.at(index);
    return series.fitted_run.empty() ? mean(runs) : runs.at(series.fitted_run.at(index));
}

double ScalingFit::predict(double n) const {
    if (model == Complexity::PowerLaw)
        return std::exp(power_log_coefficient + exponent * std::log(n));
    return constant + std::exp(log_coefficient + logModel(model, n));
}

Complexity chooseModel(const std::vector<ModelFit>& models, double exponent, double low,
                       double high, bool exact) {
    const double half_width =
        std::max((high - low) / 2, exact ? kCountsExponentTolerance : kTimesExponentTolerance);
    for (const ModelFit& fit : models) // ordered by growth: the first that passes is the slowest
        if (fit.fits && std::abs(fit.exponent - exponent) <= half_width)
            return fit.model;
    return Complexity::PowerLaw;
}

ScalingFit fitScaling(const ScalingSeries& series) {
    if (series.sizes.size() < 3 || series.values.size() != series.sizes.size())
        throw Error("a scaling fit needs at least 3 sizes, each with its runs");
    for (size_t i = 0; i < series.sizes.size(); ++i)
        if (!(series.sizes[i] > 0) || series.values[i].empty())
            throw Error("a scaling fit needs sizes above 0, each with at least one run");
    const LogPoints points = logPoints(series);
    ScalingFit fit;
    std::vector<double> chi2;
    for (Complexity model : kFittedModels)
        if (fittable(model, points.sizes_min)) {
            const ModelFitChi2 fitted = fitModel(model, points);
            fit.models.push_back(fitted.fit);
            chi2.push_back(fitted.chi2);
        }
    const PowerLawFit power = fitPowerLaw(points, fit);
    const BestPlainFit best = markFittingModels(points, power, chi2, fit);
    fit.model =
        chooseModel(fit.models, fit.exponent, fit.exponent_low, fit.exponent_high, points.exact);
    preferSuperPolynomial(points, fit);
    fit.rms = fit.power_rms;
    fit.log_coefficient = fit.power_log_coefficient;
    fit.growth_exponent = fit.exponent;
    for (const ModelFit& model : fit.models)
        if (model.model == fit.model) {
            fit.rms = model.rms;
            fit.log_coefficient = model.log_coefficient;
        }
    chooseConstantTerm(points, power, best, fit);
    return fit;
}

} // namespace hprof
