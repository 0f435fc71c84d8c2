// Processes that outlive the program hprof started (samples/outliving.cpp, a python3 double
// fork) keep their data: hprof waits for them (--wait-descendants), learns how they ended, and
// marks a process it stopped waiting for as still running, never as ended.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>

using namespace hprof::test;
using hprof::Process;
using hprof::ProcessId;
using hprof::Profile;

namespace {

const std::string kOutliving = samplePath("outliving");

// The one process other than the first one that runs `command`; fails the test if none.
const Process& outlivingProcess(const Profile& profile, const std::string& command) {
    const std::optional<ProcessId> id = processRunning(profile, command, rootOf(profile));
    if (!id)
        throw std::runtime_error("no process other than the first runs " + command);
    return profile.process(*id);
}

// The CPU time the samples in `function` stand for: on a loaded machine fewer samples are
// taken, but their weights still add up to the CPU time the thread used.
int64_t sampledNsIn(const Profile& profile, const std::string& function) {
    const std::optional<hprof::FunctionStats> stats = statsOf(profile, function);
    return stats ? stats->total_ns : 0;
}

// The CPU time all samples of `process` stand for. Counted by process rather than by function:
// a sample whose stack could not be walked up to the burning function (one taken in the vDSO,
// say) is still data that was kept.
int64_t sampledNsOf(const Profile& profile, const Process& process) {
    int64_t total = 0;
    for (const hprof::Sample& sample : profile.samples) {
        if (&profile.process(profile.thread(sample.thread).process) == &process)
            total += sample.weight_ns;
    }
    return total;
}

// Kills the daemon whose pid the sample wrote, whatever the test's outcome.
class DaemonKiller {
  public:
    explicit DaemonKiller(std::string pid_file) : pid_file_(std::move(pid_file)) {}
    ~DaemonKiller() {
        pid_t pid = 0;
        if (std::ifstream(pid_file_) >> pid && pid > 1)
            kill(pid, SIGKILL);
    }

  private:
    std::string pid_file_;
};

} // namespace

TEST(OutlivingProcesses, DaemonIsInTheProfileWithItsExitStatus) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "outliving", {"daemon"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const Process& daemon = outlivingProcess(profile, kOutliving + " daemon");
    EXPECT_EQ(daemon.exit_status, 7) << run.err;
    EXPECT_EQ(daemon.note, "");
    EXPECT_LE(daemon.end_ns, profile.run.wall_ns);
    // 0.3 s of CPU after the parent exited.
    EXPECT_GE(sampledNsOf(profile, daemon), 250'000'000) << run.err;
    EXPECT_GT(sampledNsIn(profile, "burn_in_daemon"), 0);
}

TEST(OutlivingProcesses, ChildOfAParentThatDoesNotWaitIsThereEveryTime) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        SCOPED_TRACE(attempt);
        const TempDir dir;
        const CommandResult run = recordSample(dir, {}, "outliving", {"leave_child"});
        ASSERT_EQ(run.status, 0) << run.err;
        const Profile profile = recordedProfile(dir);
        const Process& child = outlivingProcess(profile, kOutliving + " leave_child");
        EXPECT_EQ(child.exit_status, 5) << run.err;
        EXPECT_EQ(child.parent.value, rootOf(profile).value);
        EXPECT_GE(sampledNsOf(profile, child), 250'000'000) << run.err;
        EXPECT_GT(sampledNsIn(profile, "burn_in_orphan"), 0);
    }
}

TEST(OutlivingProcesses, StopsWaitingAfterTheTimeoutAndMarksTheDaemonPartial) {
    const TempDir dir;
    const std::string pid_file = dir.file("daemon.pid");
    const DaemonKiller killer(pid_file);
    const CommandResult run =
        recordSample(dir, {"--wait-descendants=1s"}, "outliving", {"daemon_forever", pid_file});
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.status, 0) << run.err; // the program's status
    const std::vector<std::string> cut = linesContaining(run.err, "stopped waiting after 1s");
    ASSERT_EQ(cut.size(), 1u) << run.err;
    pid_t daemon_pid = 0;
    ASSERT_TRUE(std::ifstream(pid_file) >> daemon_pid);
    EXPECT_NE(cut.front().find(std::to_string(daemon_pid) + " (" + kOutliving + " daemon_forever " +
                               pid_file + ")"),
              std::string::npos)
        << cut.front();

    const Profile profile = recordedProfile(dir);
    const Process& daemon = outlivingProcess(profile, kOutliving + " daemon_forever " + pid_file);
    EXPECT_EQ(daemon.pid, daemon_pid);
    EXPECT_EQ(daemon.note, "still running when collected");
    EXPECT_FALSE(daemon.exit_status);
    EXPECT_GT(sampledNsIn(profile, "spin_in_daemon"), 0);
    const std::string warning = "process " + std::to_string(daemon_pid) + " (";
    EXPECT_TRUE(std::ranges::any_of(profile.run.warnings, [&](const std::string& line) {
        return line.starts_with(warning) && line.find("still running when collected") != line.npos;
    }));
}

// Without waiting, a daemon that the collector finds (its stream may not exist yet) is still
// writing its stream: it must be marked partial, never shown as ended.
TEST(OutlivingProcesses, WaitDescendantsZeroDoesNotWaitAndNeverCallsARunningDaemonEnded) {
    const TempDir dir;
    const std::string pid_file = dir.file("daemon.pid");
    const DaemonKiller killer(pid_file);
    const CommandResult run =
        recordSample(dir, {"--wait-descendants=0"}, "outliving", {"daemon_forever", pid_file});
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(linesContaining(run.err, "waiting").empty()) << run.err;
    const Profile profile = recordedProfile(dir);
    const ProcessId root = rootOf(profile);
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (i == root.value)
            continue;
        EXPECT_EQ(profile.processes[i].note, "still running when collected");
        EXPECT_FALSE(profile.processes[i].exit_status);
    }
}

// A real program: python3 forks a child that forks a grandchild and exits at once; the parent
// reaps the child, and the grandchild, orphaned, works 0.3 s of CPU and exits with 3.
TEST(OutlivingProcesses, PythonDoubleForkGrandchildIsThere) {
    const std::string script = R"(import os, time
if os.fork() == 0:
    if os.fork() == 0:
        start = time.process_time()
        while time.process_time() - start < 0.3:
            pass
        os._exit(3)
    os._exit(0)
os.wait()
)";
    const TempDir dir;
    const CommandResult run =
        runHprof({"-q", "-o", "profile.hprof", "/usr/bin/python3", "-c", script}, dir);
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    std::optional<ProcessId> grandchild;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].exit_status == 3)
            grandchild = ProcessId(i);
    }
    ASSERT_TRUE(grandchild) << "no process ended with 3\n" << run.err;
    EXPECT_EQ(linksUpTo(profile, *grandchild, rootOf(profile)), 2);
    int64_t cpu_ns = 0;
    for (const hprof::Sample& sample : profile.samples) {
        if (profile.thread(sample.thread).process == *grandchild)
            cpu_ns += sample.weight_ns;
    }
    EXPECT_GE(cpu_ns, 200'000'000) << run.err;
}
