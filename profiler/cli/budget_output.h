// What `hprof check --budget FILE` prints about the budgets: text lines, JSON, Markdown, JUnit
// and GitHub annotations.
#pragma once

#include "ci_output.h"

#include "hprof/budget.h"

#include <nlohmann/json_fwd.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace hprof::cli {

// One line per exceeded limit ("budget exceeded: hot_path(double) at f.cpp:15: self share 48.1%
// > max_self_share 15% (hprof-budget.toml:3)"), then a count of the checks; and a warning on
// stderr for each budget that matched no function. `path` is the budget file.
void printBudgets(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                  const std::string& path, std::ostream& out);

// {"file", "checked", "exceeded", "limits": [{function, file, line, limit, value, maximum,
// exceeded, budget_line}], "unmatched": [{pattern, budget_line}]}: the "budgets" member of
// `hprof check --format json`.
nlohmann::json budgetsJson(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                           const std::string& path);

// A "Budgets" section (a table of every checked limit) for the Markdown summaries: appended after
// the comparison's table, or the whole file when there is no baseline. Throws hprof::Error when
// the file cannot be written.
void writeBudgetMarkdown(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                         const std::string& budget_path, const std::string& markdown_path,
                         MarkdownMode mode);

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
