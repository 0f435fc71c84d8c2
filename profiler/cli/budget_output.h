// What `hprof check --budget FILE` prints about the budgets: text lines and GitHub annotations.
#pragma once

#include "hprof/budget.h"

#include <ostream>
#include <string>
#include <vector>

namespace hprof::cli {

// One line per exceeded limit ("budget exceeded: hot_path(double) at f.cpp:15: self share 48.1%
// > max_self_share 15% (hprof-budget.toml:3)"), then a count of the checks; and a warning on
// stderr for each budget that matched no function. `path` is the budget file.
void printBudgets(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                  const std::string& path, std::ostream& out);

// "::error file=F,line=L::..." for every exceeded limit.
void printBudgetAnnotations(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                            const std::string& path, std::ostream& out);

// One testcase per checked limit, in a testsuite "hprof budget": a failure for an exceeded one.
// Appended to the JUnit file the comparison wrote when `mode` is Append, else a new file. Throws
// hprof::Error when the file cannot be read or written.
enum class JUnitMode { Append, Replace };
void writeBudgetJUnit(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                      const std::string& budget_path, const std::string& junit_path,
                      JUnitMode mode);

} // namespace hprof::cli
