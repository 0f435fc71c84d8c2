// hprof on a shell script (samples/run_several.sh): the shell and every program it runs, in the
// foreground one after the other or in the background, is a process of the profile, started by
// the shell, with its own command line and samples.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace hprof::test;
using hprof::Process;
using hprof::ProcessId;
using hprof::Profile;

namespace {

struct ScriptProgram {
    std::string command;
    std::string function; // where it burns
};

TEST(ShellScript, EveryProgramIsAProcessOfTheShell) {
    const TempDir dir;
    const std::string script = samplePath("run_several.sh");
    const CommandResult run = runHprof({"-o", "profile.hprof", script}, dir);
    ASSERT_EQ(run.status, 0) << run.err;
    // The background program's line may come anywhere.
    std::vector<std::string> output = linesOf(run.out);
    std::sort(output.begin(), output.end());
    EXPECT_EQ(output, (std::vector<std::string>{
                          "parallel_burn: 1 threads x 0.200 s", "phases: 2 x 0.100 s",
                          "split: spend_half=0.45 spend_thirty=0.30 spend_twenty=0.15 "
                          "burn_in_library=0.10"}));
    const Profile profile = recordedProfile(dir);
    const ProcessId shell_id = rootOf(profile);
    const Process& shell = profile.process(shell_id);
    EXPECT_EQ(shell.command, "/bin/sh " + script);
    EXPECT_EQ(shell.exit_status, 0);

    const std::vector<ScriptProgram> programs{
        {samplePath("parallel_burn") + " 1 0.2", "burn_in_parallel"},
        {samplePath("phases") + " 0.1", "phase_one"},
        {samplePath("split") + " 0.2", "spend_half"}};
    std::vector<const Process*> started;
    for (const ScriptProgram& program : programs) {
        SCOPED_TRACE(program.command);
        const std::optional<ProcessId> id = processRunning(profile, program.command);
        ASSERT_TRUE(id);
        const Process& process = profile.process(*id);
        EXPECT_TRUE(process.profiled);
        EXPECT_EQ(process.ppid, shell.pid);
        EXPECT_EQ(process.exit_status, 0);
        // dash vforks a foreground command (the child execs at once: the shell is the parent)
        // and forks a background one (the program replaced a fork child, a shell too).
        const std::optional<int> links = linksUpTo(profile, *id, shell_id);
        ASSERT_TRUE(links);
        EXPECT_LE(*links, 2);
        EXPECT_EQ(profile.process(process.parent).command, shell.command);
        const hprof::SampleFilter own = hprof::resolveFilter(profile, {.pids = {process.pid}});
        EXPECT_TRUE(statsOf(profile, program.function, own));
        EXPECT_LE(process.end_ns, shell.end_ns);
        started.push_back(&process);
    }
    // phases, then split, in the foreground.
    EXPECT_LE(started[1]->end_ns, started[2]->start_ns);

    // The process table names each of them with the shell's pid as ppid.
    const CommandResult table = runHprof({"report", "profile.hprof", "--by", "process"}, dir);
    ASSERT_EQ(table.status, 0) << table.err;
    for (const ScriptProgram& program : programs) {
        const std::vector<std::string> rows = linesContaining(table.out, program.command);
        ASSERT_EQ(rows.size(), 1u) << table.out;
        EXPECT_NE(rows[0].find(" " + std::to_string(shell.pid) + " "), std::string::npos)
            << rows[0];
    }
}

} // namespace
