// An existing profile is never overwritten: it becomes FILE.old.
#include "files.h"
#include "hprof_runs.h"

#include "hprof/profile_io.h"

#include <gtest/gtest.h>

using namespace hprof::test;

namespace {

// The program path the profile at `path` was recorded from.
std::string recordedProgram(const std::string& path) {
    const hprof::Profile profile = hprof::readProfile(path);
    return profile.run.command.empty() ? "" : profile.run.command.front();
}

struct ProgramRun {
    std::vector<std::string> command; // sample and its arguments
    int status;
};

} // namespace

TEST(OutputFile, OutputNotOverwritten) {
    const TempDir dir;
    const std::string output = "run.hprof";
    // Three different programs, so that each profile can be told apart by its command.
    const std::vector<ProgramRun> runs{
        {{samplePath("exit_status"), "0"}, 0},
        {{samplePath("split"), "0.1"}, 0},
        {{samplePath("exit_underscore")}, 3},
    };
    for (size_t i = 0; i < runs.size(); ++i) {
        SCOPED_TRACE(runs[i].command.front());
        std::vector<std::string> args{"-q", "-o", output};
        args.insert(args.end(), runs[i].command.begin(), runs[i].command.end());
        const CommandResult run = runHprof(args, dir);
        EXPECT_EQ(run.status, runs[i].status) << run.err;
        EXPECT_EQ(linesContaining(run.err, output + ".old").size(), i == 0 ? 0u : 1u) << run.err;
        EXPECT_EQ(recordedProgram(dir.file(output)), runs[i].command.front());
        if (i == 0)
            EXPECT_FALSE(fileExists(dir.file(output + ".old")));
        else
            EXPECT_EQ(recordedProgram(dir.file(output + ".old")), runs[i - 1].command.front());
    }
}
