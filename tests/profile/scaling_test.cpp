// analyseScaling (hprof/scaling.h) on synthetic profiles at several sizes: functions matched
// across runs, the bottleneck named, exact call counts, and the errors that say what to change.
#include "hprof/scaling.h"
#include "scaling_profiles.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace hprof {
namespace {

using namespace scaling_profiles;

const std::vector<double> kSizes{100, 200, 400, 800, 1600, 3200};

// A linear main loop and a quadratic helper: 5% of the time at the smallest size, most at the
// largest.
std::vector<Path> mixed(double n) {
    const size_t linear = size_t(n), quadratic = size_t(n * n / 19 / 100);
    return {{{{"main", "app.cpp"}, {"linear_loop()", "app.cpp"}}, linear},
            {{{"main", "app.cpp"}, {"quadratic_helper()", "app.cpp"}}, quadratic}};
}

TEST(Scaling, TheQuadraticHelperOfALinearProgramIsTheBottleneck) {
    const Runs runs = runsAt(kSizes, mixed);
    const ScalingReport report = analyseScaling(runs.sized());
    const FunctionScaling& helper = functionNamed(report, "quadratic_helper()");
    ASSERT_TRUE(helper.inclusive_fit);
    EXPECT_EQ(helper.inclusive_fit->model, Complexity::Quadratic);
    EXPECT_NEAR(helper.inclusive_fit->exponent, 2.0, 0.15);
    const FunctionScaling& loop = functionNamed(report, "linear_loop()");
    EXPECT_EQ(loop.inclusive_fit->model, Complexity::Linear);
    ASSERT_TRUE(report.bottleneck);
    EXPECT_EQ(report.functions[report.bottleneck->function].name, "quadratic_helper()");
    EXPECT_TRUE(report.bottleneck->faster_than_reference);
    EXPECT_NE(report.summary.find("The scaling bottleneck is quadratic_helper()"),
              std::string::npos)
        << report.summary;
    EXPECT_GT(helper.predicted_share, helper.share_at_largest);
    EXPECT_DOUBLE_EQ(report.predict_size, 32000);
}

TEST(Scaling, FunctionsAreMatchedByNameFileAndModuleNotById) {
    // The second half of the runs interns the functions in the other order.
    Runs runs = runsAt(kSizes, mixed);
    for (size_t i = 3; i < runs.profiles.size(); ++i) {
        std::vector<Path> paths = mixed(runs.sizes[i]);
        std::swap(paths[0], paths[1]);
        runs.profiles[i] = runOf(paths);
    }
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_EQ(functionNamed(report, "quadratic_helper()").inclusive_fit->model,
              Complexity::Quadratic);
    EXPECT_EQ(functionNamed(report, "linear_loop()").inclusive_fit->model, Complexity::Linear);
}

TEST(Scaling, AProgramThatIsQuadraticThroughoutNamesTheUserFunctionItComesFrom) {
    // main -> dedupe -> std::find (a system header) -> memcmp: all of it quadratic.
    const Runs runs = runsAt(kSizes, [](double n) {
        const size_t q = size_t(n * n / 500);
        return std::vector<Path>{
            {{{"main", "q.cpp"}, {"make_words()", "q.cpp"}}, size_t(n / 50)},
            {{{"main", "q.cpp"}, {"dedupe()", "q.cpp"}, {"std::find", "/usr/include/c++/12/x.h"}},
             q / 2},
            {{{"main", "q.cpp"},
              {"dedupe()", "q.cpp"},
              {"std::find", "/usr/include/c++/12/x.h"},
              {"memcmp", ""}},
             q / 2}};
    });
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_GT(report.total_fit.exponent, 1.8);
    ASSERT_TRUE(report.bottleneck);
    EXPECT_EQ(report.functions[report.bottleneck->function].name, "dedupe()");
    EXPECT_FALSE(report.bottleneck->faster_than_reference);
}

TEST(Scaling, ALinearProgramHasNoBottleneck) {
    const Runs runs = runsAt(kSizes, [](double n) {
        return std::vector<Path>{{{{"main", "a.cpp"}, {"read()", "a.cpp"}}, size_t(n / 2)},
                                 {{{"main", "a.cpp"}, {"sum()", "a.cpp"}}, size_t(n / 3)}};
    });
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_FALSE(report.bottleneck);
    EXPECT_NE(report.summary.find("No function grows clearly faster"), std::string::npos);
}

TEST(Scaling, ExpectNamesWhatGrowsFasterThanIt) {
    // Everything is n log n-ish except one n^2 function that still holds little.
    const Runs runs = runsAt(kSizes, [](double n) {
        return std::vector<Path>{
            {{{"main", "a.cpp"}, {"sort()", "a.cpp"}}, size_t(n * std::log2(n) / 4)},
            {{{"main", "a.cpp"}, {"pairs()", "a.cpp"}}, size_t(n * n / 2000)}};
    });
    ScalingOptions options;
    options.expect = Complexity::NLogN;
    const ScalingReport report = analyseScaling(runs.sized(), options);
    ASSERT_TRUE(report.bottleneck);
    EXPECT_EQ(report.functions[report.bottleneck->function].name, "pairs()");
    EXPECT_NE(report.summary.find("faster than the expected O(n log n)"), std::string::npos)
        << report.summary;
}

// Instrumented runs: `work` is called calls(n) times, exactly (default n(n-1)/2).
Runs countedRuns(
    const std::vector<double>& sizes,
    double (*calls)(double) = [](double n) { return n * (n - 1) / 2; }) {
    Runs runs = runsAt(sizes, [](double n) {
        return std::vector<Path>{{{{"main", "c.cpp"}, {"work()", "c.cpp"}}, size_t(n / 10)}};
    });
    for (size_t i = 0; i < runs.profiles.size(); ++i) {
        Profile& profile = runs.profiles[i];
        profile.run.instrumentation = "counts";
        const double n = runs.sizes[i];
        for (size_t f = 0; f < profile.functions.size(); ++f)
            if (profile.functions[f].name == "work()")
                profile.call_counts.push_back(
                    {ThreadId(0), FunctionId(uint32_t(f)), uint64_t(calls(n)), 0, {}, {}});
    }
    return runs;
}

TEST(Scaling, ExactCallCountsAreFittedExactly) {
    const Runs runs = countedRuns(kSizes);
    const ScalingReport report = analyseScaling(runs.sized());
    EXPECT_TRUE(report.counted);
    const FunctionScaling& work = functionNamed(report, "work()");
    ASSERT_TRUE(work.calls_fit);
    EXPECT_EQ(work.calls_fit->model, Complexity::Quadratic);
    EXPECT_LT(work.calls_fit->rms, 1e-2);
    EXPECT_NEAR(work.calls_fit->exponent, 2.0, 0.02);
    EXPECT_FALSE(functionNamed(report, "main").calls_fit); // main has no counts
}

// Counted runs too short to sample: no samples at all.
Runs unsampledCountedRuns(
    const std::vector<double>& sizes,
    double (*calls)(double) = [](double n) { return n * (n - 1) / 2; }) {
    Runs runs = countedRuns(sizes, calls);
    for (Profile& profile : runs.profiles)
        profile.samples.clear();
    return runs;
}

TEST(Scaling, CountsOfRunsTooShortToSampleAreStillFitted) {
    const Runs runs = unsampledCountedRuns(kSizes);
    const ScalingReport report = analyseScaling(runs.sized());
    const FunctionScaling& work = functionNamed(report, "work()");
    ASSERT_TRUE(work.calls_fit);
    EXPECT_EQ(work.calls_fit->model, Complexity::Quadratic);
    EXPECT_FALSE(work.inclusive_fit);
}

TEST(Scaling, FewerThanFourSizesAreRefused) {
    const Runs runs = runsAt({100, 200, 400}, mixed);
    try {
        analyseScaling(runs.sized());
        FAIL() << "no error";
    } catch (const ScalingError& error) {
        EXPECT_NE(std::string(error.what()).find("at least 4 different sizes"), std::string::npos);
    }
}

TEST(Scaling, SizesTooCloseAreRefused) {
    const Runs runs = runsAt({1000, 1010, 2000, 4000}, mixed);
    try {
        analyseScaling(runs.sized());
        FAIL() << "no error";
    } catch (const ScalingError& error) {
        EXPECT_NE(std::string(error.what()).find("1000 and 1010 are too close"), std::string::npos)
            << error.what();
    }
}

// A linear program sampled at sizes spanning only 1.6x.
Runs narrowLinearRuns() {
    return runsAt({1000, 1100, 1250, 1400, 1600}, [](double n) {
        return std::vector<Path>{{{{"main", "a.cpp"}}, size_t(n / 10)}};
    });
}

TEST(Scaling, ANarrowSpanIsRefusedUnlessTheTimeGrowsAlot) {
    EXPECT_THROW(analyseScaling(narrowLinearRuns().sized()), ScalingError);
    const Runs factorial = runsAt({6, 7, 8, 9}, [](double n) {
        return std::vector<Path>{
            {{{"main", "t.cpp"}, {"tours()", "t.cpp"}}, size_t(std::tgamma(n + 1) / 20)}};
    });
    const ScalingReport report = analyseScaling(factorial.sized());
    EXPECT_TRUE(functionNamed(report, "tours()").inclusive_fit->model == Complexity::Factorial ||
                functionNamed(report, "tours()").inclusive_fit->model == Complexity::Exponential);
}

TEST(Scaling, ExactCountsNeedNoSpan) {
    // n! calls over 6..9 (a span of 1.5x), in runs too short to sample: the counts alone say it.
    const Runs runs =
        unsampledCountedRuns({6, 7, 8, 9}, [](double n) { return std::tgamma(n + 1); });
    const ScalingReport report = analyseScaling(runs.sized());
    const FunctionScaling& work = functionNamed(report, "work()");
    ASSERT_TRUE(work.calls_fit);
    EXPECT_EQ(work.calls_fit->model, Complexity::Factorial);
    EXPECT_LT(work.calls_fit->rms, 1e-9);
}

TEST(Scaling, ANarrowSpanOfSampledTimesSaysCountsNeedNone) {
    try {
        analyseScaling(narrowLinearRuns().sized());
        FAIL() << "no error";
    } catch (const ScalingError& error) {
        EXPECT_NE(std::string(error.what()).find("spanning at least 4x"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("count calls exactly"), std::string::npos)
            << error.what();
    }
}

// The error analyseScaling throws for `runs`, or "" if none.
std::string scalingErrorOf(const Runs& runs) {
    try {
        analyseScaling(runs.sized());
    } catch (const ScalingError& error) {
        return error.what();
    }
    return "";
}

TEST(Scaling, RunsTooShortToMeasureAreRefused) {
    Runs runs = runsAt({10, 20, 40, 80}, [](double n) {
        return std::vector<Path>{{{{"main", "a.cpp"}}, size_t(n / 10)}};
    });
    // At 1000 Hz: sample faster, at 10 kHz.
    const std::string at_1000 = scalingErrorOf(runs);
    EXPECT_NE(at_1000.find("size 10 are too short to measure: 1 samples"), std::string::npos)
        << at_1000;
    EXPECT_NE(at_1000.find("make the smallest size larger, or sample faster (-F 10000)"),
              std::string::npos)
        << at_1000;
    // At 20 kHz, the fastest rate, only the size is left to change.
    for (Profile& profile : runs.profiles)
        profile.run.frequency_hz = 20000;
    const std::string at_20000 = scalingErrorOf(runs);
    EXPECT_NE(at_20000.find("at 20000 Hz; make the smallest size larger"), std::string::npos)
        << at_20000;
    EXPECT_EQ(at_20000.find("-F"), std::string::npos) << at_20000;
}

TEST(Scaling, ProfilesOfDifferentProgramsAreRefused) {
    Runs runs = runsAt(kSizes, mixed);
    runs.profiles[2] = runOf(mixed(kSizes[2]), "/build/other");
    EXPECT_THROW(analyseScaling(runs.sized()), Error);
}

TEST(Scaling, ReportsInEveryFormatNameTheBottleneck) {
    const Runs runs = runsAt(kSizes, mixed);
    const ScalingReport report = analyseScaling(runs.sized());
    std::ostringstream text, json, csv;
    printScalingReport(report, ReportFormat::Text, text);
    printScalingReport(report, ReportFormat::Json, json);
    printScalingReport(report, ReportFormat::Csv, csv);
    EXPECT_NE(text.str().find("The scaling bottleneck is quadratic_helper()"), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("O(n^2)"), std::string::npos);
    EXPECT_NE(json.str().find("\"bottleneck\": \"quadratic_helper()\""), std::string::npos)
        << json.str();
    EXPECT_NE(csv.str().find("quadratic_helper(),app.cpp,1,prog,inclusive,O(n^2),"),
              std::string::npos)
        << csv.str();
    EXPECT_NE(text.str().find("(1 run each, "), std::string::npos) << text.str();
}

TEST(Scaling, TheHeadLineSaysHowManyRunsEachSizeGot) {
    // The short sizes got extra runs (scalingRunsPerSize): 3 runs of the smallest size.
    Runs runs = runsAt(kSizes, mixed);
    for (int extra = 0; extra < 2; ++extra) {
        runs.sizes.push_back(kSizes.front());
        runs.profiles.push_back(runOf(mixed(kSizes.front())));
    }
    std::ostringstream text;
    printScalingReport(analyseScaling(runs.sized()), ReportFormat::Text, text);
    std::string counts = "3";
    for (size_t i = 1; i < kSizes.size(); ++i)
        counts += ",1";
    EXPECT_NE(text.str().find("(" + counts + " runs, "), std::string::npos) << text.str();
}

} // namespace
} // namespace hprof
