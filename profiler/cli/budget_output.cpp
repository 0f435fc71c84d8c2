#include "budget_output.h"

#include "cli_error.h"

#include "hprof/error.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace hprof::cli {
namespace {

// "48.1%" for shares and growth, "1200" for call counts, "2.01" for exponents.
std::string amount(BudgetLimit limit, double value) {
    char text[32];
    if (limit == BudgetLimit::NCalls)
        std::snprintf(text, sizeof text, "%.0f", value);
    else if (limit == BudgetLimit::Exponent)
        std::snprintf(text, sizeof text, "%.2f", value);
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
    case BudgetLimit::Exponent:
        return "scaling exponent";
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

pugi::xml_node budgetSuite(pugi::xml_document& document, const std::string& junit_path,
                           JUnitMode mode) {
    if (mode == JUnitMode::Append && !document.load_file(junit_path.c_str()))
        throw Error("cannot read the JUnit file '" + junit_path + "'");
    pugi::xml_node suites = document.child("testsuites");
    if (!suites)
        suites = document.append_child("testsuites");
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = "hprof budget";
    return suite;
}

} // namespace

void writeBudgetJUnit(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                      const std::string& budget_path, const std::string& junit_path,
                      JUnitMode mode) {
    pugi::xml_document document;
    pugi::xml_node suite = budgetSuite(document, junit_path, mode);
    size_t failures = 0;
    for (const BudgetResult& result : evaluation.results) {
        pugi::xml_node testcase = suite.append_child("testcase");
        testcase.append_attribute("classname") = "hprof.budget";
        testcase.append_attribute("name") =
            (result.function + " " + budgetLimitName(result.limit)).c_str();
        if (!result.file.empty()) {
            testcase.append_attribute("file") = result.file.c_str();
            testcase.append_attribute("line") = result.line;
        }
        if (result.exceeded) {
            ++failures;
            testcase.append_child("failure").append_attribute("message") =
                ("budget exceeded: " + describeExceeded(budgets, result, budget_path)).c_str();
        }
    }
    suite.append_attribute("tests") = evaluation.results.size();
    suite.append_attribute("failures") = failures;
    if (!document.save_file(junit_path.c_str(), "  "))
        throw Error("cannot write the JUnit file '" + junit_path + "'");
}

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

nlohmann::json budgetsJson(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                           const std::string& path) {
    nlohmann::json limits = nlohmann::json::array();
    size_t exceeded = 0;
    for (const BudgetResult& result : evaluation.results) {
        exceeded += result.exceeded ? 1 : 0;
        limits.push_back({{"function", result.function},
                          {"file", result.file},
                          {"line", result.line},
                          {"limit", budgetLimitName(result.limit)},
                          {"value", result.value},
                          {"maximum", result.maximum},
                          {"exceeded", result.exceeded},
                          {"budget_line", budgets[result.budget].line}});
    }
    nlohmann::json unmatched = nlohmann::json::array();
    for (size_t b : evaluation.unmatched)
        unmatched.push_back({{"pattern", budgets[b].pattern}, {"budget_line", budgets[b].line}});
    return {{"file", path},
            {"checked", evaluation.results.size()},
            {"exceeded", exceeded},
            {"limits", limits},
            {"unmatched", unmatched}};
}

void writeBudgetMarkdown(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                         const std::string& budget_path, const std::string& markdown_path,
                         MarkdownMode mode) {
    std::ofstream out(markdown_path,
                      mode == MarkdownMode::Append ? std::ios::app : std::ios::trunc);
    const size_t exceeded = std::count_if(evaluation.results.begin(), evaluation.results.end(),
                                          [](const BudgetResult& r) { return r.exceeded; });
    out << "\n### Budgets (" << markdownCell(budget_path) << "): " << evaluation.results.size()
        << " limits checked, " << exceeded << " exceeded\n\n";
    if (!evaluation.results.empty())
        out << "| status | function | limit | value | maximum | budget line |\n"
               "|---|---|---|---:|---:|---:|\n";
    for (const BudgetResult& result : evaluation.results)
        out << "| " << (result.exceeded ? "exceeded" : "within") << " | "
            << markdownCell(place(result)) << " | " << budgetLimitName(result.limit) << " | "
            << amount(result.limit, result.value) << " | " << amount(result.limit, result.maximum)
            << " | " << budgets[result.budget].line << " |\n";
    if (!out)
        throw Error("cannot write the Markdown summary '" + markdown_path + "'");
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
