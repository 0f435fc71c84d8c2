// evaluateScalingBudgets (budget.h): the max_exponent limits against a scaling report.
#include "hprof/budget.h"

namespace hprof {
namespace {

// The fit whose exponent a budget limits: exact counts' where there are some, else inclusive
// time's. The exponent is how its growing part grows (a constant term's start-up left out).
const ScalingFit* limitedFit(const FunctionScaling& function) {
    if (function.calls_fit)
        return &*function.calls_fit;
    return function.inclusive_fit ? &*function.inclusive_fit : nullptr;
}

} // namespace

BudgetEvaluation evaluateScalingBudgets(const std::vector<Budget>& budgets,
                                        const ScalingReport& report) {
    BudgetEvaluation evaluation;
    for (size_t b = 0; b < budgets.size(); ++b) {
        const Budget& budget = budgets[b];
        if (!budget.max_exponent)
            continue;
        const NameMatcher matcher(budget.pattern, budget.kind);
        bool matched = false;
        for (const FunctionScaling& function : report.functions) {
            const ScalingFit* fit = limitedFit(function);
            if (!fit || !matcher.matches(function.name))
                continue;
            matched = true;
            evaluation.results.push_back({b, function.name, function.file, function.line,
                                          BudgetLimit::Exponent, *budget.max_exponent,
                                          fit->growth_exponent,
                                          fit->growth_exponent > *budget.max_exponent});
        }
        if (!matched)
            evaluation.unmatched.push_back(b);
    }
    return evaluation;
}

} // namespace hprof
