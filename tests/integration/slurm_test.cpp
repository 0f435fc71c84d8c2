// Real Slurm (issue 14): a one-machine cluster (slurmctld and slurmd on this host, a minimal
// slurm.conf with auth/none, in a temporary directory, stopped with the test), `srun -n 2 hprof
// ...` and a two-task job array under sbatch. Built when CMake finds Slurm's programs
// (tests/integration/CMakeLists.txt); slurmd runs jobs as root here, as CI does.
#include "files.h"
#include "hprof/profile_io.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <climits>
#include <ctime>
#include <filesystem>
#include <regex>
#include <unistd.h>

namespace hprof::test {
namespace {

std::string shortHostName() {
    char name[HOST_NAME_MAX + 1] = {};
    gethostname(name, sizeof name - 1);
    std::string host = name;
    return host.substr(0, host.find('.'));
}

double monotonicSeconds() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

// Polls `condition` every 0.1 s for at most 30 s: the daemons give no other signal.
template <class Condition> bool eventually(Condition condition) {
    const double deadline = monotonicSeconds() + 30;
    while (monotonicSeconds() < deadline) {
        if (condition())
            return true;
        timespec pause{0, 100'000'000};
        nanosleep(&pause, nullptr);
    }
    return false;
}

// slurmctld and slurmd of a one-node cluster, with everything (state, spool, logs) in `dir`.
// Ports depend on the pid so that two test runs on one machine do not meet.
class LocalSlurm {
  public:
    explicit LocalSlurm(const TempDir& dir) : dir_(dir) {
        std::filesystem::create_directories(dir.file("slurm/state"));
        std::filesystem::create_directories(dir.file("slurm/spool"));
        writeFile(conf(), configuration());
        controller_.emplace(daemon(SLURMCTLD, "slurmctld.out"), options());
        node_.emplace(daemon(SLURMD, "slurmd.out"), options());
    }

    // Waits (at most 30 s) until the node is idle: the controller answers and slurmd registered.
    bool ready() const {
        return eventually([&] {
            const CommandResult state = run({SINFO, "-h", "-o", "%T"});
            return state.status == 0 && state.out == "idle\n";
        });
    }

    // Waits (at most 30 s) until job `id` (all of an array's tasks) has left the queue: sbatch
    // --wait polls at growing intervals (it took 11 s here for a job of 0.2 s).
    bool finished(const std::string& id) const {
        return eventually([&] {
            const CommandResult queue = run({SQUEUE, "-h", "-j", id, "-o", "%i"});
            return queue.status == 0 && queue.out.empty();
        });
    }

    CommandResult run(const std::vector<std::string>& argv) const {
        return ChildProcess(argv, options()).finish();
    }

    std::string logs() const {
        std::string text;
        for (const char* log : {"slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out"})
            if (std::filesystem::exists(dir_.file("slurm/" + std::string(log))))
                text += readFile(dir_.file("slurm/" + std::string(log)));
        return text;
    }

  private:
    std::string conf() const { return dir_.file("slurm/slurm.conf"); }

    ChildOptions options() const {
        return {.working_dir = dir_.path(),
                .environment = {{"SLURM_CONF", conf()}},
                .seconds_to_finish = 60};
    }

    std::vector<std::string> daemon(const std::string& program, const std::string& out) const {
        return {"/bin/sh", "-c",   "exec \"$0\" -D -f \"$1\" > \"$2\" 2>&1",
                program,   conf(), dir_.file("slurm/" + out)};
    }

    std::string configuration() const {
        const int port = 20000 + 2 * (getpid() % 10000);
        const std::string host = shortHostName();
        const std::string slurm = dir_.file("slurm");
        return "ClusterName=hproftest\nSlurmctldHost=" + host +
               "\nSlurmctldPort=" + std::to_string(port) +
               "\nSlurmdPort=" + std::to_string(port + 1) +
               "\nAuthType=auth/none\nCredType=cred/none\nSlurmUser=root\nSlurmdUser=root\n"
               "StateSaveLocation=" +
               slurm + "/state\nSlurmdSpoolDir=" + slurm + "/spool\n" +
               "SlurmctldPidFile=" + slurm + "/slurmctld.pid\nSlurmdPidFile=" + slurm +
               "/slurmd.pid\nSlurmctldLogFile=" + slurm + "/slurmctld.log\nSlurmdLogFile=" + slurm +
               "/slurmd.log\n" +
               "ProctrackType=proctrack/pgid\nTaskPlugin=task/none\n"
               "SelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
               "SchedulerType=sched/builtin\nMpiDefault=none\nReturnToService=2\n"
               "JobCompType=jobcomp/none\nAccountingStorageType=accounting_storage/none\n"
               "PlugStackConfig=/dev/null\n"
               "NodeName=" +
               host + " CPUs=2 State=UNKNOWN\n" + "PartitionName=debug Nodes=" + host +
               " Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4\n";
    }

    const TempDir& dir_;
    std::optional<ChildProcess> controller_; // killed (with its process group) on destruction
    std::optional<ChildProcess> node_;
};

// The names in `dir` that match `pattern`, sorted.
std::vector<std::string> filesMatching(const TempDir& dir, const std::string& pattern) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (std::regex_match(entry.path().filename().string(), std::regex(pattern)))
            names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

TEST(Slurm, SrunGivesOneProfilePerTaskNamedByJobAndRank) {
    const TempDir dir;
    const LocalSlurm slurm(dir);
    ASSERT_TRUE(slurm.ready()) << slurm.logs();
    const std::vector<std::string> srun = {SRUN, "-n", "2"};
    std::vector<std::string> bare = srun;
    bare.insert(bare.end(), {samplePath("exit_status"), "3"});
    EXPECT_EQ(slurm.run(bare).status, 3) << slurm.logs();
    std::vector<std::string> profiled = srun;
    const std::vector<std::string> hprof =
        hprofCommand({"-q", "-o", "job-%j-%r.hprof", samplePath("exit_status"), "3"});
    profiled.insert(profiled.end(), hprof.begin(), hprof.end());
    const CommandResult run = slurm.run(profiled);
    EXPECT_EQ(run.status, 3) << run.err;
    const std::vector<std::string> files = filesMatching(dir, "job-[0-9]+-[01]\\.hprof");
    ASSERT_EQ(files.size(), 2u) << run.err;
    const std::string job_id = files[0].substr(4, files[0].rfind('-') - 4);
    for (int rank : {0, 1}) {
        const Profile profile =
            readProfile(dir.file("job-" + job_id + "-" + std::to_string(rank) + ".hprof"));
        EXPECT_EQ(profile.run.job_id, job_id);
        EXPECT_EQ(profile.run.world_size, 2);
        EXPECT_EQ(profile.processes.at(rootOf(profile).value).rank, rank);
        EXPECT_EQ(profile.run.exit_status, 3);
    }
}

TEST(Slurm, AJobArrayGivesOneProfilePerTask) {
    const TempDir dir;
    const LocalSlurm slurm(dir);
    ASSERT_TRUE(slurm.ready()) << slurm.logs();
    std::string script = "#!/bin/sh\nexec";
    for (const std::string& word :
         hprofCommand({"-q", "-o", "task-%j.hprof", samplePath("exit_status"), "0"}))
        script += " '" + word + "'";
    writeFile(dir.file("task.sh"), script + "\n");
    const CommandResult run = slurm.run(
        {SBATCH, "--parsable", "--array=0-1", "-o", "/dev/null", "-e", "task-%a.err", "task.sh"});
    ASSERT_EQ(run.status, 0) << run.err << slurm.logs();
    ASSERT_TRUE(slurm.finished(run.out.substr(0, run.out.find_first_of(";\n")))) << slurm.logs();
    const std::vector<std::string> files = filesMatching(dir, "task-[0-9]+_[01]\\.hprof");
    ASSERT_EQ(files.size(), 2u) << run.out << run.err;
    for (const std::string& file : files) {
        const Profile profile = readProfile(dir.file(file));
        EXPECT_EQ("task-" + profile.run.job_id + ".hprof", file);
    }
    EXPECT_NE(files[0].substr(0, files[0].find('_')), "task-"); // the array's job id
    EXPECT_EQ(files[0].substr(0, files[0].find('_')), files[1].substr(0, files[1].find('_')));
}

} // namespace
} // namespace hprof::test
