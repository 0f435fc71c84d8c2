// Budgets a team keeps in its repository (hprof-budget.toml, issue 11): limits on the shares and
// call counts of the functions whose names match, checked by `hprof check --budget FILE` (and,
// later, by the viewer). The file is parsed by the command line tool; this is the evaluation.
#pragma once

#include "hprof/compare.h"
#include "hprof/profile.h"
#include "hprof/queries.h"
#include "hprof/scaling.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hprof {

struct Budget {
    std::string pattern; // substring of the function name, or an ECMAScript regex
    NameMatcher::Kind kind = NameMatcher::Kind::Substring;
    uint32_t line = 0; // of the budget's [[budget]] header in its file, for messages
    std::optional<double> max_self_share{};      // 0..1
    std::optional<double> max_inclusive_share{}; // 0..1
    std::optional<uint64_t> max_ncalls{};
    std::optional<double> max_growth{}; // relative growth of the self share (0.2: +20%)
    // Scaling (issue 13): the largest exponent of the function's growth with the input size
    // (hprof check --scaling-budget); checked only against a scaling directory.
    std::optional<double> max_exponent{};
};

enum class BudgetLimit { SelfShare, InclusiveShare, NCalls, Growth, Exponent };

// "max_self_share", ...: the key of the limit in the budget file.
const char* budgetLimitName(BudgetLimit limit);

// One limit of one budget applied to one function.
struct BudgetResult {
    size_t budget = 0; // index into the budgets
    std::string function;
    std::string file;
    uint32_t line = 0; // the function's definition line
    BudgetLimit limit = BudgetLimit::SelfShare;
    double maximum = 0; // the limit (a share or growth as a fraction, or a count)
    double value = 0;   // what the function has
    bool exceeded = false;
};

struct BudgetEvaluation {
    std::vector<BudgetResult> results; // budget by budget, functions in comparison order
    std::vector<size_t> unmatched;     // budgets that matched no function (a warning)
    bool exceeded() const;
};

// Checks every budget against the current side of `comparison`: shares and ncalls are its
// `after` values; growth is (after - before) / before of the self share, skipped for a function
// without a baseline share. A growth limit needs `has_baseline`; throws hprof::Error otherwise
// (and for an invalid regex).
BudgetEvaluation evaluateBudgets(const std::vector<Budget>& budgets,
                                 const ProfileComparison& comparison, bool has_baseline);

// The current profiles' functions as a comparison with themselves (no intervals, no verdicts):
// what evaluateBudgets needs when there is no baseline. Same errors as compareProfiles.
ProfileComparison currentShares(const std::vector<const Profile*>& current);

// --- Scaling budgets (issue 13) ----------------------------------------------------------------

// Checks the max_exponent of every budget that has one against the functions of a scaling
// report: the exponent of the exact call counts where the runs were instrumented (deterministic),
// else of the inclusive time. Budgets without max_exponent are left out; a function without a
// fit is skipped.
BudgetEvaluation evaluateScalingBudgets(const std::vector<Budget>& budgets,
                                        const ScalingReport& report);

} // namespace hprof
