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

// Evaluates and prints the budgets (on stderr when stdout holds JSON); true if one is exceeded.
// Prints an evaluation of the budgets of `path` (on stderr when stdout holds JSON) and hands it
// to the CI outputs; true if a limit is exceeded.
bool reportBudgets(const std::vector<Budget>& budgets, const BudgetEvaluation& evaluation,
                   const std::string& path, const CheckCommandOptions& options,
                   JUnitMode junit_mode) {
    std::ostream& out = options.format == CompareFormat::Json ? std::cerr : std::cout;
    printBudgets(budgets, evaluation, path, out);
    if (underGitHubActions())
        printBudgetAnnotations(budgets, evaluation, path, std::cout);
    if (!options.junit.empty())
        writeBudgetJUnit(budgets, evaluation, path, options.junit, junit_mode);
    return evaluation.exceeded();
}

bool checkBudgets(const std::vector<Budget>& budgets, const ProfileComparison& comparison,
                  const CheckCommandOptions& options) {
    return reportBudgets(budgets, evaluateBudgets(budgets, comparison, !options.baselines.empty()),
                         options.budget, options,
                         options.baselines.empty() ? JUnitMode::Replace : JUnitMode::Append);
}

// The comparison with the baselines: printed, handed to the CI outputs; its verdict.
Verdict compareWithBaselines(const std::vector<const Profile*>& current,
                             const CheckCommandOptions& options,
                             std::optional<ProfileComparison>& comparison) {
    const std::vector<Profile> baselines = readAll(options.baselines);
    CompareOptions compare;
    compare.threshold_relative = options.threshold;
    compare.min_share = options.min_share;
    compare.cpu_threshold_relative = options.cpu_threshold;
    comparison = compareProfiles(pointers(baselines), current, compare);
    const Verdict overall = overallVerdict(*comparison);
    printCheck(*comparison, overall, options.format, std::cout);
    reportToCi(*comparison, overall, options);
    return overall;
}

int check(const CheckCommandOptions& options) {
    const std::vector<Budget> budgets =
        options.budget.empty() ? std::vector<Budget>{} : readBudgetFile(options.budget);
    requireBaselineForGrowth(budgets, options);
    const std::vector<Profile> current =
        readAll(options.program.empty() ? options.current : recordCurrent(options));
    std::optional<ProfileComparison> comparison;
    const Verdict overall = options.baselines.empty()
                                ? Verdict::Unchanged
                                : compareWithBaselines(pointers(current), options, comparison);
    const bool over_budget =
        !budgets.empty() &&
        checkBudgets(budgets, comparison ? *comparison : currentShares(pointers(current)), options);
    std::cout.flush();
    const int status = checkExitStatus(overall, options); // warns about inconclusive functions
    return over_budget ? kExitRegression : status;
}

// --scaling-budget FILE DIR (issue 13): the max_exponent limits against the fits of DIR.
int checkScalingBudget(const CheckCommandOptions& options) {
    const std::vector<Budget> budgets = readBudgetFile(options.scaling_budget);
    const ScalingDirectory directory = readScalingDirectory(options.current.front());
    const bool exceeded =
        reportBudgets(budgets, evaluateScalingBudgets(budgets, analyseScaling(directory.runs())),
                      options.scaling_budget, options, JUnitMode::Replace);
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
