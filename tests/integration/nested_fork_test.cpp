// Processes that fork again without exec, with threads alive, and dlopen in a fork child: what
// shells ($(...), subshells, pipelines), make recipes and daemons do. These once hung forever
// under hprof: the probe's after-fork handler could not unlock, in the child, a mutex the
// parent's thread had locked before fork, so the child's next fork or dlopen waited for ever.
// Every run here has a deadline well below ctest's: a hang fails the test with a message.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace hprof::test;
using hprof::Process;
using hprof::ProcessId;
using hprof::Profile;

namespace {

constexpr double kSecondsForAShortRun = 60; // each of these runs takes well under 5 s

CommandResult runHprofBounded(const std::vector<std::string>& args, const TempDir& dir) {
    ChildOptions options{dir.path()};
    options.seconds_to_finish = kSecondsForAShortRun;
    return runCommand(hprofCommand(args), options);
}

// Runs `script` with `shell` under hprof; the run must end by itself, exit 0 and leave a profile.
Profile profileShell(const TempDir& dir, const std::string& shell, const std::string& script,
                     CommandResult& run) {
    run = runHprofBounded({"-q", "-o", "profile.hprof", shell, "-c", script}, dir);
    EXPECT_FALSE(run.timed_out) << "hprof hung on: " << script;
    EXPECT_EQ(run.status, 0) << run.err;
    return recordedProfile(dir);
}

// Processes of the profile that reach the run's first process through `links` parent links.
size_t processesAtDepth(const Profile& profile, int links) {
    const ProcessId root = rootOf(profile);
    size_t found = 0;
    for (size_t i = 0; i < profile.processes.size(); ++i)
        found += linksUpTo(profile, ProcessId(uint32_t(i)), root) == links;
    return found;
}

TEST(NestedFork, CommandSubstitutionWithAPipeline) {
    const TempDir dir;
    CommandResult run;
    const Profile profile = profileShell(dir, "/bin/sh", "x=$(ls / | wc -l); echo $x", run);
    ASSERT_EQ(linesOf(run.out).size(), 1u) << run.out;
    EXPECT_GT(std::stoi(run.out), 0);
    // sh, the subshell of $(...), and ls and wc forked from it.
    EXPECT_GE(profile.processes.size(), 4u);
    EXPECT_GE(processesAtDepth(profile, 2), 2u);
}

TEST(NestedFork, SubshellsFourDeep) {
    const TempDir dir;
    CommandResult run;
    // The commands after each subshell keep the shell from exec'ing into its last command.
    const std::string script = "(echo 1; (echo 2; (echo 3; (echo 4; " + samplePath("phases") +
                               " 0.05; true); true); "
                               "true); true); true";
    const Profile profile = profileShell(dir, "/bin/sh", script, run);
    const std::vector<std::string> lines = linesOf(run.out);
    ASSERT_GE(lines.size(), 5u) << run.out;
    EXPECT_EQ(std::vector<std::string>(lines.begin(), lines.begin() + 4),
              (std::vector<std::string>{"1", "2", "3", "4"}));
    const std::optional<ProcessId> phases = processRunning(profile, samplePath("phases") + " 0.05");
    ASSERT_TRUE(phases);
    const std::optional<int> links = linksUpTo(profile, *phases, rootOf(profile));
    ASSERT_TRUE(links);
    EXPECT_GE(*links, 4); // four subshells between the script's shell and the program
    const hprof::SampleFilter own =
        hprof::resolveFilter(profile, {.pids = {profile.process(*phases).pid}});
    EXPECT_TRUE(statsOf(profile, "phase_one", own));
}

TEST(NestedFork, BashPipelineInsideCommandSubstitution) {
    const TempDir dir;
    CommandResult run;
    profileShell(dir, "/bin/bash", "y=$( (echo a; echo b) | wc -l ); z=$(echo $(echo $y)); echo $z",
                 run);
    EXPECT_EQ(run.out, "2\n");
}

// Each level has two threads burning CPU when it forks the next; the last level dlopens a
// library and forks a child that dlopens it again.
TEST(NestedFork, ForkChainWithThreadsAndDlopenInAGrandchild) {
    const TempDir dir;
    const CommandResult run =
        runHprofBounded({"-q", "-o", "profile.hprof", samplePath("fork_chain"), "3"}, dir);
    ASSERT_FALSE(run.timed_out) << "hprof hung";
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "level 3 ok\nlevel 2 ok\nlevel 1 ok\nlevel 0 ok\n");
    EXPECT_TRUE(linesContaining(run.err, "warning").empty()) << run.err;
    const Profile profile = recordedProfile(dir);
    ASSERT_EQ(profile.processes.size(), 5u); // four levels and the last one's child
    for (int depth = 0; depth <= 3; ++depth) {
        SCOPED_TRACE("level " + std::to_string(depth));
        ASSERT_EQ(processesAtDepth(profile, depth), 1u);
    }
    for (const Process& process : profile.processes) {
        SCOPED_TRACE(process.pid);
        EXPECT_EQ(process.exit_status, 0);
    }
    // Every level's threads are sampled after the forks, in every process but the last child.
    for (size_t i = 0; i + 1 < profile.processes.size(); ++i) {
        const hprof::SampleFilter own =
            hprof::resolveFilter(profile, {.pids = {profile.processes[i].pid}});
        EXPECT_TRUE(statsOf(profile, "burn_cpu_in_chain", own)) << profile.processes[i].pid;
    }
}

// make -j2 of a small C project whose recipes use $(...): make forks a shell per recipe, the
// shell forks for each substitution, and the compiler driver starts cc1 and as.
TEST(NestedFork, MakeWithTwoJobsAndCommandSubstitutionsInRecipes) {
    const TempDir dir;
    for (int i = 0; i < 4; ++i) {
        std::ofstream source(dir.file("part" + std::to_string(i) + ".c"));
        source << "int part" << i << "(int x) { return x * " << i + 2 << "; }\n";
    }
    std::ofstream(dir.file("main.c")) << "int part0(int);\nint main(void) { return part0(0); }\n";
    std::ofstream(dir.file("Makefile"))
        << "OBJECTS := main.o part0.o part1.o part2.o part3.o\n"
           "program: $(OBJECTS)\n"
           "\tcc -o $@ $(OBJECTS) && echo \"linked $$(ls $(OBJECTS) | wc -l) objects\"\n"
           "%.o: %.c\n"
           "\tcc -c $< -o $@ && test \"$$(wc -c < $@)\" -gt 0\n";
    const CommandResult run =
        runHprofBounded({"-q", "-o", "profile.hprof", "make", "-s", "-j2"}, dir);
    ASSERT_FALSE(run.timed_out) << "hprof hung on make -j2";
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "linked 5 objects\n");
    const Profile profile = recordedProfile(dir);
    size_t compilers = 0;
    for (const Process& process : profile.processes) {
        EXPECT_EQ(process.exit_status.value_or(0), 0) << process.command;
        // The program's own name, not any word: as's arguments are gcc's temporary files,
        // /tmp/ccXXXXXX.s, whose random part may start with "1" (6 "compilers" seen in CI).
        const std::string program = process.command.substr(0, process.command.find(' '));
        compilers += program.ends_with("/cc1") || program == "cc1";
    }
    EXPECT_EQ(compilers, 5u); // one cc1 per source file, each reached through make and a shell
}

} // namespace
