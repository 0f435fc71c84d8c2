// The fits of hprof/scaling.h: one-coefficient models and a power law, by weighted least squares
// on log values. docs/scaling.md has the reasoning.
#include "hprof/scaling.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

namespace hprof {
namespace {

// Run-to-run noise of a time measured once (load, frequency scaling, caches): 5% is what
// unchanged reruns show on a shared machine (docs/performance.md, check calibration).
constexpr double kDefaultRunNoise = 0.05;
// Rule 1 of chooseModel: a model fits "as well as the best" within this factor and margin.
constexpr double kRmsFactor = 1.5;
constexpr double kRmsMargin = 0.02;
// Rule 2: the least disagreement tolerated between a model's slope and the power law's exponent
// (lower-order terms bend a real program's curve: n(n-1)/2 at small n has a slope above 2).
constexpr double kExponentTolerance = 0.25;

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

// The 95% quantile of chi-square with `df` degrees of freedom (Wilson-Hilferty: within 1% from
// 3 degrees of freedom on, 3% at 1).
double chiSquare95(size_t df) {
    if (df == 0)
        return 0;
    const double k = double(df), z = 1.6449, a = 2 / (9 * k);
    return k * std::pow(1 - a + z * std::sqrt(a), 3);
}

// One point per size: x = ln n, y = ln(mean value), w = 1 / variance of y.
struct LogPoints {
    std::vector<double> x, y, w;
    double sizes_min = 0;
    bool exact = false;
};

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

// The smallest value a point can be told apart from zero by: half a sample (or call) over all
// of its runs. Zero means "below what was measured", not "nothing".
double floorOf(const ScalingSeries& series, size_t runs) {
    const double unit = series.resolution > 0 ? series.resolution : 1.0;
    return unit / (2.0 * double(runs));
}

// The run-to-run variance of ln(value), pooled over the sizes that have several runs.
std::optional<double> pooledRunVariance(const ScalingSeries& series) {
    double sum = 0;
    size_t df = 0;
    for (const std::vector<double>& runs : series.values) {
        if (runs.size() < 2)
            continue;
        const double floor = floorOf(series, 1);
        std::vector<double> logs;
        for (double value : runs)
            logs.push_back(std::log(std::max(value, floor)));
        const double m = mean(logs);
        for (double l : logs)
            sum += (l - m) * (l - m);
        df += logs.size() - 1;
    }
    if (df == 0)
        return std::nullopt;
    return sum / double(df);
}

LogPoints logPoints(const ScalingSeries& series) {
    LogPoints points;
    points.exact = series.resolution <= 0;
    points.sizes_min = series.sizes.front();
    const std::optional<double> pooled = pooledRunVariance(series);
    for (size_t i = 0; i < series.sizes.size(); ++i) {
        const std::vector<double>& runs = series.values[i];
        const double runs_count = double(runs.size());
        const double value = std::max(fittedValue(series, i), floorOf(series, runs.size()));
        points.x.push_back(std::log(series.sizes[i]));
        points.y.push_back(std::log(value));
        double variance = 1;
        if (!points.exact) {
            // Sampling: relative error 1/sqrt(samples); runs: measured, or the default noise.
            const double samples = std::max(value * runs_count / series.resolution, 0.5);
            variance = pooled ? std::max(1 / samples, *pooled / runs_count)
                              : 1 / samples + kDefaultRunNoise * kDefaultRunNoise / runs_count;
        }
        points.w.push_back(1 / variance);
    }
    return points;
}

double weightedMean(const std::vector<double>& v, const std::vector<double>& w) {
    double sum = 0, weight = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        sum += w[i] * v[i];
        weight += w[i];
    }
    return sum / weight;
}

// Weighted slope of v against x (and the sum of w (x - mean x)^2 it divides by).
double weightedSlope(const LogPoints& p, const std::vector<double>& v, double* sxx_out = nullptr) {
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

// sqrt(sum w r^2 / sum w): the typical relative error of a fit.
double weightedRms(const LogPoints& p, const std::vector<double>& residuals) {
    double sum = 0, weight = 0;
    for (size_t i = 0; i < residuals.size(); ++i) {
        sum += p.w[i] * residuals[i] * residuals[i];
        weight += p.w[i];
    }
    return std::sqrt(sum / weight);
}

bool fittable(Complexity model, double smallest_size) {
    // log2(1) = 0: ln(0) is no point of a fit.
    const bool has_log = model == Complexity::Logarithmic || model == Complexity::NLogN;
    return !has_log || smallest_size >= 2;
}

ModelFit fitModel(Complexity model, const LogPoints& p) {
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
    if (!p.exact) {
        double chi2 = 0;
        for (size_t i = 0; i < residuals.size(); ++i)
            chi2 += p.w[i] * residuals[i] * residuals[i];
        fit.within_noise = chi2 <= chiSquare95(residuals.size() - 1);
    }
    return fit;
}

void fitPowerLaw(const LogPoints& p, ScalingFit& fit) {
    double sxx = 0;
    fit.exponent = weightedSlope(p, p.y, &sxx);
    fit.power_log_coefficient = weightedMean(p.y, p.w) - fit.exponent * weightedMean(p.x, p.w);
    std::vector<double> residuals(p.x.size());
    double chi2 = 0;
    for (size_t i = 0; i < p.x.size(); ++i) {
        residuals[i] = p.y[i] - fit.power_log_coefficient - fit.exponent * p.x[i];
        chi2 += p.w[i] * residuals[i] * residuals[i];
    }
    fit.power_rms = weightedRms(p, residuals);
    const size_t df = p.x.size() - 2;
    // Times: the weights are inverse variances, scaled up when the scatter exceeds them. Exact
    // counts: only the scatter about the line says anything.
    double variance = df > 0 ? chi2 / double(df) : std::numeric_limits<double>::infinity();
    if (!p.exact)
        variance = std::max(variance, 1.0);
    const double half = tQuantile975(df) * std::sqrt(variance / sxx);
    fit.exponent_low = fit.exponent - half;
    fit.exponent_high = fit.exponent + half;
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
    return std::exp(log_coefficient + logModel(model, n));
}

Complexity chooseModel(const std::vector<ModelFit>& models, double power_rms, double exponent,
                       double low, double high) {
    double best = power_rms;
    for (const ModelFit& fit : models)
        best = std::min(best, fit.rms);
    const double half_width = std::max((high - low) / 2, kExponentTolerance);
    for (const ModelFit& fit : models) // ordered by growth: the first that passes is the slowest
        if ((fit.rms <= kRmsFactor * best + kRmsMargin || fit.within_noise) &&
            std::abs(fit.exponent - exponent) <= half_width)
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
    for (Complexity model : kFittedModels)
        if (fittable(model, points.sizes_min))
            fit.models.push_back(fitModel(model, points));
    fitPowerLaw(points, fit);
    // The power law spends one more parameter on the same points: its rms is compared as if it
    // had the one-coefficient models' degrees of freedom.
    const double m = double(series.sizes.size());
    const double power_rms_comparable = m > 2 ? fit.power_rms * std::sqrt((m - 1) / (m - 2))
                                              : std::numeric_limits<double>::infinity();
    fit.model = chooseModel(fit.models, power_rms_comparable, fit.exponent, fit.exponent_low,
                            fit.exponent_high);
    fit.rms = fit.power_rms;
    fit.log_coefficient = fit.power_log_coefficient;
    for (const ModelFit& model : fit.models)
        if (model.model == fit.model) {
            fit.rms = model.rms;
            fit.log_coefficient = model.log_coefficient;
        }
    return fit;
}

} // namespace hprof
