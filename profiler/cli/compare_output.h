// Printing profile comparisons (`hprof diff`, `hprof check`) as text, JSON and CSV.
#pragma once

#include "command_line.h"

#include "hprof/compare.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

namespace hprof::cli {

// "hot() at samples/check_target.cpp:12": how messages name a function.
std::string functionPlace(const FunctionChange& change);

// "self share 40.1% -> 57.2% (+17.1 points, 95% interval +15.0..+19.3, threshold 4.0)".
std::string describeShare(const char* measure, const ShareChange& share);
// "inclusive CPU time per run 0.200 s -> 0.310 s (+0.110 s, 95% interval ..., threshold 0.050 s)".
std::string describeCpu(const ShareChange& cpu);

// `hprof diff`: every function's change, largest first, `limit` rows.
void printDiff(const ProfileComparison& comparison, CompareFormat format,
               std::optional<size_t> limit, std::ostream& out);

// `hprof check`: the regressed (and inconclusive, improved) functions in words, then a table of
// every checked function (text and CSV; JSON is checkJson, printed by the caller with the
// budgets).
void printCheck(const ProfileComparison& comparison, Verdict overall, CompareFormat format,
                std::ostream& out);

// `hprof check --format json`'s document: the checked functions and the comparison's "verdict".
nlohmann::json checkJson(const ProfileComparison& comparison, Verdict overall);

} // namespace hprof::cli
