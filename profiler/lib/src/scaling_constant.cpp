// Models with a constant term, value ~ a + b g(n) with a >= 0 (hprof/scaling.h): a fixed start-up
// in front of the work that grows. docs/scaling.md, "A constant term", has the reasoning.
#include "scaling_points.h"

#include <cmath>
#include <limits>

namespace hprof::scaling_detail {
namespace {

// The constant's share of the value at the smallest size is searched over (0, kMostConstantShare]
// on a grid of kShareSteps, then refined between the best point's neighbours.
constexpr int kShareSteps = 100;
constexpr double kMostConstantShare = 0.995;
constexpr int kRefineSteps = 40;

// ln(e^a + e^b) without overflow (2^n and n! reach e^700 and beyond).
double logAddExp(double a, double b) {
    const double high = std::max(a, b);
    return high + std::log1p(std::exp(std::min(a, b) - high));
}

// For a given ln(a / b) = log_ratio: ln b by least squares, and the fit's residuals.
struct RatioFit {
    double log_ratio = 0;
    double log_coefficient = 0;
    std::vector<double> residuals;
    double chi2 = std::numeric_limits<double>::infinity();
};

RatioFit fitRatio(const LogPoints& p, const std::vector<double>& g, double log_ratio) {
    RatioFit fit{log_ratio, 0, std::vector<double>(g.size()), 0};
    std::vector<double> shape(g.size());
    for (size_t i = 0; i < g.size(); ++i) {
        shape[i] = logAddExp(log_ratio, g[i]);
        fit.residuals[i] = p.y[i] - shape[i];
    }
    fit.log_coefficient = weightedMean(fit.residuals, p.w);
    for (double& r : fit.residuals)
        r -= fit.log_coefficient;
    fit.chi2 = weightedSquares(p, fit.residuals);
    return fit;
}

// The log ratio at which the constant is `share` of the value at the smallest size (g0 = ln g
// there).
double logRatioOfShare(double g0, double share) {
    return g0 + std::log(share / (1 - share));
}

// The best constant share: a grid over (0, kMostConstantShare], then a golden-section search
// between the best grid point's neighbours (chi2 is smooth in the share).
RatioFit bestRatio(const LogPoints& p, const std::vector<double>& g) {
    const auto at = [&](double share) { return fitRatio(p, g, logRatioOfShare(g.front(), share)); };
    const double step = kMostConstantShare / kShareSteps;
    int best_step = 1;
    RatioFit best = at(step);
    for (int k = 2; k <= kShareSteps; ++k)
        if (RatioFit fit = at(k * step); fit.chi2 < best.chi2) {
            best = std::move(fit);
            best_step = k;
        }
    double low = std::max(best_step - 1, 0) * step + 1e-6,
           high = std::min(best_step + 1, kShareSteps) * step;
    const double golden = (std::sqrt(5.0) - 1) / 2;
    for (int i = 0; i < kRefineSteps; ++i) {
        const double a = high - golden * (high - low), b = low + golden * (high - low);
        if (at(a).chi2 < at(b).chi2)
            high = b;
        else
            low = a;
    }
    if (RatioFit fit = at((low + high) / 2); fit.chi2 < best.chi2)
        best = std::move(fit);
    return best;
}

} // namespace

ModelFitChi2 fitModelWithConstant(Complexity model, const LogPoints& p) {
    std::vector<double> g;
    for (double x : p.x)
        g.push_back(logModel(model, std::exp(x)));
    const RatioFit best = bestRatio(p, g);
    ModelFit fit{model, best.log_coefficient, weightedRms(p, best.residuals), weightedSlope(p, g)};
    fit.constant = std::exp(best.log_coefficient + best.log_ratio);
    return {fit, best.chi2};
}

// The constant is shown when the best constant model beats the best fit without one (the power
// law included, which spends its second parameter on a free exponent) by more than a second
// parameter is worth at 95%: t^2 times the noise, as timesFit in scaling_fit.cpp counts it (an
// F-test for one parameter more); for exact counts by the rms factor and margin of the models.
void chooseConstantTerm(const LogPoints& p, const PowerLawFit& power, const BestPlainFit& best,
                        ScalingFit& fit) {
    const double m = double(p.x.size());
    if (m < 4)
        return; // two parameters on three points leave one degree of freedom: nothing to test
    std::vector<double> chi2;
    for (Complexity model : kFittedModels)
        if (model != Complexity::Constant && fittable(model, p.sizes_min)) {
            const ModelFitChi2 fitted = fitModelWithConstant(model, p);
            fit.constant_models.push_back(fitted.fit);
            chi2.push_back(fitted.chi2);
        }
    if (fit.constant_models.empty())
        return;
    size_t best_constant = 0;
    for (size_t i = 1; i < chi2.size(); ++i)
        if (chi2[i] < chi2[best_constant])
            best_constant = i;
    const double noise = std::max(1.0, chi2[best_constant] / (m - 2));
    const double allowance = power.t * power.t * noise;
    const double rms = fit.constant_models[best_constant].rms;
    const bool shown = p.exact
                           ? best.rms > kRmsFactor * rms * std::sqrt((m - 1) / (m - 2)) + kRmsMargin
                           : best.chi2 - chi2[best_constant] > allowance;
    for (size_t i = 0; i < chi2.size(); ++i)
        fit.constant_models[i].fits =
            p.exact ? fit.constant_models[i].rms <= kRmsFactor * rms + kRmsMargin
                    : chi2[i] <= chi2[best_constant] + allowance;
    if (!shown)
        return;
    for (const ModelFit& model : fit.constant_models) // by growth: the first that fits is slowest
        if (model.fits) {
            fit.model = model.model;
            fit.rms = model.rms;
            fit.log_coefficient = model.log_coefficient;
            fit.constant = model.constant;
            fit.growth_exponent = model.exponent;
            return;
        }
}

} // namespace hprof::scaling_detail
