#include "budget_file.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <toml++/toml.h>

namespace hprof::cli {
namespace {

[[noreturn]] void fail(const std::string& path, const toml::source_region& where,
                       const std::string& message) {
    throw BudgetFileError(path + ":" + std::to_string(where.begin.line) + ": " + message);
}

// "15%" or a fraction 0.15; at most 1 unless `above_one` (growth can exceed 100%).
double readShare(const std::string& path, const std::string& key, const toml::node& node,
                 bool above_one) {
    double value = -1;
    if (const auto text = node.value_exact<std::string>(); text && text->ends_with('%')) {
        const std::string_view number(text->data(), text->size() - 1);
        const auto [stop, error] =
            std::from_chars(number.data(), number.data() + number.size(), value);
        if (number.empty() || error != std::errc() || stop != number.data() + number.size())
            value = -1;
        else
            value /= 100;
    } else if (const auto fraction = node.value<double>()) {
        value = *fraction;
    }
    if (!(value >= 0) || (value > 1 && !above_one))
        fail(path, node.source(),
             "bad " + key + " (expected a percentage such as \"15%\"" +
                 (above_one ? "" : " up to \"100%\"") + " or a fraction such as 0.15)");
    return value;
}

uint64_t readCount(const std::string& path, const std::string& key, const toml::node& node) {
    const auto count = node.value_exact<int64_t>();
    if (!count || *count < 0)
        fail(path, node.source(), "bad " + key + " (expected a whole number of calls, 0 or more)");
    return uint64_t(*count);
}

// A scaling exponent: a number from 0 (1.2 allows a little more than linear growth).
double readExponent(const std::string& path, const std::string& key, const toml::node& node) {
    const auto value = node.value<double>();
    if (!value || !(*value >= 0) || !std::isfinite(*value))
        fail(path, node.source(), "bad " + key + " (expected a number from 0, such as 1.2)");
    return *value;
}

std::string readPattern(const std::string& path, const std::string& key, const toml::node& node) {
    const auto text = node.value_exact<std::string>();
    if (!text || text->empty())
        fail(path, node.source(), "bad " + key + " (expected a non-empty string)");
    return *text;
}

void readKey(Budget& budget, bool& has_pattern, const std::string& path, const std::string& key,
             const toml::node& node) {
    if (key == "function" || key == "regex") {
        if (has_pattern)
            fail(path, node.source(), "a budget has either function or regex, not both");
        has_pattern = true;
        budget.pattern = readPattern(path, key, node);
        budget.kind = key == "regex" ? NameMatcher::Kind::Regex : NameMatcher::Kind::Substring;
    } else if (key == "max_self_share") {
        budget.max_self_share = readShare(path, key, node, false);
    } else if (key == "max_inclusive_share") {
        budget.max_inclusive_share = readShare(path, key, node, false);
    } else if (key == "max_growth") {
        budget.max_growth = readShare(path, key, node, true);
    } else if (key == "max_ncalls") {
        budget.max_ncalls = readCount(path, key, node);
    } else if (key == "max_exponent") {
        budget.max_exponent = readExponent(path, key, node);
    } else {
        fail(path, node.source(), "unknown key '" + key + "' in a budget");
    }
}

Budget readBudget(const toml::table& table, const std::string& path) {
    Budget budget;
    budget.line = table.source().begin.line;
    bool has_pattern = false;
    for (const auto& [key, node] : table)
        readKey(budget, has_pattern, path, std::string(key.str()), node);
    if (!has_pattern)
        fail(path, table.source(), "a budget needs function = \"NAME\" or regex = \"EXPR\"");
    if (!budget.max_self_share && !budget.max_inclusive_share && !budget.max_ncalls &&
        !budget.max_growth && !budget.max_exponent)
        fail(path, table.source(),
             "a budget needs a limit (max_self_share, max_inclusive_share, max_ncalls, "
             "max_growth or max_exponent)");
    if (budget.kind == NameMatcher::Kind::Regex) {
        try {
            NameMatcher(budget.pattern, budget.kind);
        } catch (const Error& error) {
            fail(path, table.source(), error.what());
        }
    }
    return budget;
}

} // namespace

std::vector<Budget> parseBudgets(const std::string& text, const std::string& path) {
    toml::table document;
    try {
        document = toml::parse(text, path);
    } catch (const toml::parse_error& error) {
        fail(path, error.source(), std::string(error.description()));
    }
    std::vector<Budget> budgets;
    for (const auto& [key, node] : document) {
        const toml::array* list = node.as_array();
        if (key.str() != "budget" || !list || !list->is_array_of_tables())
            fail(path, node.source(),
                 "unknown key '" + std::string(key.str()) + "' (expected [[budget]] tables)");
        for (const toml::node& table : *list)
            budgets.push_back(readBudget(*table.as_table(), path));
    }
    if (budgets.empty())
        throw BudgetFileError(path + ":1: no [[budget]] tables");
    return budgets;
}

std::vector<Budget> readBudgetFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    if (in)
        text << in.rdbuf();
    // A directory opens, and reads as empty.
    if (!in || in.bad() || std::filesystem::is_directory(path))
        throw BudgetFileError(path + ": cannot read the budget file");
    return parseBudgets(text.str(), path);
}

} // namespace hprof::cli
