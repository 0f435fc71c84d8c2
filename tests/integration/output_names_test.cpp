// `hprof record -o` names for jobs (issue 14): directory targets, and the templates filled from
// the environment a real srun gives each task (SLURM_PROCID, SLURM_NTASKS, SLURM_JOB_ID, and
// SLURM_ARRAY_JOB_ID / SLURM_ARRAY_TASK_ID for a job array's task).
#include "hprof/profile_io.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <unistd.h>

namespace hprof::test {
namespace {

std::vector<std::string> filesIn(const std::string& directory) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(directory))
        names.push_back(entry.path().filename());
    return names;
}

std::string hostName() {
    char name[HOST_NAME_MAX + 1] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

CommandResult recordWith(const TempDir& dir, const std::string& output,
                         std::map<std::string, std::optional<std::string>> environment = {}) {
    const std::vector<std::string> command =
        hprofCommand({"-q", "-o", output, samplePath("exit_status"), "0"});
    return ChildProcess(command, {.working_dir = dir.path(), .environment = environment}).finish();
}

TEST(OutputNames, ADirectoryTargetNamesTheFileByProgramHostAndPid) {
    const TempDir dir;
    std::filesystem::create_directory(dir.file("existing"));
    for (const std::string output : {"existing", "made/"}) {
        SCOPED_TRACE(output);
        const CommandResult run = recordWith(dir, output);
        ASSERT_EQ(run.status, 0) << run.err;
        const std::vector<std::string> files = filesIn(dir.file(output));
        ASSERT_EQ(files.size(), 1u);
        const Profile profile = readProfile(dir.file(output) + "/" + files[0]);
        const int32_t pid = profile.processes[rootOf(profile).value].pid;
        EXPECT_EQ(files[0], "exit_status-" + hostName() + "-" + std::to_string(pid) + ".hprof");
    }
}

TEST(OutputNames, AnSrunTaskIsNamedAndRecordedByRankAndJob) {
    const TempDir dir;
    const CommandResult run =
        recordWith(dir, "job-%j-%r.hprof",
                   {{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "2"}, {"SLURM_JOB_ID", "4321"}});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(filesIn(dir.path()), std::vector<std::string>{"job-4321-1.hprof"});
    const Profile profile = readProfile(dir.file("job-4321-1.hprof"));
    EXPECT_EQ(profile.run.job_id, "4321");
    EXPECT_EQ(profile.run.world_size, 2);
    for (const Process& process : profile.processes)
        EXPECT_EQ(process.rank, 1) << process.command;
}

TEST(OutputNames, AJobArrayTaskIsNamedByArrayJobAndTask) {
    const TempDir dir;
    const CommandResult run = recordWith(dir, "task-%j.hprof",
                                         {{"SLURM_JOB_ID", "4322"},
                                          {"SLURM_ARRAY_JOB_ID", "4320"},
                                          {"SLURM_ARRAY_TASK_ID", "2"},
                                          {"SLURM_PROCID", "0"}});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(filesIn(dir.path()), std::vector<std::string>{"task-4320_2.hprof"});
    EXPECT_EQ(readProfile(dir.file("task-4320_2.hprof")).run.job_id, "4320_2");
}

TEST(OutputNames, ABadTemplateStopsBeforeTheProgramStarts) {
    const TempDir dir;
    const CommandResult run = recordWith(dir, "job-%x.hprof");
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find("unknown '%x' in output name"), std::string::npos) << run.err;
    EXPECT_TRUE(filesIn(dir.path()).empty());
}

} // namespace
} // namespace hprof::test
