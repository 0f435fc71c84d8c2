// `hprof check` and `hprof diff` on cProfile files of the system python3, read directly: an
// unchanged rerun passes, a run whose hot() does twice the work fails naming hot(), diff lists
// hot() first, and a sampled .hprof is not compared with a pstats file.
//
// The script profiles itself with cProfile on the process' CPU clock (time.process_time) rather
// than cProfile's default wall clock: on a loaded machine a wall clock charges the time the
// process waited for a CPU to whatever function it was in, which would move shares by more than
// the threshold. hot() and steady() alternate 20 times, so no phase of the run favours either,
// and the slowed run doubles a function holding half of the time (50% -> 67%, three times the
// threshold). Each function runs about 0.6 s: the CPU clock of this virtual machine can jump by
// 100 ms in one step under load (docs/design.md), which in a 0.1 s run made one function 75% of
// an unchanged baseline (CI, twice); in a 1.2 s run such a step moves a share by under 4 points,
// below the threshold of 5. Each run takes about 1.5-2 s.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

namespace hprof::test {
namespace {

constexpr const char* kPythonProgram = R"(import cProfile, sys, time

def hot(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def steady(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def main(factor):
    for _ in range(20):
        hot(500000 * factor)
        steady(500000)

profiler = cProfile.Profile(time.process_time)
profiler.runcall(main, int(sys.argv[1]))
profiler.dump_stats(sys.argv[2])
)";

class ImportCheck : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        dir_->writeFile("prog.py", kPythonProgram);
        profile("1", "base.prof");
        profile("1", "same.prof");
        profile("2", "slow.prof");
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static void profile(const std::string& factor, const std::string& output) {
        ChildOptions options;
        options.working_dir = dir_->path();
        options.seconds_to_finish = 60;
        const CommandResult run = runCommand({PYTHON3, "prog.py", factor, output}, options);
        ASSERT_EQ(run.status, 0) << run.err;
    }
    static CommandResult hprof(const std::vector<std::string>& args) {
        return runHprof(args, *dir_);
    }
    static TempDir* dir_;
};

TempDir* ImportCheck::dir_ = nullptr;

// Two runs per side, as docs/import.md advises: one pstats run per side has no measure of the
// machine's noise, and a loaded VM's CPU clock steps (docs/design.md) moved an unchanged run's
// shares by 4.5 points in CI. With two, the spread of each side sets the interval.
TEST_F(ImportCheck, UnchangedRerunPasses) {
    profile("1", "base2.prof");
    profile("1", "same2.prof");
    const CommandResult run =
        hprof({"check", "same.prof", "same2.prof", "--baseline", "base.prof", "base2.prof"});
    EXPECT_EQ(run.status, 0) << run.out << run.err;
    EXPECT_TRUE(run.out.starts_with("hprof check: unchanged (baseline ") ||
                run.out.starts_with("hprof check: inconclusive (baseline "))
        << run.out;
    EXPECT_NE(run.out.find(" s measured, current "), std::string::npos) << run.out;
}

TEST_F(ImportCheck, SlowedFunctionFailsTheCheckByName) {
    const CommandResult run = hprof({"check", "slow.prof", "--baseline", "base.prof"});
    EXPECT_EQ(run.status, 1) << run.out << run.err;
    const size_t regressions = run.out.find("Regressions:\n  hot at ");
    ASSERT_NE(regressions, std::string::npos) << run.out;
    EXPECT_NE(run.out.find("prog.py:3", regressions), std::string::npos) << run.out;
    // One profile per side: the interval is the measured change itself.
    EXPECT_NE(run.out.find("self share"), std::string::npos) << run.out;
}

TEST_F(ImportCheck, DiffListsTheSlowedFunctionFirst) {
    const CommandResult run = hprof({"diff", "base.prof", "slow.prof"});
    ASSERT_EQ(run.status, 0) << run.err;
    const std::vector<std::string> lines = linesOf(run.out);
    ASSERT_GE(lines.size(), 3u) << run.out;
    EXPECT_NE(lines[0].find("profile(s)"), std::string::npos) << lines[0];
    EXPECT_EQ(lines[2].rfind("regression", 0), 0u) << run.out;
    EXPECT_NE(lines[2].find("  hot at "), std::string::npos) << run.out;
    const CommandResult json = hprof({"diff", "--format", "json", "base.prof", "slow.prof"});
    ASSERT_EQ(json.status, 0) << json.err;
    EXPECT_NE(json.out.find("\"exact_times\": true"), std::string::npos) << json.out;
}

TEST_F(ImportCheck, SampledAndPstatsProfilesAreNotMixed) {
    ASSERT_EQ(hprof({"-q", "-o", "sampled.hprof", samplePath("split"), "0.05"}).status, 0);
    for (const auto& args :
         {std::vector<std::string>{"check", "slow.prof", "--baseline", "sampled.hprof"},
          std::vector<std::string>{"diff", "sampled.hprof", "base.prof"}}) {
        const CommandResult run = hprof(args);
        EXPECT_EQ(run.status, 3) << run.out << run.err;
        const std::vector<std::string> lines = linesOf(run.err);
        ASSERT_EQ(lines.size(), 1u) << run.err;
        EXPECT_NE(lines[0].find("cannot compare a sampled profile with one imported from pstats"),
                  std::string::npos)
            << lines[0];
    }
}

} // namespace
} // namespace hprof::test
