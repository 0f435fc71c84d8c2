// SampleFilter, SampleSelector, resolveFilter and describeFilter over the call-tree fixture
// (test_support.h): samples at 1..5 ms on threads 100, 100, 101, 200, 101 with weights 1..5 ms.
#include "hprof/analysis.h"
#include "hprof/error.h"
#include "hprof/filter.h"
#include "hprof/report.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <sstream>

namespace hprof {
namespace {

using test::kMs;

// The weight of the accepted samples, in ms.
int64_t selectedMs(const Profile& profile, const SampleFilter& filter) {
    int64_t sum = 0;
    SampleSelector(profile, filter).forEach([&](const Sample& sample) { sum += sample.weight_ns; });
    return sum / kMs;
}

std::string errorOf(const Profile& profile, const FilterRequest& request) {
    try {
        resolveFilter(profile, request);
    } catch (const Error& error) {
        return error.what();
    }
    return "no error";
}

TEST(Selection, IncludeAndExcludeSetsStaySortedAndExcludeWins) {
    Selection<ThreadId> threads;
    EXPECT_TRUE(threads.selectsAll());
    EXPECT_TRUE(threads.accepts(ThreadId(7)));
    threads.include(ThreadId(3));
    threads.include(ThreadId(1));
    threads.include(ThreadId(3));
    EXPECT_EQ(threads.only, (std::vector<ThreadId>{ThreadId(1), ThreadId(3)}));
    EXPECT_TRUE(threads.accepts(ThreadId(1)));
    EXPECT_FALSE(threads.accepts(ThreadId(2)));
    threads.exclude(ThreadId(1));
    EXPECT_FALSE(threads.accepts(ThreadId(1)));
    EXPECT_TRUE(threads.accepts(ThreadId(3)));
}

TEST(SampleSelector, TimeRangeIsAnIndexRangeOfTheSortedSamples) {
    Profile profile = test::callTreeProfile();
    SampleFilter window;
    window.from_ns = 2 * kMs; // inclusive
    window.to_ns = 4 * kMs;   // exclusive
    SampleSelector selector(profile, window);
    EXPECT_EQ(selector.begin(), 1u);
    EXPECT_EQ(selector.end(), 3u);
    EXPECT_EQ(selectedMs(profile, window), 5);
    window.from_ns = 2 * kMs + 1;
    EXPECT_EQ(SampleSelector(profile, window).begin(), 2u);
    window.from_ns = 100 * kMs; // after the last sample, before to_ns: empty, not reversed
    EXPECT_EQ(SampleSelector(profile, window).begin(), SampleSelector(profile, window).end());
    EXPECT_EQ(SampleSelector(profile, {}).end(), profile.samples.size());
}

TEST(SampleSelector, ProcessAndThreadSetsIncludeAndExclude) {
    Profile profile = test::callTreeProfile();
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.pids = {100}})), 11);
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.excluded_pids = {100}})), 4);
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.tids = {100, 200}})), 7);
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.pids = {100}, .excluded_tids = {101}})),
              3);
    SampleFilter both = resolveFilter(profile, {.tids = {101}, .excluded_tids = {101}});
    EXPECT_EQ(selectedMs(profile, both), 0); // excluded wins
}

TEST(SampleSelector, FunctionFocusAndExclusionLookAtTheWholeStack) {
    Profile profile = test::callTreeProfile();
    // beta() is on the stacks at 1 and 2 ms; "alpha" is on the same two.
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.focus_functions = {"beta"}})), 3);
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.excluded_functions = {"beta"}})), 12);
    // Focus on main (every stack) without delta: all but the 3 ms sample.
    SampleFilter filter =
        resolveFilter(profile, {.focus_functions = {"main"}, .excluded_functions = {"delta"}});
    EXPECT_EQ(selectedMs(profile, filter), 12);
    // By substring: "alpha" names alpha(int).
    EXPECT_EQ(resolveFilter(profile, {.focus_functions = {"alpha"}}).functions.only.size(), 1u);
}

TEST(SampleSelector, ModulesSelectByTheLeafFrame) {
    Profile profile = test::callTreeProfile();
    // Every function is in /bin/app except delta (no module), the leaf at 3 ms.
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.modules = {"app"}})), 12);
    EXPECT_EQ(selectedMs(profile, resolveFilter(profile, {.excluded_modules = {"/bin/"}})), 3);
}

TEST(SampleSelector, EveryAggregationGoesThroughTheStackSelection) {
    Profile profile = test::callTreeProfile();
    SampleFilter filter = resolveFilter(profile, {.excluded_functions = {"beta"}});
    EXPECT_EQ(computeTotals(profile, filter).weight_ns, 12 * kMs);
    auto stats = test::statsByName(profile, filter);
    EXPECT_FALSE(stats.count("beta()"));
    EXPECT_FALSE(stats.count("alpha(int)"));
    EXPECT_EQ(stats["main"].total_ns, 12 * kMs);
    std::vector<ThreadStats> threads = computeThreadStats(profile, filter);
    ASSERT_EQ(threads.size(), 3u);
    EXPECT_EQ(threads[0].samples, 0u); // thread 100 only ran beta: listed (it lived), empty
}

TEST(ResolveFilter, IdsThatNameNothingAreErrorsListingTheProfilesIds) {
    Profile profile = test::callTreeProfile();
    EXPECT_EQ(errorOf(profile, {.pids = {7}}), "no process 7 in the profile (its pids: 100, 200)");
    EXPECT_EQ(errorOf(profile, {.excluded_tids = {7}}),
              "no thread 7 in the profile (its tids: 100, 101, 200)");
    EXPECT_EQ(errorOf(profile, {.focus_functions = {"nothing"}}), "no function matches 'nothing'");
    EXPECT_EQ(errorOf(profile, {.excluded_modules = {"libc"}}), "no module matches 'libc'");
}

TEST(ResolveFilter, APidSelectsEveryImageOfThatProcess) {
    Profile profile = test::callTreeProfile();
    profile.processes.push_back(test::makeProcess(100, 1, "./exec'd", 5, 9, 0));
    SampleFilter filter = resolveFilter(profile, {.pids = {100}});
    EXPECT_EQ(filter.processes.only, (std::vector<ProcessId>{ProcessId(0), ProcessId(2)}));
    EXPECT_TRUE(filter.acceptsProcess(profile, ProcessId(2)));
    EXPECT_FALSE(filter.acceptsProcess(profile, ProcessId(1)));
}

TEST(DescribeFilter, SaysTheFilterInWords) {
    Profile profile = test::callTreeProfile();
    EXPECT_EQ(describeFilter(profile, {}), "");
    FilterRequest request{.from_ns = 1'200'000'000,
                          .to_ns = 3'400'000'000,
                          .pids = {100},
                          .excluded_tids = {101},
                          .focus_functions = {"beta"},
                          .excluded_modules = {"app"}};
    EXPECT_EQ(describeFilter(profile, resolveFilter(profile, request)),
              "time 1.2 s..3.4 s, process 100, without thread 101, only stacks through beta(), "
              "without code in app");
}

// The text report's numbers are of the selected samples only, so its header says which, once
// per function name however many modules have one.
TEST(DescribeFilter, TheTextReportSaysItsFilter) {
    Profile profile = test::callTreeProfile();
    ReportOptions options;
    std::ostringstream unfiltered;
    printReport(profile, options, unfiltered);
    EXPECT_EQ(unfiltered.str().find("filter:"), std::string::npos);
    options.filter = resolveFilter(profile, {.pids = {100}});
    std::ostringstream filtered;
    printReport(profile, options, filtered);
    EXPECT_NE(filtered.str().find("\n         filter: process 100\n"), std::string::npos)
        << filtered.str();
}

} // namespace
} // namespace hprof
