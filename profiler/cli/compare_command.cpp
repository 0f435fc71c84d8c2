#include "compare_command.h"

#include "budget_file.h"
#include "budget_output.h"
#include "ci_output.h"
#include "cli_error.h"
#include "compare_output.h"
#include "record_command.h"

#include "hprof/budget.h"
#include "hprof/import.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace hprof::cli {
namespace {

std::vector<Profile> readAll(const std::vector<std::string>& paths) {
    std::vector<Profile> profiles;
    for (const std::string& path : paths)
        profiles.push_back(readAnyProfile(path));
    return profiles;
}

std::vector<const Profile*> pointers(const std::vector<Profile>& profiles) {
    std::vector<const Profile*> result;
    for (const Profile& profile : profiles)
        result.push_back(&profile);
    return result;
}

// The check's outcome: regression if any; inconclusive if any (and no regression); else pass.
Verdict overallVerdict(const ProfileComparison& comparison) {
    Verdict overall = Verdict::Unchanged;
    for (const FunctionChange& change : comparison.functions) {
        if (change.verdict == Verdict::Regression)
            return Verdict::Regression;
        if (change.verdict == Verdict::Inconclusive)
            overall = Verdict::Inconclusive;
    }
    return overall;
}

// Records `program` into options.output; throws hprof::Error when the run fails.
std::vector<std::string> recordCurrent(const CheckCommandOptions& options) {
    RecordOptions record;
    record.output = options.output;
    record.quiet = true;
    record.program = options.program;
    record.repeat = options.repeat;
    record.frequency_hz = options.frequency_hz.value_or(kCheckFrequencyHz);
    const int status = runRecord(record);
    if (status != 0)
        throw Error("the recorded run of '" + options.program.front() + "' exited with status " +
                    std::to_string(status) + ": nothing to check");
    return {options.output};
}

bool underGitHubActions() {
    const char* actions = std::getenv("GITHUB_ACTIONS");
    return actions && std::string_view(actions) == "true";
}

void reportToCi(const ProfileComparison& comparison, Verdict overall,
                const CheckCommandOptions& options) {
    if (!options.junit.empty())
        writeJUnit(comparison, options.fail_on_inconclusive, options.junit);
    if (!options.markdown.empty())
        writeMarkdownSummary(comparison, overall, options.markdown, MarkdownMode::Replace);
    if (!underGitHubActions())
        return;
    printGitHubAnnotations(comparison, std::cout);
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
        writeMarkdownSummary(comparison, overall, summary, MarkdownMode::Append);
}

int checkExitStatus(Verdict overall, const CheckCommandOptions& options) {
    if (overall == Verdict::Regression)
        return kExitRegression;
    if (overall == Verdict::Inconclusive) {
        if (options.fail_on_inconclusive)
            return kExitRegression;
        printError("warning: some functions had too few samples to decide (see above)");
    }
    return kExitCheckPassed;
}

// Throws BudgetFileError naming the line of a growth limit when there is no baseline.
void requireBaselineForGrowth(const std::vector<Budget>& budgets,
                              const CheckCommandOptions& options) {
    if (!options.baselines.empty())
        return;
    for (const Budget& budget : budgets)
        if (budget.max_growth)
            throw BudgetFileError(options.budget + ":" + std::to_string(budget.line) +
                                  ": max_growth needs a baseline (--baseline FILE)");
}

// Prints an evaluation of the budgets of `path` (as text unless stdout holds JSON: the caller
// puts it into the document) and hands it to the CI outputs, after the comparison's when
// `after_comparison`; true if a limit is exceeded.
bool reportBudgets(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                   const std::string& path, const CheckCommandOptions& options,
                   bool after_comparison) {
    if (options.format != CompareFormat::Json)
        printBudgets(budgets, evaluation, path, std::cout);
    const JUnitMode junit = after_comparison ? JUnitMode::Append : JUnitMode::Replace;
    if (!options.junit.empty())
        writeBudgetJUnit(budgets, evaluation, path, options.junit, junit);
    const MarkdownMode markdown = after_comparison ? MarkdownMode::Append : MarkdownMode::Replace;
    if (!options.markdown.empty())
        writeBudgetMarkdown(budgets, evaluation, path, options.markdown, markdown);
    if (!underGitHubActions())
        return evaluation.exceeded();
    printBudgetAnnotations(budgets, evaluation, path, std::cout);
    if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary)
        writeBudgetMarkdown(budgets, evaluation, path, summary, MarkdownMode::Append);
    return evaluation.exceeded();
}

// The comparison with the baselines: printed (unless as JSON), handed to the CI outputs.
ProfileComparison compareWithBaselines(const std::vector<const Profile*>& current,
                                       const CheckCommandOptions& options) {
    const std::vector<Profile> baselines = readAll(options.baselines);
    CompareOptions compare;
    compare.threshold_relative = options.threshold;
    compare.min_share = options.min_share;
    compare.cpu_threshold_relative = options.cpu_threshold;
    ProfileComparison comparison = compareProfiles(pointers(baselines), current, compare);
    const Verdict overall = overallVerdict(comparison);
    if (options.format != CompareFormat::Json)
        printCheck(comparison, overall, options.format, std::cout);
    reportToCi(comparison, overall, options);
    return comparison;
}

// `hprof check --format json`: one document, the comparison's (when there is a baseline) with
// the budgets' evaluation and whether the check passed.
void printCheckJson(const std::optional<ProfileComparison>& comparison,
                    const std::optional<nlohmann::json>& budgets, bool passed) {
    nlohmann::json json =
        comparison ? checkJson(*comparison, overallVerdict(*comparison)) : nlohmann::json::object();
    if (budgets)
        json["budgets"] = *budgets;
    json["passed"] = passed;
    std::cout << json.dump(2) << '\n';
}

int check(const CheckCommandOptions& options) {
    const std::vector<Budget> budgets =
        options.budget.empty() ? std::vector<Budget>{} : readBudgetFile(options.budget);
    requireBaselineForGrowth(budgets, options);
    const std::vector<Profile> current =
        readAll(options.program.empty() ? options.current : recordCurrent(options));
    std::optional<ProfileComparison> comparison;
    if (!options.baselines.empty())
        comparison = compareWithBaselines(pointers(current), options);
    bool over_budget = false;
    std::optional<nlohmann::json> budgets_json;
    if (!budgets.empty()) {
        const BudgetEvaluation evaluation =
            evaluateBudgets(budgets, comparison ? *comparison : currentShares(pointers(current)),
                            comparison.has_value());
        over_budget =
            reportBudgets(budgets, evaluation, options.budget, options, comparison.has_value());
        budgets_json = budgetsJson(budgets, evaluation, options.budget);
    }
    const Verdict overall = comparison ? overallVerdict(*comparison) : Verdict::Unchanged;
    const int compared = checkExitStatus(overall, options); // warns about inconclusive ones
    const int status = over_budget ? kExitRegression : compared;
    if (options.format == CompareFormat::Json)
        printCheckJson(comparison, budgets_json, status == kExitCheckPassed);
    std::cout.flush();
    return status;
}

// --scaling-budget FILE DIR (issue 13): the max_exponent limits against the fits of DIR.
int checkScalingBudget(const CheckCommandOptions& options) {
    const std::vector<Budget> budgets = readBudgetFile(options.scaling_budget);
    const ScalingDirectory directory = readScalingDirectory(options.current.front());
    const BudgetEvaluation evaluation =
        evaluateScalingBudgets(budgets, analyseScaling(directory.runs()));
    const bool exceeded =
        reportBudgets(budgets, evaluation, options.scaling_budget, options, false);
    if (options.format == CompareFormat::Json)
        printCheckJson(std::nullopt, budgetsJson(budgets, evaluation, options.scaling_budget),
                       !exceeded);
    std::cout.flush();
    return exceeded ? kExitRegression : kExitCheckPassed;
}

} // namespace

int runDiff(const DiffCommandOptions& options) {
    try {
        const Profile before = readAnyProfile(options.before);
        const Profile after = readAnyProfile(options.after);
        CompareOptions compare;
        compare.min_share = 0; // every function gets its interval
        printDiff(compareProfiles({&before}, {&after}, compare), options.format, options.limit,
                  std::cout);
        return kExitCheckPassed;
    } catch (const Error& error) {
        printError(error.what());
        return kExitBadProfile;
    }
}

int runCheck(const CheckCommandOptions& options) {
    try {
        if (!options.scaling_budget.empty())
            return checkScalingBudget(options);
        return check(options);
    } catch (const BudgetFileError& error) {
        printError(error.what());
        return kExitHprofError;
    } catch (const ScalingError& error) {
        printError(error.what());
        return kExitHprofError;
    } catch (const Error& error) {
        printError(error.what());
        return kExitBadProfile;
    }
}

} // namespace hprof::cli
