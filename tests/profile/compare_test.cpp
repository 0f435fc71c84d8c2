// compareProfiles: matching functions across builds, bootstrap intervals and verdicts, on
// synthetic profiles whose true shares are known.
#include "hprof/compare.h"
#include "hprof/merge_runs.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <random>

namespace hprof {
namespace {

// What a synthetic run spends its time in: each sample's leaf is hot() with probability
// `hot`, warm() with probability `warm`, else main() itself; hot is called from work().
struct RunShape {
    size_t samples = 20000;
    double hot = 0.4;
    double warm = 0.2;
    uint32_t seed = 1;
    std::string program = "/build/prog";
    std::string module_dir = "/build";
    bool reverse_interning = false; // intern the functions in the opposite order: other ids
    std::optional<uint64_t> hot_calls{};
    int64_t stall_ms = 0;     // one sample of hot() in the middle stands for this much more
    int64_t sample_us = 1000; // CPU time per sample: a slower machine or build has more
};

const FunctionChange* find(const ProfileComparison& comparison, const std::string& name) {
    for (const FunctionChange& change : comparison.functions)
        if (change.name == name)
            return &change;
    return nullptr;
}

Profile syntheticRun(const RunShape& shape) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {shape.program, "arg"};
    profile.run.frequency_hz = 1000;
    profile.processes.push_back(test::makeProcess(10, 1, shape.program, 0, 1, 0));
    profile.threads.push_back({ProcessId(0), 10, "main", 0, 0, 0});
    const ModuleId module = builder.internModule({shape.module_dir + "/prog", ""});
    std::vector<std::pair<const char*, uint32_t>> names = {
        {"main", 1}, {"work()", 10}, {"hot()", 20}, {"warm()", 30}};
    if (shape.reverse_interning)
        std::reverse(names.begin(), names.end());
    std::map<std::string, FrameId> frames;
    for (const auto& [name, line] : names)
        frames[name] = builder.internFrame(
            {builder.internFunction({name, "prog.cpp", line, module}), line + 1, false});
    const StackId main = builder.internStack(StackId(), frames["main"]);
    const StackId work = builder.internStack(main, frames["work()"]);
    const StackId hot = builder.internStack(work, frames["hot()"]);
    const StackId warm = builder.internStack(main, frames["warm()"]);
    std::mt19937 random(shape.seed);
    std::uniform_real_distribution<double> uniform(0, 1);
    for (size_t i = 0; i < shape.samples; ++i) {
        const double u = uniform(random);
        const StackId leaf = u < shape.hot ? hot : u < shape.hot + shape.warm ? warm : main;
        profile.samples.push_back(
            {int64_t(i) * test::kMs, ThreadId(0), leaf, shape.sample_us * test::kMs / 1000});
    }
    for (size_t i = shape.samples / 2; shape.stall_ms && i < shape.samples; ++i)
        if (profile.samples[i].stack == hot) {
            profile.samples[i].weight_ns += shape.stall_ms * test::kMs;
            break;
        }
    if (shape.hot_calls)
        profile.call_counts.push_back(
            {ThreadId(0), profile.frame(frames["hot()"]).function, *shape.hot_calls, 0, {}, {}});
    return builder.take();
}

constexpr uint32_t kSeedWithTheLargerFall = 3;

ProfileComparison compare(const Profile& before, const Profile& after) {
    return compareProfiles({&before}, {&after});
}

TEST(Compare, IdenticalProfilesAreUnchanged) {
    const Profile run = syntheticRun({});
    const ProfileComparison comparison = compare(run, run);
    for (const FunctionChange& change : comparison.functions) {
        EXPECT_EQ(change.verdict, Verdict::Unchanged) << change.name;
        EXPECT_LE(change.self.low, 0.0) << change.name;
        EXPECT_GE(change.self.high, 0.0) << change.name;
    }
    EXPECT_EQ(comparison.functions.size(), 4u);
}

TEST(Compare, AnotherRunOfTheSameShapeIsUnchanged) {
    const ProfileComparison comparison = compare(syntheticRun({}), syntheticRun({.seed = 2}));
    for (const FunctionChange& change : comparison.functions)
        EXPECT_EQ(change.verdict, Verdict::Unchanged) << change.name;
}

TEST(Compare, DoubledFunctionIsARegressionWithItsValues) {
    // hot 0.4 of the time, doubled: 0.8 / 1.4 of the new run.
    const ProfileComparison comparison =
        compare(syntheticRun({}), syntheticRun({.hot = 0.8 / 1.4, .warm = 0.2 / 1.4, .seed = 3}));
    const FunctionChange* hot = find(comparison, "hot()");
    ASSERT_NE(hot, nullptr);
    EXPECT_EQ(hot->verdict, Verdict::Regression);
    EXPECT_EQ(hot->self.verdict, Verdict::Regression);
    EXPECT_NEAR(hot->self.before, 0.4, 0.02);
    EXPECT_NEAR(hot->self.after, 0.8 / 1.4, 0.02);
    EXPECT_GT(hot->self.low, hot->self.threshold);
    EXPECT_LT(hot->self.low, hot->self.change());
    EXPECT_GT(hot->self.high, hot->self.change());
    EXPECT_EQ(hot->line, 20u);
    EXPECT_EQ(hot->file, "prog.cpp");
    // The caller's inclusive share grew as much; warm's share fell.
    EXPECT_EQ(find(comparison, "work()")->inclusive.verdict, Verdict::Regression);
    EXPECT_EQ(find(comparison, "warm()")->verdict, Verdict::Improvement);
    EXPECT_EQ(comparison.functions.front().name, "hot()"); // the largest change first
}

// When warm() doubles and main() has no time of its own, hot()'s share falls by as much as
// warm()'s rises (here a little more, by chance): the regression is still listed first.
TEST(Compare, RegressionIsListedBeforeAnImprovementOfTheSameSize) {
    const ProfileComparison comparison = compare(
        syntheticRun({.hot = 0.6, .warm = 0.4}),
        syntheticRun({.hot = 0.6 / 1.4, .warm = 0.8 / 1.4, .seed = kSeedWithTheLargerFall}));
    const FunctionChange* hot = find(comparison, "hot()");
    const FunctionChange* warm = find(comparison, "warm()");
    ASSERT_NE(hot, nullptr);
    ASSERT_NE(warm, nullptr);
    ASSERT_GT(-hot->self.change(), warm->self.change()) << "premise: hot fell more";
    EXPECT_EQ(warm->verdict, Verdict::Regression);
    EXPECT_EQ(hot->verdict, Verdict::Improvement);
    EXPECT_EQ(comparison.functions.front().name, "warm()");
}

TEST(Compare, OneStalledSampleCannotMakeARegression) {
    // A 3 s weight on one of 20000 1-ms samples would take hot() from 40% to 48% of the run.
    const Profile stalled = syntheticRun({.seed = 2, .stall_ms = 3000});
    const ProfileComparison comparison = compare(syntheticRun({}), stalled);
    EXPECT_EQ(find(comparison, "hot()")->verdict, Verdict::Unchanged);
}

// As in a CI run on a loaded virtual machine: a 2 s run where one sample carries a 1 s step of
// the thread's CPU clock. Uncapped, the whole run would be 50% slower and every function on
// that sample's stack a CPU-seconds regression; capped at 4 periods, nothing regressed.
TEST(Compare, OneStalledSampleCannotMakeACpuSecondsRegression) {
    const Profile stalled = syntheticRun({.samples = 2000, .seed = 2, .stall_ms = 1000});
    const ProfileComparison comparison = compare(syntheticRun({.samples = 2000}), stalled);
    for (const FunctionChange& change : comparison.functions)
        EXPECT_NE(change.cpu.verdict, Verdict::Regression) << change.name;
    EXPECT_NEAR(comparison.after_cpu_s, 2.0, 0.01);
    EXPECT_NEAR(find(comparison, "hot()")->after_cpu_s, 0.8, 0.1);
}

TEST(Compare, TinyProfileIsInconclusiveAndSaysHowLongToRun) {
    const ProfileComparison comparison =
        compare(syntheticRun({.samples = 50}), syntheticRun({.samples = 50, .seed = 2}));
    const FunctionChange* hot = find(comparison, "hot()");
    ASSERT_NE(hot, nullptr);
    EXPECT_EQ(hot->verdict, Verdict::Inconclusive);
    ASSERT_TRUE(hot->self.seconds_needed);
    EXPECT_GT(*hot->self.seconds_needed, comparison.after_seconds);
}

TEST(Compare, NoisyMediumRunSaysHowLongANarrowEnoughIntervalNeeds) {
    // 40% vs 44%: a change right at the threshold of 4 points is never decided by 1000 samples.
    const ProfileComparison comparison =
        compare(syntheticRun({.samples = 1000}), syntheticRun({.samples = 1000, .hot = 0.43}));
    const FunctionChange* hot = find(comparison, "hot()");
    ASSERT_EQ(hot->self.verdict, Verdict::Inconclusive);
    ASSERT_TRUE(hot->self.seconds_needed);
    EXPECT_GT(*hot->self.seconds_needed, 1.0);
}

TEST(Compare, ChangedCallCountIsFlaggedEvenWithoutTimeChange) {
    const Profile before = syntheticRun({.hot_calls = 1000});
    const ProfileComparison changed = compare(before, syntheticRun({.hot_calls = 1001}));
    const FunctionChange* hot = find(changed, "hot()");
    EXPECT_TRUE(hot->ncalls_changed);
    EXPECT_EQ(hot->verdict, Verdict::Regression);
    EXPECT_EQ(hot->before_ncalls, 1000u);
    EXPECT_EQ(hot->after_ncalls, 1001u);
    const ProfileComparison same = compare(before, syntheticRun({.hot_calls = 1000}));
    EXPECT_FALSE(find(same, "hot()")->ncalls_changed);
    EXPECT_EQ(find(same, "hot()")->verdict, Verdict::Unchanged);
}

// A profile of 3 runs (record --repeat 3) holds 3 times the calls and CPU of one run: both are
// compared per run.
TEST(Compare, RepeatedRunsAreComparedPerRun) {
    const Profile before = syntheticRun({.hot_calls = 1000});
    Profile three = syntheticRun({.samples = 60000, .seed = 2, .hot_calls = 3000});
    three.run.runs = 3;
    const ProfileComparison agreeing = compare(before, three);
    const FunctionChange* hot = find(agreeing, "hot()");
    ASSERT_NE(hot, nullptr);
    EXPECT_EQ(hot->after_ncalls, 1000u);
    EXPECT_FALSE(hot->ncalls_changed);
    EXPECT_NEAR(hot->cpu.after, hot->cpu.before, 0.05 * hot->cpu.before);
    EXPECT_EQ(hot->verdict, Verdict::Unchanged);
    three.call_counts.front().calls = 3001; // the runs disagree: no exact count to compare
    const ProfileComparison disagreeing = compare(before, three);
    ASSERT_NE(find(disagreeing, "hot()"), nullptr);
    EXPECT_EQ(find(disagreeing, "hot()")->after_ncalls, std::nullopt);
}

TEST(Compare, MatchesFunctionsOfAnotherBuildByNameFileAndModuleName) {
    const Profile before = syntheticRun({});
    const Profile after =
        syntheticRun({.program = "/other/prog", .module_dir = "/other", .reverse_interning = true});
    auto idOfHot = [](const Profile& profile) {
        for (size_t id = 0; id < profile.functions.size(); ++id)
            if (profile.functions[id].name == "hot()")
                return id;
        return profile.functions.size();
    };
    ASSERT_NE(idOfHot(before), idOfHot(after)); // ids differ...
    const ProfileComparison comparison = compare(before, after);
    EXPECT_EQ(comparison.functions.size(), 4u); // ...yet every function is matched
    const FunctionChange* hot = find(comparison, "hot()");
    EXPECT_EQ(hot->self.before, hot->self.after);
    EXPECT_EQ(hot->module, "prog");
}

TEST(Compare, RefusesOtherProgramsAndEmptyProfiles) {
    const Profile prog = syntheticRun({});
    const Profile other = syntheticRun({.program = "/build/other"});
    EXPECT_THROW(compare(prog, other), Error);
    const Profile empty = syntheticRun({.samples = 0});
    EXPECT_THROW(compare(prog, empty), Error);
    EXPECT_THROW(compareProfiles({}, {&prog}), Error);
    EXPECT_THROW(compareProfiles({&prog}, {&prog}, {.resamples = 0}), Error);
}

TEST(Compare, SameInputGivesTheSameIntervals) {
    const Profile a = syntheticRun({.samples = 3000});
    const Profile b = syntheticRun({.samples = 3000, .seed = 5});
    const FunctionChange first = *find(compare(a, b), "hot()");
    const FunctionChange second = *find(compare(a, b), "hot()");
    EXPECT_EQ(first.self.low, second.self.low);
    EXPECT_EQ(first.self.high, second.self.high);
}

TEST(Compare, SeveralBaselinesPoolIntoANarrowerInterval) {
    const Profile a = syntheticRun({.samples = 2000, .seed = 1});
    const Profile b = syntheticRun({.samples = 2000, .seed = 2});
    const Profile c = syntheticRun({.samples = 2000, .seed = 3});
    const Profile d = syntheticRun({.samples = 2000, .seed = 4});
    const FunctionChange one = *find(compareProfiles({&a}, {&b}), "hot()");
    const FunctionChange pooled = *find(compareProfiles({&a, &c}, {&b, &d}), "hot()");
    EXPECT_LT(pooled.self.high - pooled.self.low, 0.85 * (one.self.high - one.self.low));
    EXPECT_NEAR(pooled.before_cpu_s, 0.4 * 2.0, 0.1); // seconds per run, not summed
}

// Two baseline runs that disagree (hot() 36% and 46%, as a loaded machine can make them) and two
// current runs at 47%: each run alone is precise, so the pooled bootstrap says +6 points, a
// regression. The runs' own spread says the baseline is not known that well: inconclusive.
TEST(Compare, RunsThatDisagreeWidenTheInterval) {
    const Profile low = syntheticRun({.hot = 0.36, .seed = 1});
    const Profile high = syntheticRun({.hot = 0.46, .seed = 2});
    const Profile current = syntheticRun({.hot = 0.47, .seed = 3});
    const Profile current_too = syntheticRun({.hot = 0.47, .seed = 8});
    const FunctionChange hot =
        *find(compareProfiles({&low, &high}, {&current, &current_too}), "hot()");
    EXPECT_NEAR(hot.self.change(), 0.06, 0.01);
    EXPECT_LT(hot.self.low, 0.0);
    EXPECT_EQ(hot.self.verdict, Verdict::Inconclusive);
    // Runs that agree keep a narrow interval: a real slowdown is still a regression.
    const Profile same_low = syntheticRun({.hot = 0.40, .seed = 4});
    const Profile same_high = syntheticRun({.hot = 0.40, .seed = 5});
    const Profile slow_a = syntheticRun({.hot = 0.56, .seed = 6});
    const Profile slow_b = syntheticRun({.hot = 0.56, .seed = 7});
    const FunctionChange slowed =
        *find(compareProfiles({&same_low, &same_high}, {&slow_a, &slow_b}), "hot()");
    EXPECT_EQ(slowed.self.verdict, Verdict::Regression);
}

// The runs of a `record --repeat` profile count in the spread between runs like profiles of
// their own: one profile of two disagreeing runs per side is as undecided as two profiles.
TEST(Compare, RunsOfARepeatedProfileWidenTheIntervalLikeProfiles) {
    const Profile before =
        mergeRuns({syntheticRun({.hot = 0.36, .seed = 1}), syntheticRun({.hot = 0.46, .seed = 2})});
    const Profile after =
        mergeRuns({syntheticRun({.hot = 0.47, .seed = 3}), syntheticRun({.hot = 0.47, .seed = 8})});
    ASSERT_EQ(before.run.runs, 2u);
    const FunctionChange hot = *find(compare(before, after), "hot()");
    EXPECT_NEAR(hot.self.change(), 0.06, 0.01);
    EXPECT_LT(hot.self.low, 0.0);
    EXPECT_EQ(hot.self.verdict, Verdict::Inconclusive);
    const Profile same =
        mergeRuns({syntheticRun({.hot = 0.40, .seed = 4}), syntheticRun({.hot = 0.40, .seed = 5})});
    const Profile slow =
        mergeRuns({syntheticRun({.hot = 0.56, .seed = 6}), syntheticRun({.hot = 0.56, .seed = 7})});
    EXPECT_EQ(find(compare(same, slow), "hot()")->self.verdict, Verdict::Regression);
}

// Everything 50% slower: every share is the same, the CPU seconds are not.
TEST(Compare, CpuSecondsCatchASlowdownOfTheWholeRun) {
    const ProfileComparison comparison =
        compare(syntheticRun({}), syntheticRun({.seed = 2, .sample_us = 1500}));
    const FunctionChange* hot = find(comparison, "hot()");
    ASSERT_NE(hot, nullptr);
    EXPECT_EQ(hot->self.verdict, Verdict::Unchanged);
    EXPECT_EQ(hot->inclusive.verdict, Verdict::Unchanged);
    EXPECT_EQ(hot->cpu.verdict, Verdict::Regression);
    EXPECT_EQ(hot->verdict, Verdict::Regression);
    EXPECT_NEAR(hot->cpu.after / hot->cpu.before, 1.5, 0.05);
    EXPECT_GT(hot->cpu.low, 0.25 * hot->cpu.before);
    EXPECT_LT(hot->cpu.low, hot->cpu.change());
    EXPECT_GT(hot->cpu.high, hot->cpu.change());
    EXPECT_NEAR(comparison.after_cpu_s / comparison.before_cpu_s, 1.5, 1e-9);
}

// A machine 10% slower is within the looser CPU threshold (25%).
TEST(Compare, CpuSecondsToleranceCoversAnotherMachine) {
    const ProfileComparison comparison =
        compare(syntheticRun({}), syntheticRun({.seed = 2, .sample_us = 1100}));
    for (const char* name : {"hot()", "warm()", "main"}) {
        const FunctionChange* change = find(comparison, name);
        ASSERT_NE(change, nullptr) << name;
        EXPECT_EQ(change->cpu.verdict, Verdict::Unchanged) << name;
        EXPECT_EQ(change->verdict, Verdict::Unchanged) << name;
    }
}

TEST(Compare, CpuCheckCanBeTurnedOff) {
    CompareOptions options;
    options.cpu_threshold_relative = 0;
    const Profile before = syntheticRun({});
    const Profile after = syntheticRun({.seed = 2, .sample_us = 1500});
    const ProfileComparison comparison = compareProfiles({&before}, {&after}, options);
    const FunctionChange* hot = find(comparison, "hot()");
    ASSERT_NE(hot, nullptr);
    EXPECT_EQ(hot->cpu.verdict, Verdict::NotChecked);
    EXPECT_EQ(hot->verdict, Verdict::Unchanged);
}

} // namespace
} // namespace hprof
