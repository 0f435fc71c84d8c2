// hprof --instrument=trace on the instrumented samples: the kept calls must be the ones the
// samples made, with the durations they measured themselves, nested as they ran.
#include "hprof_runs.h"
#include "own_counts.h"
#include "profile_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

using namespace hprof::test;

namespace {

constexpr int64_t kMinDurationNs = 1'000'000;

// "<keyword> <function> <number>" lines of s_trace, by function, sorted.
std::map<std::string, std::vector<int64_t>> resultsByFunction(const std::string& output,
                                                              const std::string& keyword) {
    std::map<std::string, std::vector<int64_t>> took;
    const std::string prefix = keyword + " ";
    for (const std::string& line : resultLines(output)) {
        if (!line.starts_with(prefix))
            continue;
        const size_t space = line.rfind(' ');
        took[line.substr(prefix.size(), space - prefix.size())].push_back(
            std::stoll(line.substr(space + 1)));
    }
    for (auto& [function, durations] : took)
        std::sort(durations.begin(), durations.end());
    return took;
}

std::map<std::string, std::vector<hprof::TraceEvent>>
eventsByFunction(const hprof::Profile& profile) {
    std::map<std::string, std::vector<hprof::TraceEvent>> events;
    for (const hprof::TraceEvent& event : profile.trace_events)
        events[profile.function(event.function).name].push_back(event);
    return events;
}

std::vector<int64_t> sortedDurations(const std::vector<hprof::TraceEvent>& events) {
    std::vector<int64_t> durations;
    for (const hprof::TraceEvent& event : events)
        durations.push_back(event.duration_ns);
    std::sort(durations.begin(), durations.end());
    return durations;
}

bool contains(const hprof::TraceEvent& outer, const hprof::TraceEvent& inner) {
    return outer.thread == inner.thread && outer.start_ns <= inner.start_ns &&
           inner.start_ns + inner.duration_ns <= outer.start_ns + outer.duration_ns;
}

void expectSameCounts(const OwnCounts& own, const hprof::Profile& profile) {
    const std::map<std::string, CallTotals> recorded = callTotalsByName(profile);
    ASSERT_FALSE(own.calls.empty()) << "the sample printed no counts";
    for (const auto& [name, calls] : own.calls) {
        const auto found = recorded.find(name);
        EXPECT_EQ(found == recorded.end() ? 0 : found->second.calls, calls) << name;
    }
}

class TraceTest : public testing::Test {
  protected:
    // Records `sample` in trace mode; fails the test unless hprof exits 0.
    hprof::Profile record(const std::string& sample, const std::string& min_duration) {
        result_ =
            recordSample(dir_, {"--instrument=trace", "--min-duration=" + min_duration}, sample);
        EXPECT_EQ(result_.status, 0) << result_.err;
        return result_.status == 0 ? recordedProfile(dir_) : hprof::Profile{};
    }

    TempDir dir_;
    CommandResult result_;
};

TEST_F(TraceTest, LongCallsAreKeptWithTheDurationsTheProgramMeasured) {
    const hprof::Profile profile = record("s_trace", "1ms");
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(profile.run.instrumentation, "trace");
    EXPECT_EQ(profile.run.min_duration_ns, kMinDurationNs);
    EXPECT_EQ(warningsButCpuAccounting(profile), std::vector<std::string>{});
    expectSameCounts(parseOwnCounts(result_.out)[""], profile);

    const auto took = resultsByFunction(result_.out, "took");
    const auto events = eventsByFunction(profile);
    for (const std::string function : {"outer()", "inner()"}) {
        ASSERT_TRUE(took.contains(function)) << "s_trace printed no durations of " << function;
        ASSERT_TRUE(events.contains(function)) << "no trace events of " << function;
        const std::vector<int64_t>& measured = took.at(function);
        const std::vector<int64_t> traced = sortedDurations(events.at(function));
        ASSERT_EQ(traced.size(), measured.size()) << function;
        for (size_t i = 0; i < traced.size(); ++i) {
            const int64_t tolerance = std::max<int64_t>(measured[i] / 10, 2'000'000);
            EXPECT_LE(std::llabs(traced[i] - measured[i]), tolerance)
                << function << ": traced " << traced[i] << " ns, measured " << measured[i];
        }
    }
    // A tiny call is kept only if the program saw it take 1 ms (preempted): normally none.
    const auto slow = resultsByFunction(result_.out, "slow");
    ASSERT_TRUE(slow.contains("tiny(int)"));
    const size_t tiny_events = events.contains("tiny(int)") ? events.at("tiny(int)").size() : 0;
    EXPECT_LE(tiny_events, size_t(slow.at("tiny(int)").front())) << "slow tiny calls kept";
    const std::set<std::string> may_be_kept = {"main", "outerOnThread(void*)", "outer()", "inner()",
                                               "tiny(int)"};
    for (const auto& function_events : events)
        EXPECT_TRUE(may_be_kept.contains(function_events.first)) << function_events.first;
    for (const hprof::TraceEvent& event : profile.trace_events)
        EXPECT_GE(event.duration_ns, kMinDurationNs);
    for (const hprof::TraceEvent& inner : events.at("inner()")) {
        const auto& outers = events.at("outer()");
        EXPECT_TRUE(
            std::any_of(outers.begin(), outers.end(),
                        [&](const hprof::TraceEvent& outer) { return contains(outer, inner); }))
            << "an inner() call at " << inner.start_ns << " ns is inside no outer() call";
    }
    EXPECT_TRUE(std::is_sorted(profile.trace_events.begin(), profile.trace_events.end(),
                               [](const hprof::TraceEvent& a, const hprof::TraceEvent& b) {
                                   return std::pair(a.thread, a.start_ns) <
                                          std::pair(b.thread, b.start_ns);
                               }));
}

// Exact times per function (summed over threads) for every returned call, kept or not.
std::map<std::string, std::pair<int64_t, int64_t>> exactTimesByName(const hprof::Profile& profile) {
    std::map<std::string, std::pair<int64_t, int64_t>> times; // tottime, cumtime
    for (const hprof::CallCount& count : profile.call_counts) {
        EXPECT_TRUE(count.tottime_ns && count.cumtime_ns) << "a count without times";
        auto& [tottime, cumtime] = times[profile.function(count.function).name];
        tottime += count.tottime_ns.value_or(0);
        cumtime += count.cumtime_ns.value_or(0);
    }
    return times;
}

TEST_F(TraceTest, ExactTimesAddUpToWhatTheProgramMeasured) {
    const hprof::Profile profile = record("s_trace", "1ms");
    ASSERT_FALSE(HasFailure());
    const auto took = resultsByFunction(result_.out, "took");
    const auto times = exactTimesByName(profile);
    for (const std::string function : {"outer()", "inner()"}) {
        ASSERT_TRUE(took.contains(function) && times.contains(function)) << function;
        int64_t measured = 0;
        for (int64_t duration : took.at(function))
            measured += duration;
        const auto [tottime, cumtime] = times.at(function);
        const int64_t tolerance =
            std::max<int64_t>(measured / 10, 2'000'000 * int64_t(took.at(function).size()));
        EXPECT_LE(std::llabs(cumtime - measured), tolerance)
            << function << ": exact cumtime " << cumtime << " ns, measured " << measured;
        EXPECT_GE(tottime, 0) << function;
        EXPECT_LE(tottime, cumtime) << function;
    }
    // outer() spends its time in inner() and its own work: its callees' time is not its own.
    EXPECT_LE(times.at("outer()").first,
              times.at("outer()").second - times.at("inner()").second + 2'000'000);
}

TEST_F(TraceTest, WithoutAMinimumEveryCallIsKept) {
    const hprof::Profile profile = record("s_recursion", "0");
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(profile.run.instrumentation, "trace");
    EXPECT_EQ(profile.run.min_duration_ns, 0);
    const OwnCounts own = parseOwnCounts(result_.out)[""];
    expectSameCounts(own, profile);
    const auto events = eventsByFunction(profile);
    ASSERT_TRUE(events.contains("fib(int)"));
    EXPECT_EQ(events.at("fib(int)").size(), own.calls.at("fib(int)"));
}

} // namespace
