// End-to-end tests of the hprof executable with a do-nothing probe: the launcher, the
// pre-flight checks, signals and exit statuses, independent of the real probe.
#include "hprof_runs.h"
#include "temp_dir.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>

using namespace hprof::test;

namespace {

class HprofWithEmptyProbe : public ::testing::Test {
  protected:
    HprofWithEmptyProbe() {
        std::filesystem::create_directory(work());
        std::filesystem::create_directory(tmp());
        options.working_dir = work();
        options.environment["HPROF_TMPDIR"] = tmp(); // TMPDIR comes after a roomy /dev/shm
        options.environment["HPROF_PROBE"] = CLI_EMPTY_PROBE;
    }

    std::string work() const { return root.file("work"); }
    std::string tmp() const { return root.file("tmp"); }

    CommandResult run(const std::vector<std::string>& args) {
        return runCommand(hprofCommand(args), options);
    }

    // hprof never leaves a run directory behind, and writes no profile without data.
    void expectNoLeftovers() const {
        EXPECT_TRUE(std::filesystem::is_empty(tmp()));
        EXPECT_TRUE(std::filesystem::is_empty(work()));
    }

    TempDir root;
    ChildOptions options;
};

const std::string kProgram = CLI_TEST_PROGRAM;

// Exactly one line, "hprof: " + something.
void expectOneErrorLine(const std::string& err) {
    const auto lines = linesOf(err);
    ASSERT_EQ(lines.size(), 1u) << err;
    EXPECT_EQ(lines[0].rfind("hprof: ", 0), 0u) << err;
}

} // namespace

TEST_F(HprofWithEmptyProbe, ProgramStatusWinsWhenThereIsNoProfileData) {
    const CommandResult result = run({kProgram, "exit", "3"});
    EXPECT_EQ(result.status, 3);
    EXPECT_EQ(result.out, "exiting 3\n");
    expectOneErrorLine(result.err);
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, CollectFailureAfterSuccessExitsTwo) {
    const CommandResult result = run({"-q", kProgram, "exit", "0"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "exiting 0\n");
    expectOneErrorLine(result.err);
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, ArgumentsAfterTheProgramAreUntouched) {
    const CommandResult result = run({kProgram, "print", "-o", "x", "--", "a b", ""});
    EXPECT_EQ(result.out, "args: -o x -- a b \n");
    EXPECT_FALSE(std::filesystem::exists(root.file("work/x")));
}

TEST_F(HprofWithEmptyProbe, ProgramGetsTheProbeEnvironment) {
    options.environment["LD_PRELOAD"] = "libc.so.6";
    options.environment["ASAN_OPTIONS"] = "verify_asan_link_order=0"; // for -DHPROF_SANITIZE=ON
    EXPECT_EQ(run({kProgram, "env", "LD_PRELOAD"}).out,
              std::string(CLI_EMPTY_PROBE) + ":libc.so.6\n");
    EXPECT_EQ(run({"-F", "250", kProgram, "env", "HPROF_FREQUENCY"}).out, "250\n");
    const std::string run_dir = run({kProgram, "env", "HPROF_RUN_DIR"}).out;
    EXPECT_EQ(run_dir.rfind(tmp() + "/hprof-run-", 0), 0u) << run_dir;
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, ProgramIsFoundInPath) {
    options.environment["PATH"] = std::filesystem::path(kProgram).parent_path().string();
    const CommandResult result =
        run({std::filesystem::path(kProgram).filename().string(), "print", "found"});
    EXPECT_EQ(result.out, "args: found\n");
}

TEST_F(HprofWithEmptyProbe, DeathBySignalIsReported) {
    const CommandResult result = run({kProgram, "kill", std::to_string(SIGUSR1)});
    EXPECT_FALSE(result.killed);
    EXPECT_EQ(result.status, 128 + SIGUSR1);
    const auto lines = linesOf(result.err);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0],
              "hprof: program killed by signal " + std::to_string(SIGUSR1) + " (SIGUSR1)");
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, SigtermIsForwardedToTheProgram) {
    ChildProcess hprof(hprofCommand({kProgram, "wait-term"}), options);
    ASSERT_EQ(hprof.readLine(), "ready");
    kill(hprof.pid(), SIGTERM);
    const CommandResult result = hprof.finish();
    EXPECT_FALSE(result.killed);
    EXPECT_EQ(result.status, 42);
    EXPECT_EQ(result.out, "ready\ngot SIGTERM\n");
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, CtrlCStopsTheProgramButNotHprof) {
    ChildProcess hprof(hprofCommand({kProgram, "wait-kill"}), options);
    ASSERT_EQ(hprof.readLine(), "ready");
    kill(-hprof.pid(), SIGINT); // the terminal signals the whole foreground process group
    const CommandResult result = hprof.finish();
    EXPECT_FALSE(result.killed);
    EXPECT_EQ(result.status, 128 + SIGINT);
    EXPECT_NE(result.err.find("hprof: program killed by signal 2 (SIGINT)\n"), std::string::npos)
        << result.err;
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, MissingProgram) {
    CommandResult result = run({"no-such-program-hprof-test"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: no-such-program-hprof-test: command not found in PATH\n");
    result = run({"./missing", "arg"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: ./missing: No such file or directory\n");
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, DirectoryAndNonExecutableAreRefused) {
    CommandResult result = run({tmp()});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: " + tmp() + ": is a directory\n");
    const std::string plain = root.writeFile("plain", "#!/bin/sh\necho ran\n", 0644);
    result = run({plain});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: " + plain + ": not executable (Permission denied)\n");
}

TEST_F(HprofWithEmptyProbe, SetuidProgramIsRefusedBeforeItRuns) {
    const std::string copy = root.file("setuid-program");
    std::filesystem::copy_file(kProgram, copy);
    std::filesystem::permissions(copy, std::filesystem::perms(04755));
    const CommandResult result = run({copy, "print", "ran"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "hprof: " + copy +
                              ": setuid/setgid program; LD_PRELOAD cannot enter setuid/setgid "
                              "programs\n");
    expectNoLeftovers();
}

TEST_F(HprofWithEmptyProbe, UnwritableOutputIsRefusedBeforeTheProgramRuns) {
    const CommandResult result =
        run({"-o", root.file("missing/p.hprof"), kProgram, "print", "ran"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "hprof: cannot write output " + root.file("missing/p.hprof") +
                              ": No such file or directory\n");
}

TEST_F(HprofWithEmptyProbe, MissingProbeIsRefusedBeforeTheProgramRuns) {
    options.environment["HPROF_PROBE"] = root.file("none.so");
    const CommandResult result = run({kProgram, "print", "ran"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "hprof: probe library not found: " + root.file("none.so") +
                              " (build the hprof_probe target, or set HPROF_PROBE)\n");
}

TEST_F(HprofWithEmptyProbe, UsageErrorsAreOneLineWithStatusTwo) {
    CommandResult result = run({"-F", "0", kProgram});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: bad frequency '0' (expected an integer from 1 to 20000 Hz) "
                          "(see hprof --help)\n");
    result = run({"report", "--x"});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: report: unknown option '--x' (see hprof report --help)\n");
    result = run({});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.err, "hprof: no program given (see hprof --help)\n");
}

TEST_F(HprofWithEmptyProbe, ReportOfAMissingFileIsOneLine) {
    const CommandResult result = run({"report", root.file("none.hprof")});
    EXPECT_EQ(result.status, 2);
    EXPECT_EQ(result.out, "");
    expectOneErrorLine(result.err);
}

TEST_F(HprofWithEmptyProbe, VersionAndHelp) {
    CommandResult result = run({"--version"});
    EXPECT_EQ(result.status, 0);
    EXPECT_EQ(result.out, "hprof " HPROF_VERSION "\n");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"record", "--help"}, {"help", "record"}, {"-h"}, {"report", "--help"}}) {
        result = run(args);
        EXPECT_EQ(result.status, 0) << args[0];
        EXPECT_EQ(result.err, "") << args[0];
        EXPECT_NE(result.out.find("usage: hprof"), std::string::npos) << args[0];
    }
    result = run({"help", "record"});
    for (const char* documented : {"--frequency HZ", "default: 1000", "profile.hprof", ".old",
                                   "HPROF_PROBE", "TMPDIR", "128+N", "setuid"})
        EXPECT_NE(result.out.find(documented), std::string::npos) << documented;
}
