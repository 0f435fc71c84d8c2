// Models with a constant term (hprof/scaling.h, docs/scaling.md "A constant term"): a fixed
// start-up in front of a growing part is fitted as a + b g(n) where the data show the constant,
// and the bottleneck compares how the growing parts grow, not exponents flattened by it.
#include "hprof/scaling.h"
#include "scaling_profiles.h"
#include "scaling_simulation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace hprof {
namespace {

using namespace scaling_profiles;
using namespace scaling_simulation;

const std::vector<double> kSizes{1000, 2000, 4000, 8000, 16000, 32000};

// How many of kSeeds simulated measurements (3% load noise per run, 2 runs, 1000 Hz, the fastest
// fitted) of f get a fit passing `wanted`.
int seedsWith(const std::function<double(double)>& f,
              const std::function<bool(const ScalingFit&)>& wanted) {
    return outcomesOf(Measurement{kSizes, f}, wanted).matching;
}

TEST(ScalingConstant, ALinearScanBehindABigStartUpIsLinearPlusAConstant) {
    // 0.3 s of start-up at every size, then 20 us per item: 94% of the smallest run, 32% of the
    // largest. Without a constant term this was fitted as n^0.3 or O(log n).
    const auto startUpAndScan = [](double n) { return 0.3 + 2e-5 * n; };
    const int linear_with_constant = seedsWith(startUpAndScan, [&](const ScalingFit& fit) {
        return fit.model == Complexity::Linear && std::abs(fit.constant - 0.3) < 0.05 &&
               fit.growth_exponent == 1.0 && describeModel(fit) == "O(n) + c" &&
               std::abs(fit.predict(320000) / startUpAndScan(320000) - 1) < 0.15;
    });
    // At 95%, a seed or two may not show the constant clearly enough.
    EXPECT_GE(linear_with_constant, int(kSeeds) - 2);
}

TEST(ScalingConstant, AQuadraticPartBehindAStartUpIsQuadraticPlusAConstant) {
    const auto f = [](double n) { return 0.2 + 2e-9 * n * n; }; // 0.202 s to 2.25 s
    EXPECT_GE(seedsWith(f,
                        [](const ScalingFit& fit) {
                            return fit.model == Complexity::Quadratic &&
                                   std::abs(fit.constant - 0.2) < 0.05;
                        }),
              int(kSeeds) - 2);
}

TEST(ScalingConstant, NoConstantIsChosenWhereTheDataDoNotShowOne) {
    // At 95% a constant may come out by chance in about 2 seeds of 40; more means the test of
    // the constant is too loose.
    const auto constantChosen = [](const ScalingFit& fit) { return fit.constant > 0; };
    EXPECT_LE(seedsWith([](double n) { return 1e-5 * n; }, constantChosen), 3);
    EXPECT_LE(seedsWith([](double n) { return 1e-6 * n * std::log2(n); }, constantChosen), 3);
    EXPECT_LE(seedsWith([](double n) { return 4e-9 * n * n; }, constantChosen), 3);
    EXPECT_LE(seedsWith([](double n) { return 1e-5 * std::pow(n, 1.5); }, constantChosen), 3);
}

TEST(ScalingConstant, ExactCountsWithAFixedPartAreFittedExactly) {
    ScalingSeries calls;
    calls.sizes = kSizes;
    for (double n : kSizes)
        calls.values.push_back({5000 + 3 * n});
    const ScalingFit fit = fitScaling(calls);
    EXPECT_EQ(fit.model, Complexity::Linear) << describeModel(fit);
    EXPECT_NEAR(fit.constant, 5000, 5);
    EXPECT_LT(fit.rms, 1e-3);
    // Without a fixed part, none is chosen.
    for (std::vector<double>& runs : calls.values)
        runs[0] -= 5000;
    EXPECT_EQ(fitScaling(calls).constant, 0);
}

// A fixed start-up and a linear scan: the scan grows faster than the program's flattened
// exponent, but not faster than the program's growing part.
std::vector<Path> startUpAndScan(double n) {
    return {{{{"main", "s.cpp"}, {"start_up()", "s.cpp"}}, 1200},
            {{{"main", "s.cpp"}, {"scan()", "s.cpp"}}, size_t(n / 2)}};
}

TEST(ScalingConstant, ALinearFunctionBehindAStartUpIsNoBottleneck) {
    const Runs runs = runsAt({100, 200, 400, 800, 1600, 3200}, startUpAndScan);
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_LT(report.total_fit.exponent, 0.6); // the power law, flattened by the start-up
    EXPECT_EQ(report.total_fit.model, Complexity::Linear) << describeModel(report.total_fit);
    EXPECT_NEAR(report.total_fit.constant, 1.2, 0.1);
    EXPECT_EQ(functionNamed(report, "scan()").inclusive_fit->model, Complexity::Linear);
    EXPECT_FALSE(report.bottleneck) << report.summary;
    EXPECT_NE(report.summary.find("No function grows clearly faster than the program as a whole"),
              std::string::npos)
        << report.summary;
    EXPECT_NE(report.summary.find("O(n) + c (a fixed 1.2 s"), std::string::npos) << report.summary;
}

TEST(ScalingConstant, AStartUpInAnInlinedHelperSharedWithTheScanIsFoundByItsCaller) {
    // mix() is inlined into both: its self time is the start-up's and the scan's together, and
    // start_up() holds only its inclusive time, which is O(1).
    const Runs runs = runsAt({100, 200, 400, 800, 1600, 3200}, [](double n) {
        return std::vector<Path>{
            {{{"main", "s.cpp"}, {"start_up()", "s.cpp"}, {"mix", "s.cpp"}}, 1200},
            {{{"main", "s.cpp"}, {"scan()", "s.cpp"}, {"mix", "s.cpp"}}, size_t(n / 2)},
            {{{"main", "s.cpp"}, {"scan()", "s.cpp"}}, size_t(n / 20)}};
    });
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_EQ(functionNamed(report, "start_up()").inclusive_fit->model, Complexity::Constant);
    EXPECT_NEAR(report.growth_exponent, 1.0, 0.1) << report.summary;
    EXPECT_FALSE(report.bottleneck) << report.summary;
}

TEST(ScalingConstant, AQuadraticHelperBehindAStartUpIsStillTheBottleneck) {
    const Runs runs = runsAt({100, 200, 400, 800, 1600, 3200}, [](double n) {
        std::vector<Path> paths = startUpAndScan(n);
        paths.push_back({{{"main", "s.cpp"}, {"pairs()", "s.cpp"}}, size_t(n * n / 4000)});
        return paths;
    });
    const ScalingReport report = analyseScaling(runs.sized());
    ASSERT_TRUE(report.bottleneck) << report.summary;
    EXPECT_EQ(report.functions[report.bottleneck->function].name, "pairs()");
    EXPECT_NE(report.summary.find("The scaling bottleneck is pairs()"), std::string::npos)
        << report.summary;
}

} // namespace
} // namespace hprof
