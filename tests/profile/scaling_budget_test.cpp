// evaluateScalingBudgets: max_exponent against a scaling report's fits, exact counts first.
#include "hprof/budget.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

ScalingFit fitWithExponent(double exponent) {
    ScalingFit fit;
    fit.exponent = exponent;
    fit.growth_exponent = exponent; // as fitScaling sets it without a constant term
    return fit;
}

FunctionScaling function(std::string name, std::optional<double> time_exponent,
                         std::optional<double> calls_exponent) {
    FunctionScaling f;
    f.name = std::move(name);
    f.file = "a.cpp";
    f.line = 3;
    if (time_exponent)
        f.inclusive_fit = fitWithExponent(*time_exponent);
    if (calls_exponent)
        f.calls_fit = fitWithExponent(*calls_exponent);
    return f;
}

Budget exponentBudget(std::string pattern, double max_exponent) {
    Budget budget;
    budget.pattern = std::move(pattern);
    budget.max_exponent = max_exponent;
    return budget;
}

TEST(ScalingBudget, AnExponentAboveTheLimitIsExceeded) {
    ScalingReport report;
    report.functions = {function("dedupe()", 2.03, std::nullopt),
                        function("sort()", 1.1, std::nullopt)};
    const BudgetEvaluation evaluation = evaluateScalingBudgets(
        {exponentBudget("dedupe", 1.2), exponentBudget("sort", 1.2)}, report);
    ASSERT_EQ(evaluation.results.size(), 2u);
    EXPECT_EQ(evaluation.results[0].function, "dedupe()");
    EXPECT_EQ(evaluation.results[0].limit, BudgetLimit::Exponent);
    EXPECT_DOUBLE_EQ(evaluation.results[0].value, 2.03);
    EXPECT_TRUE(evaluation.results[0].exceeded);
    EXPECT_FALSE(evaluation.results[1].exceeded);
    EXPECT_TRUE(evaluation.exceeded());
    EXPECT_STREQ(budgetLimitName(BudgetLimit::Exponent), "max_exponent");
}

TEST(ScalingBudget, ExactCountsDecideWhereThereAreSome) {
    ScalingReport report;
    report.functions = {function("pairs()", 1.1, 2.0)}; // noisy time, exact quadratic counts
    const BudgetEvaluation evaluation =
        evaluateScalingBudgets({exponentBudget("pairs", 1.5)}, report);
    ASSERT_EQ(evaluation.results.size(), 1u);
    EXPECT_DOUBLE_EQ(evaluation.results[0].value, 2.0);
    EXPECT_TRUE(evaluation.exceeded());
}

TEST(ScalingBudget, OtherLimitsAndUnfittedFunctionsAreLeftOut) {
    ScalingReport report;
    report.functions = {function("tiny()", std::nullopt, std::nullopt)};
    Budget share;
    share.pattern = "tiny";
    share.max_self_share = 0.1;
    const BudgetEvaluation evaluation =
        evaluateScalingBudgets({share, exponentBudget("tiny", 1.0)}, report);
    EXPECT_TRUE(evaluation.results.empty());
    EXPECT_EQ(evaluation.unmatched, std::vector<size_t>{1});
    EXPECT_FALSE(evaluation.exceeded());
}

} // namespace
} // namespace hprof
