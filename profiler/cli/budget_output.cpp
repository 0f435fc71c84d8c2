#include "budget_output.h"

#include "cli_error.h"

#include <cstdio>

namespace hprof::cli {
namespace {

// "48.1%" for shares and growth, "1200" for call counts.
std::string amount(BudgetLimit limit, double value) {
    char text[32];
    if (limit == BudgetLimit::NCalls)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.1f%%", 100 * value);
    return text;
}

const char* measureName(BudgetLimit limit) {
    switch (limit) {
    case BudgetLimit::SelfShare:
        return "self share";
    case BudgetLimit::InclusiveShare:
        return "inclusive share";
    case BudgetLimit::NCalls:
        return "ncalls";
    case BudgetLimit::Growth:
        return "self share growth";
    }
    return "?";
}

std::string place(const BudgetResult& result) {
    return result.file.empty()
               ? result.function
               : result.function + " at " + result.file + ":" + std::to_string(result.line);
}

// "hot_path(double) at f.cpp:15: self share 48.1% > max_self_share 15.0% (budget.toml:3)".
std::string describeExceeded(const std::vector<Budget>& budgets, const BudgetResult& result,
                             const std::string& path) {
    return place(result) + ": " + measureName(result.limit) + " " +
           amount(result.limit, result.value) + " > " + budgetLimitName(result.limit) + " " +
           amount(result.limit, result.maximum) + " (" + path + ":" +
           std::to_string(budgets[result.budget].line) + ")";
}

} // namespace

void printBudgets(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                  const std::string& path, std::ostream& out) {
    size_t exceeded = 0;
    for (const BudgetResult& result : evaluation.results)
        if (result.exceeded) {
            ++exceeded;
            out << "budget exceeded: " << describeExceeded(budgets, result, path) << '\n';
        }
    out << "budgets: " << evaluation.results.size() << " limits checked, " << exceeded
        << " exceeded\n";
    for (size_t b : evaluation.unmatched)
        printError("warning: " + path + ":" + std::to_string(budgets[b].line) + ": budget '" +
                   budgets[b].pattern + "' matches no function");
}

void printBudgetAnnotations(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                            const std::string& path, std::ostream& out) {
    for (const BudgetResult& result : evaluation.results) {
        if (!result.exceeded)
            continue;
        out << "::error";
        if (!result.file.empty())
            out << " file=" << result.file << ",line=" << result.line;
        out << "::hprof check: budget exceeded: " << describeExceeded(budgets, result, path)
            << '\n';
    }
}

} // namespace hprof::cli
