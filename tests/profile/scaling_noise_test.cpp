// fitScaling (hprof/scaling.h) on simulated measurements with the noise of a loaded machine: a few
// percent of run-to-run noise per point, sampling noise (Poisson counts of samples), repeats of
// which the fastest is fitted (as analyseScaling does), and one short point off by 30%. The model
// must come out as the true one, not as a power law, and a power law must stay one.
#include "hprof/scaling.h"
#include "scaling_simulation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <random>

namespace hprof {
namespace {

using namespace scaling_simulation;

// Every seed gives a `wanted` fit with the smallest size measured right, 30% low and 30%
// high.
void expectWithAShortPointOff(Measurement m, const std::function<bool(const ScalingFit&)>& wanted) {
    for (double short_error : {0.0, -0.3, 0.3}) {
        m.short_point_error = short_error;
        const Outcomes outcomes = outcomesOf(m, wanted);
        EXPECT_EQ(outcomes.matching, int(kSeeds)) << short_error << ": " << outcomes.text();
    }
}

TEST(ScalingNoise, QuadraticWithTwoRunsIsQuadraticWithinPointFifteen) {
    // quadratic's dedupe: 4000..32000 words, 10 ms to 640 ms at 4000 Hz.
    Measurement m{{4000, 8000, 16000, 32000}, [](double n) { return 6.25e-10 * n * n; }};
    m.frequency_hz = 4000;
    const auto within = [](double tolerance) {
        return [tolerance](const ScalingFit& fit) {
            return fit.model == Complexity::Quadratic && std::abs(fit.exponent - 2) <= tolerance;
        };
    };
    Outcomes outcomes = outcomesOf(m, within(0.15));
    EXPECT_EQ(outcomes.matching, int(kSeeds)) << outcomes.text();
    // A smallest size 30% off (40 samples) moves the exponent by 0.05 on average: still
    // quadratic, within 0.2.
    for (double short_error : {-0.3, 0.3}) {
        m.short_point_error = short_error;
        outcomes = outcomesOf(m, within(0.2));
        EXPECT_EQ(outcomes.matching, int(kSeeds)) << short_error << ": " << outcomes.text();
    }
}

TEST(ScalingNoise, NLogNIsLinearOrNLogNNeverAPowerLaw) {
    // quadratic_fixed's hash-set dedupe or a sort: 50000..400000, 20 ms to 200 ms at 2000 Hz.
    Measurement m{{50000, 100000, 200000, 400000},
                  [](double n) { return 2.5e-8 * n * std::log2(n); }};
    m.frequency_hz = 2000;
    expectWithAShortPointOff(m, [](const ScalingFit& fit) {
        return fit.model == Complexity::Linear || fit.model == Complexity::NLogN;
    });
}

TEST(ScalingNoise, PreciseNLogNIsToldFromLinear) {
    // Long runs, little noise: n log n's slope (1.12 over 1000..16000) is measurably not 1.
    Measurement m{{1000, 2000, 4000, 8000, 16000},
                  [](double n) { return 1e-5 * n * std::log2(n); }};
    m.run_noise = 0.01;
    m.runs = 3;
    m.frequency_hz = 10000;
    const Outcomes outcomes = outcomesOf(m, is(Complexity::NLogN));
    EXPECT_GE(outcomes.matching, int(kSeeds) - 2) << outcomes.text();
}

TEST(ScalingNoise, FactorialOverShortSizesIsFactorial) {
    // tsp_bruteforce's solver over 8..11 at 10 kHz: 0.8 ms (8 samples) to 0.75 s, single runs.
    Measurement m{{8, 9, 10, 11}, [](double n) { return 1.9e-8 * std::tgamma(n + 1); }};
    m.frequency_hz = 10000;
    m.runs = 1;
    expectWithAShortPointOff(m, is(Complexity::Factorial));
}

TEST(ScalingNoise, ExponentialIsExponential) {
    // A subset sum over 14..20 items: 1 ms to 64 ms at 4000 Hz, three runs per size.
    Measurement m{{14, 16, 18, 20}, [](double n) { return 6.1e-8 * std::pow(2.0, n); }};
    m.frequency_hz = 4000;
    m.runs = 3;
    expectWithAShortPointOff(m, is(Complexity::Exponential));
}

TEST(ScalingNoise, CubicIsCubic) {
    Measurement m{{100, 200, 400, 800}, [](double n) { return 1e-9 * n * n * n; }};
    m.frequency_hz = 10000;
    m.short_point_error = -0.3;
    const Outcomes outcomes = outcomesOf(m, is(Complexity::Cubic));
    EXPECT_EQ(outcomes.matching, int(kSeeds)) << outcomes.text();
}

TEST(ScalingNoise, AnExponentBetweenTheModelsStaysAPowerLaw) {
    Measurement m{{1000, 2000, 4000, 8000, 16000},
                  [](double n) { return 1e-6 * std::pow(n, 1.5); }};
    const Outcomes outcomes = outcomesOf(m, [](const ScalingFit& fit) {
        return fit.model == Complexity::PowerLaw && std::abs(fit.exponent - 1.5) < 0.1;
    });
    EXPECT_EQ(outcomes.matching, int(kSeeds)) << outcomes.text();
}

TEST(ScalingNoise, AShortPointWeighsByItsSamples) {
    // Linear: 900 samples at the largest size, 9 at the smallest, which comes out 30% low. With
    // equal weights that point alone would tilt the exponent by 0.08, and its own sampling noise
    // (+-40% for 6 samples) by as much again; weighted by its samples, it moves it by 0.02.
    Measurement m{{80, 1000, 2000, 4000, 8000}, [](double n) { return 1.125e-4 * n; }};
    m.short_point_error = -0.3;
    const Outcomes outcomes = outcomesOf(m, [](const ScalingFit& fit) {
        return (fit.model == Complexity::Linear || fit.model == Complexity::NLogN) &&
               std::abs(fit.exponent - 1.0) < 0.1;
    });
    EXPECT_EQ(outcomes.matching, int(kSeeds)) << outcomes.text();
}

} // namespace
} // namespace hprof
