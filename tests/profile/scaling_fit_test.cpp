// fitScaling and chooseModel (hprof/scaling.h) on synthetic series: exact counts of every model,
// noisy times, repeats, and the series a fit must refuse.
#include "hprof/scaling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace hprof {
namespace {

const std::vector<double> kSizes{1000, 2000, 4000, 8000, 16000};

// Exact values (call counts) of f at each size, one run each.
ScalingSeries exactSeries(const std::vector<double>& sizes,
                          const std::function<double(double)>& f) {
    ScalingSeries series;
    series.sizes = sizes;
    for (double n : sizes)
        series.values.push_back({std::round(f(n))});
    return series;
}

// Times of f (seconds) with multiplicative noise of `noise` (relative standard deviation) from a
// fixed seed, `runs` runs per size, sampled at 1000 Hz.
ScalingSeries noisySeries(const std::vector<double>& sizes, const std::function<double(double)>& f,
                          double noise, size_t runs, uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> jitter(0, noise);
    ScalingSeries series;
    series.sizes = sizes;
    series.resolution = 1e-3;
    for (double n : sizes) {
        std::vector<double> values;
        for (size_t r = 0; r < runs; ++r)
            values.push_back(f(n) * std::exp(jitter(random)));
        series.values.push_back(values);
    }
    return series;
}

TEST(ScalingFit, ExactHalfSquareCountsAreExactlyQuadratic) {
    const ScalingFit fit =
        fitScaling(exactSeries(kSizes, [](double n) { return n * (n - 1) / 2; }));
    EXPECT_EQ(fit.model, Complexity::Quadratic);
    EXPECT_LT(fit.rms, 1e-3);
    EXPECT_NEAR(fit.exponent, 2.0, 0.01);
    EXPECT_LE(fit.exponent_low, fit.exponent);
    EXPECT_GE(fit.exponent_high, fit.exponent);
    EXPECT_LT(fit.exponent_high - fit.exponent_low, 0.01);
    EXPECT_NEAR(fit.predict(32000) / (32000.0 * 31999 / 2), 1.0, 1e-3);
}

struct ExactCase {
    Complexity model;
    std::vector<double> sizes;
    std::function<double(double)> f;
};

TEST(ScalingFit, ExactCountsOfEveryModelAreRecognised) {
    const std::vector<double> small{6, 7, 8, 9, 10, 11};
    const std::vector<ExactCase> cases{
        {Complexity::Constant, kSizes, [](double) { return 5000.0; }},
        {Complexity::Logarithmic, kSizes, [](double n) { return 1000 * std::log2(n); }},
        {Complexity::Linear, kSizes, [](double n) { return 3 * n; }},
        {Complexity::NLogN, kSizes, [](double n) { return n * std::log2(n); }},
        {Complexity::Quadratic, kSizes, [](double n) { return n * n; }},
        {Complexity::Cubic, kSizes, [](double n) { return n * n * n / 7; }},
        {Complexity::Exponential, small, [](double n) { return 3 * std::pow(2.0, n); }},
        {Complexity::Factorial, small, [](double n) { return std::tgamma(n + 1); }},
    };
    for (const ExactCase& c : cases)
        EXPECT_EQ(fitScaling(exactSeries(c.sizes, c.f)).model, c.model) << complexityName(c.model);
}

TEST(ScalingFit, AnExponentBetweenTheModelsIsAPowerLaw) {
    const ScalingFit fit =
        fitScaling(exactSeries(kSizes, [](double n) { return std::pow(n, 1.5); }));
    EXPECT_EQ(fit.model, Complexity::PowerLaw);
    EXPECT_NEAR(fit.exponent, 1.5, 1e-3);
    EXPECT_EQ(describeModel(fit), "O(n^1.50)");
    EXPECT_NEAR(fit.predict(100000) / std::pow(100000.0, 1.5), 1.0, 1e-2);
}

TEST(ScalingFit, NoisyQuadraticTimesAreQuadraticWithTheExponentInItsInterval) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        const ScalingFit fit = fitScaling(noisySeries(
            kSizes, [](double n) { return 4e-9 * n * n; }, 0.05, 1, seed));
        EXPECT_EQ(fit.model, Complexity::Quadratic) << "seed " << seed;
        EXPECT_NEAR(fit.exponent, 2.0, 0.15) << "seed " << seed;
    }
}

TEST(ScalingFit, NoisyLinearTimesAreNotSuperlinear) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        const ScalingFit fit = fitScaling(noisySeries(
            kSizes, [](double n) { return 2e-5 * n; }, 0.05, 1, seed));
        EXPECT_TRUE(fit.model == Complexity::Linear || fit.model == Complexity::NLogN)
            << "seed " << seed << ": " << describeModel(fit);
    }
}

TEST(ScalingFit, RepeatsGiveAnIntervalHoldingTheTrueExponent) {
    int held = 0;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        const ScalingFit fit = fitScaling(noisySeries(
            kSizes, [](double n) { return 1e-9 * n * n * n / 1000; }, 0.1, 3, seed));
        held += fit.exponent_low <= 3.0 && 3.0 <= fit.exponent_high;
        EXPECT_EQ(fit.model, Complexity::Cubic) << "seed " << seed;
    }
    EXPECT_GE(held, 36); // a 95% interval: about 38 of 40
}

TEST(ScalingFit, ScatterWidensTheInterval) {
    const auto f = [](double n) { return 1e-7 * n * n; };
    const ScalingFit quiet = fitScaling(noisySeries(kSizes, f, 0.01, 3, 7));
    const ScalingFit noisy = fitScaling(noisySeries(kSizes, f, 0.3, 3, 7));
    EXPECT_GT(noisy.exponent_high - noisy.exponent_low, quiet.exponent_high - quiet.exponent_low);
}

TEST(ScalingFit, ValuesBelowOneSampleAreWeightedDown) {
    // A quadratic function that was not sampled at all at the smallest size.
    ScalingSeries series = noisySeries(
        kSizes, [](double n) { return 4e-9 * n * n; }, 0.02, 1, 3);
    series.values[0] = {0.0};
    const ScalingFit fit = fitScaling(series);
    EXPECT_EQ(fit.model, Complexity::Quadratic);
    EXPECT_NEAR(fit.exponent, 2.0, 0.15);
}

TEST(ScalingFit, TooFewSizesOrBadSizesAreRefused) {
    EXPECT_THROW(fitScaling(exactSeries({10, 20}, [](double n) { return n; })), Error);
    EXPECT_THROW(fitScaling(exactSeries({0, 10, 20}, [](double n) { return n; })), Error);
    ScalingSeries no_runs = exactSeries({10, 20, 40}, [](double n) { return n; });
    no_runs.values[1].clear();
    EXPECT_THROW(fitScaling(no_runs), Error);
}

TEST(ScalingFit, SizeOneLeavesOutTheLogarithmicModels) {
    const ScalingFit fit = fitScaling(exactSeries({1, 2, 4, 8}, [](double n) { return 5 * n; }));
    EXPECT_EQ(fit.model, Complexity::Linear);
    for (const ModelFit& model : fit.models)
        EXPECT_TRUE(model.model != Complexity::Logarithmic && model.model != Complexity::NLogN);
}

ModelFit modelFit(Complexity model, double slope, bool fits) {
    ModelFit fit;
    fit.model = model;
    fit.exponent = slope;
    fit.fits = fits;
    return fit;
}

TEST(ChooseModel, PrefersTheSimplerOfTwoModelsThatFitAndAgree) {
    const std::vector<ModelFit> models{modelFit(Complexity::Linear, 1.0, true),
                                       modelFit(Complexity::NLogN, 1.1, true)};
    EXPECT_EQ(chooseModel(models, 1.05, 0.95, 1.15, false), Complexity::Linear);
}

TEST(ChooseModel, AModelThatDoesNotFitIsNotChosen) {
    const std::vector<ModelFit> models{modelFit(Complexity::NLogN, 1.1, false),
                                       modelFit(Complexity::Quadratic, 2.0, true)};
    EXPECT_EQ(chooseModel(models, 1.5, 0.9, 2.1, false), Complexity::Quadratic);
}

TEST(ChooseModel, AModelDisagreeingWithTheExponentIsNotChosen) {
    const std::vector<ModelFit> models{modelFit(Complexity::NLogN, 1.1, true),
                                       modelFit(Complexity::Quadratic, 2.0, true)};
    EXPECT_EQ(chooseModel(models, 1.5, 1.45, 1.55, false), Complexity::PowerLaw);
}

TEST(ChooseModel, ExactCountsAllowLowerOrderTermsTimesOnlyTheirInterval) {
    const std::vector<ModelFit> models{modelFit(Complexity::Quadratic, 2.0, true)};
    EXPECT_EQ(chooseModel(models, 2.2, 2.19, 2.21, true), Complexity::Quadratic);
    EXPECT_EQ(chooseModel(models, 2.2, 2.19, 2.21, false), Complexity::PowerLaw);
    EXPECT_EQ(chooseModel(models, 2.04, 2.03, 2.05, false), Complexity::Quadratic);
    EXPECT_EQ(chooseModel(models, 2.2, 1.95, 2.45, false), Complexity::Quadratic);
}

TEST(ScalingFit, AModelOffTheCurveThePowerLawFollowsDoesNotFit) {
    // A sum of n and n^2 (0.1 s to 4 s) with little noise: its exponent lies between n log n's
    // and n^2's, and neither shape follows the bend.
    ScalingSeries series = noisySeries(
        kSizes, [](double n) { return 1e-4 * n + 1e-8 * n * n; }, 0.01, 3, 5);
    const ScalingFit fit = fitScaling(series);
    EXPECT_EQ(fit.model, Complexity::PowerLaw) << describeModel(fit);
}

TEST(Complexity, NamesParseBack) {
    for (Complexity model : kFittedModels)
        EXPECT_EQ(parseComplexity(complexityName(model)), model) << complexityName(model);
    EXPECT_EQ(parseComplexity("n log n"), Complexity::NLogN);
    EXPECT_EQ(parseComplexity("NLOGN"), Complexity::NLogN);
    EXPECT_EQ(parseComplexity("quadratic"), Complexity::Quadratic);
    EXPECT_EQ(parseComplexity("n^b"), std::nullopt);
    EXPECT_EQ(parseComplexity("n^4"), std::nullopt);
    EXPECT_EQ(parseComplexity(""), std::nullopt);
}

} // namespace
} // namespace hprof
