// Internal to the scaling fits (scaling_fit.cpp, scaling_constant.cpp): a series as weighted
// points in log space, and what a fit of them leaves over for the choice of a model.
#pragma once

#include "hprof/scaling.h"

#include <vector>

namespace hprof::scaling_detail {

// Exact counts: a model fits "as well as the best" within this factor and margin of rms.
inline constexpr double kRmsFactor = 1.5;
inline constexpr double kRmsMargin = 0.02;

// One point per size: x = ln n, y = ln(fitted value), w = 1 / variance of y.
struct LogPoints {
    std::vector<double> x, y, w;
    double sizes_min = 0;
    bool exact = false;
};

// A model's fit and its chi-square (sum of w r^2, against the points' variances).
struct ModelFitChi2 {
    ModelFit fit;
    double chi2 = 0;
};

// What the power law leaves over for the choice of a model.
struct PowerLawFit {
    double chi2 = 0; // sum of w r^2
    double t = 0;    // Student's t for its m - 2 degrees of freedom
    double sxx = 0;  // sum of w (x - mean x)^2
};

double weightedMean(const std::vector<double>& v, const std::vector<double>& w);
// Weighted slope of v against x (and the sum of w (x - mean x)^2 it divides by).
double weightedSlope(const LogPoints& p, const std::vector<double>& v, double* sxx_out = nullptr);
// sum w r^2: the chi-square of residuals against the points' variances (times).
double weightedSquares(const LogPoints& p, const std::vector<double>& residuals);
// sqrt(sum w r^2 / sum w): the typical relative error of a fit.
double weightedRms(const LogPoints& p, const std::vector<double>& residuals);

// Whether `model` can be fitted to sizes from `smallest_size` up (log n needs sizes of 2 or more).
bool fittable(Complexity model, double smallest_size);

// value ~ a + b g(n) with a >= 0 (scaling_constant.cpp).
ModelFitChi2 fitModelWithConstant(Complexity model, const LogPoints& p);

// The best fit without a constant term, as markFittingModels found it.
struct BestPlainFit {
    double chi2 = 0; // times: the smallest chi-square, the power law's or a model's
    double rms = 0;  // exact counts: the smallest rms, the power law's counted as one parameter's
};

// Fits every model with a constant term into fit.constant_models and, where the data show the
// constant (docs/scaling.md, "A constant term"), makes the slowest-growing of the constant
// models that fit the chosen model of `fit`.
void chooseConstantTerm(const LogPoints& p, const PowerLawFit& power, const BestPlainFit& best,
                        ScalingFit& fit);

} // namespace hprof::scaling_detail
