#include "compare_command.h"

#include "ci_output.h"
#include "cli_error.h"
#include "compare_output.h"
#include "record_command.h"

#include "hprof/profile_io.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace hprof::cli {
namespace {

std::vector<Profile> readAll(const std::vector<std::string>& paths) {
    std::vector<Profile> profiles;
    for (const std::string& path : paths)
        profiles.push_back(readProfile(path));
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
    const int status = runRecord(record);
    if (status != 0)
        throw Error("the recorded run of '" + options.program.front() + "' exited with status " +
                    std::to_string(status) + ": nothing to check");
    return {options.output};
}

void reportToCi(const ProfileComparison& comparison, Verdict overall,
                const CheckCommandOptions& options) {
    if (!options.junit.empty())
        writeJUnit(comparison, options.fail_on_inconclusive, options.junit);
    if (!options.markdown.empty())
        writeMarkdownSummary(comparison, overall, options.markdown, MarkdownMode::Replace);
    const char* actions = std::getenv("GITHUB_ACTIONS");
    if (!actions || std::string_view(actions) != "true")
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

int check(const CheckCommandOptions& options) {
    const std::vector<Profile> baselines = readAll(options.baselines);
    const std::vector<Profile> current =
        readAll(options.program.empty() ? options.current : recordCurrent(options));
    CompareOptions compare;
    compare.threshold_relative = options.threshold;
    compare.min_share = options.min_share;
    const ProfileComparison comparison =
        compareProfiles(pointers(baselines), pointers(current), compare);
    const Verdict overall = overallVerdict(comparison);
    printCheck(comparison, overall, options.format, std::cout);
    reportToCi(comparison, overall, options);
    std::cout.flush();
    return checkExitStatus(overall, options);
}

} // namespace

int runDiff(const DiffCommandOptions& options) {
    try {
        const Profile before = readProfile(options.before);
        const Profile after = readProfile(options.after);
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
        return check(options);
    } catch (const Error& error) {
        printError(error.what());
        return kExitBadProfile;
    }
}

} // namespace hprof::cli
