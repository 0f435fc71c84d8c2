#include "hprof/budget.h"

#include "hprof/error.h"

#include <limits>

namespace hprof {
namespace {

// The limits of `budget` that apply to `change`, with the function's value of each.
std::vector<std::pair<BudgetLimit, double>> limitsOf(const Budget& budget,
                                                     const FunctionChange& change) {
    std::vector<std::pair<BudgetLimit, double>> limits;
    if (budget.max_self_share)
        limits.emplace_back(BudgetLimit::SelfShare, change.self.after);
    if (budget.max_inclusive_share)
        limits.emplace_back(BudgetLimit::InclusiveShare, change.inclusive.after);
    if (budget.max_ncalls && change.after_ncalls)
        limits.emplace_back(BudgetLimit::NCalls, double(*change.after_ncalls));
    if (budget.max_growth && change.self.before > 0)
        limits.emplace_back(BudgetLimit::Growth, change.self.change() / change.self.before);
    return limits;
}

double maximumOf(const Budget& budget, BudgetLimit limit) {
    switch (limit) {
    case BudgetLimit::SelfShare:
        return *budget.max_self_share;
    case BudgetLimit::InclusiveShare:
        return *budget.max_inclusive_share;
    case BudgetLimit::NCalls:
        return double(*budget.max_ncalls);
    case BudgetLimit::Growth:
        return *budget.max_growth;
    case BudgetLimit::Exponent:
        return *budget.max_exponent;
    }
    return 0;
}

} // namespace

const char* budgetLimitName(BudgetLimit limit) {
    switch (limit) {
    case BudgetLimit::SelfShare:
        return "max_self_share";
    case BudgetLimit::InclusiveShare:
        return "max_inclusive_share";
    case BudgetLimit::NCalls:
        return "max_ncalls";
    case BudgetLimit::Growth:
        return "max_growth";
    case BudgetLimit::Exponent:
        return "max_exponent";
    }
    return "?";
}

bool BudgetEvaluation::exceeded() const {
    for (const BudgetResult& result : results)
        if (result.exceeded)
            return true;
    return false;
}

BudgetEvaluation evaluateBudgets(const std::vector<Budget>& budgets,
                                 const ProfileComparison& comparison, bool has_baseline) {
    BudgetEvaluation evaluation;
    for (size_t b = 0; b < budgets.size(); ++b) {
        const Budget& budget = budgets[b];
        if (budget.max_growth && !has_baseline)
            throw Error("line " + std::to_string(budget.line) +
                        ": max_growth needs a baseline (--baseline)");
        const NameMatcher matcher(budget.pattern, budget.kind);
        bool matched = false;
        for (const FunctionChange& change : comparison.functions) {
            if (!matcher.matches(change.name))
                continue;
            matched = true;
            for (const auto& [limit, value] : limitsOf(budget, change)) {
                const double maximum = maximumOf(budget, limit);
                evaluation.results.push_back({b, change.name, change.file, change.line, limit,
                                              maximum, value, value > maximum});
            }
        }
        if (!matched)
            evaluation.unmatched.push_back(b);
    }
    return evaluation;
}

ProfileComparison currentShares(const std::vector<const Profile*>& current) {
    CompareOptions options;
    // No function reaches this share: nothing is tracked, so no interval is computed.
    options.min_share = std::numeric_limits<double>::infinity();
    options.resamples = 1;
    return compareProfiles(current, current, options);
}

} // namespace hprof
