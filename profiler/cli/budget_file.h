// Reading hprof-budget.toml (docs/cli.md, "Budgets") with toml++.
#pragma once

#include "hprof/budget.h"
#include "hprof/error.h"

#include <string>
#include <vector>

namespace hprof::cli {

// A malformed budget file; the message is "FILE:LINE: what is wrong".
class BudgetFileError : public Error {
  public:
    using Error::Error;
};

// Throws BudgetFileError for an unreadable file, a TOML syntax error, an unknown key, a bad
// percentage or count, a budget with both or neither of function/regex or without a limit, and
// an invalid regex.
std::vector<Budget> readBudgetFile(const std::string& path);

// Parses the text of a budget file; `path` names it in messages.
std::vector<Budget> parseBudgets(const std::string& text, const std::string& path);

} // namespace hprof::cli
