// evaluateBudgets: limits on the current side's shares, ncalls and growth, on small profiles
// whose shares are exact (every sample weighs the same).
#include "hprof/budget.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace hprof {
namespace {

// `hot` of 100 samples have hot() (called from main) as their leaf, the rest main itself.
Profile run(size_t hot, std::optional<uint64_t> hot_calls = std::nullopt) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"/build/prog"};
    profile.run.frequency_hz = 1000;
    profile.processes.push_back(test::makeProcess(10, 1, "/build/prog", 0, 1, 0));
    profile.threads.push_back({ProcessId(0), 10, "main", 0, 0, 0});
    const ModuleId module = builder.internModule({"/build/prog", ""});
    const FunctionId main_function = builder.internFunction({"main", "prog.cpp", 1, module});
    const FunctionId hot_function = builder.internFunction({"hot()", "prog.cpp", 20, module});
    const StackId main =
        builder.internStack(StackId(), builder.internFrame({main_function, 2, false}));
    const StackId leaf = builder.internStack(main, builder.internFrame({hot_function, 21, false}));
    for (size_t i = 0; i < 100; ++i)
        profile.samples.push_back(
            {int64_t(i) * test::kMs, ThreadId(0), i < hot ? leaf : main, test::kMs});
    if (hot_calls)
        profile.call_counts.push_back({ThreadId(0), hot_function, *hot_calls, 0, {}, {}});
    return builder.take();
}

Budget budgetFor(std::string pattern, NameMatcher::Kind kind = NameMatcher::Kind::Substring) {
    Budget budget;
    budget.pattern = std::move(pattern);
    budget.kind = kind;
    budget.line = 7;
    return budget;
}

TEST(Budget, SelfShareAboveTheLimitIsExceeded) {
    const Profile current = run(30);
    Budget budget = budgetFor("hot");
    budget.max_self_share = 0.25;
    const BudgetEvaluation evaluation = evaluateBudgets({budget}, currentShares({&current}), false);
    ASSERT_EQ(evaluation.results.size(), 1u);
    const BudgetResult& result = evaluation.results[0];
    EXPECT_EQ(result.function, "hot()");
    EXPECT_EQ(result.file, "prog.cpp");
    EXPECT_EQ(result.line, 20u);
    EXPECT_EQ(result.limit, BudgetLimit::SelfShare);
    EXPECT_DOUBLE_EQ(result.maximum, 0.25);
    EXPECT_DOUBLE_EQ(result.value, 0.30);
    EXPECT_TRUE(result.exceeded);
    EXPECT_TRUE(evaluation.exceeded());
    EXPECT_TRUE(evaluation.unmatched.empty());
}

TEST(Budget, SharesWithinTheLimitsPass) {
    const Profile current = run(30);
    Budget budget = budgetFor("hot");
    budget.max_self_share = 0.35;
    budget.max_inclusive_share = 0.35;
    const BudgetEvaluation evaluation = evaluateBudgets({budget}, currentShares({&current}), false);
    ASSERT_EQ(evaluation.results.size(), 2u);
    EXPECT_EQ(evaluation.results[1].limit, BudgetLimit::InclusiveShare);
    EXPECT_FALSE(evaluation.exceeded());
}

TEST(Budget, RegexChecksEveryMatchingFunction) {
    const Profile current = run(30);
    Budget budget = budgetFor("^(main|hot)", NameMatcher::Kind::Regex);
    budget.max_inclusive_share = 0.5;
    const BudgetEvaluation evaluation = evaluateBudgets({budget}, currentShares({&current}), false);
    ASSERT_EQ(evaluation.results.size(), 2u);
    for (const BudgetResult& result : evaluation.results)
        EXPECT_EQ(result.exceeded, result.function == "main") << result.function; // 100% vs 30%
}

TEST(Budget, NCallsAreCheckedWhereKnown) {
    const Profile current = run(30, 1001);
    Budget budget = budgetFor("hot");
    budget.max_ncalls = 1000;
    const BudgetEvaluation evaluation = evaluateBudgets({budget}, currentShares({&current}), false);
    ASSERT_EQ(evaluation.results.size(), 1u);
    EXPECT_DOUBLE_EQ(evaluation.results[0].value, 1001);
    EXPECT_TRUE(evaluation.exceeded());

    const Profile uncounted = run(30);
    EXPECT_TRUE(evaluateBudgets({budget}, currentShares({&uncounted}), false).results.empty());
}

TEST(Budget, GrowthIsRelativeToTheBaselineSelfShare) {
    const Profile before = run(20);
    const Profile after = run(30); // +50%
    const ProfileComparison comparison = compareProfiles({&before}, {&after});
    Budget budget = budgetFor("hot");
    budget.max_growth = 0.4;
    BudgetEvaluation evaluation = evaluateBudgets({budget}, comparison, true);
    ASSERT_EQ(evaluation.results.size(), 1u);
    EXPECT_NEAR(evaluation.results[0].value, 0.5, 1e-9);
    EXPECT_TRUE(evaluation.exceeded());
    budget.max_growth = 0.6;
    EXPECT_FALSE(evaluateBudgets({budget}, comparison, true).exceeded());
}

TEST(Budget, GrowthWithoutABaselineIsAnError) {
    const Profile current = run(30);
    Budget budget = budgetFor("hot");
    budget.max_growth = 0.2;
    EXPECT_THROW(evaluateBudgets({budget}, currentShares({&current}), false), Error);
}

TEST(Budget, ABudgetMatchingNothingIsReported) {
    const Profile current = run(30);
    Budget budget = budgetFor("cold");
    budget.max_self_share = 0.1;
    const BudgetEvaluation evaluation = evaluateBudgets({budget}, currentShares({&current}), false);
    EXPECT_TRUE(evaluation.results.empty());
    EXPECT_EQ(evaluation.unmatched, std::vector<size_t>{0});
    EXPECT_FALSE(evaluation.exceeded());
}

} // namespace
} // namespace hprof
