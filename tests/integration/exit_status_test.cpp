// hprof stands in for the program: its exit status (or death by a signal) and its stdout come
// through unchanged, and the CPU time it burned before the end is in the profile.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace hprof::test;

namespace {

// Runs a sample that burns ~0.3 s in `function`, prints `last_words` and then ends itself.
void expectEndWithProfile(const std::string& sample, int status, const std::string& last_words,
                          std::string_view function) {
    SCOPED_TRACE(sample);
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, sample);
    EXPECT_EQ(run.status, status) << run.err;
    EXPECT_EQ(run.out, last_words + "\n");
    // 0.3 s of CPU by the thread's own clock: the samples kept stand for at least 0.25 s of it
    // (their weights are that clock's steps, so a loaded machine's fewer samples weigh more;
    // counting samples, 195 of a floor of 200 failed in CI).
    EXPECT_GE(sampledSecondsOf(recordedProfile(dir), function), 0.25) << run.err;
}

} // namespace

TEST(ExitStatusPassThrough, ExitCodes) {
    for (const int code : {0, 3, 42}) {
        SCOPED_TRACE(code);
        const TempDir dir;
        const CommandResult run = recordSample(dir, {}, "exit_status", {std::to_string(code)});
        EXPECT_EQ(run.status, code) << run.err;
        EXPECT_EQ(run.out, "");
    }
}

TEST(ExitStatusPassThrough, CrashIsSignal11) {
    expectEndWithProfile("crash", 128 + SIGSEGV, "crashing now", "burn_before_crash");
}

TEST(ExitStatusPassThrough, AbortIsSignal6) {
    expectEndWithProfile("abort_after_work", 128 + SIGABRT, "aborting now", "burn_before_abort");
}

TEST(ExitStatusPassThrough, UnderscoreExitKeepsStatusAndSamples) {
    expectEndWithProfile("exit_underscore", 3, "calling _exit(3)", "burn_before_exit");
}

TEST(ExitStatusPassThrough, SigkillIsSignal9) {
    const TempDir dir;
    ChildProcess hprof(hprofCommand({"-q", "-o", "profile.hprof", samplePath("spin_forever")}),
                       {dir.path()});
    ASSERT_EQ(hprof.readLine(), "ready");
    const std::vector<pid_t> children = childrenOf(hprof.pid());
    ASSERT_EQ(children.size(), 1u) << "the program must be hprof's only child";
    ASSERT_TRUE(waitForCpuTime(children.front(), 0.2)); // samples to find in the profile
    ASSERT_EQ(kill(children.front(), SIGKILL), 0);
    const CommandResult run = hprof.finish();
    EXPECT_EQ(run.status, 128 + SIGKILL) << run.err;
    EXPECT_EQ(linesContaining(run.err, "killed by signal 9").size(), 1u) << run.err;
    EXPECT_EQ(run.out, "ready\n"); // all of stdout, including the line read above
    EXPECT_GE(sampledSecondsOf(recordedProfile(dir), "spin_until_killed"), 0.15)
        << run.err; // of 0.2 s or more
}
