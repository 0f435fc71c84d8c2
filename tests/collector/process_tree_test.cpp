// collect() links the processes of a run: parents, exec'd images, children that never loaded
// the probe, and exit statuses (ChildExit record > own ProcessEnd > the launcher's status).
#include "hprof/collector.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sys/wait.h>

namespace hprof::testing {
namespace {

using test::TempDir;

constexpr uint64_t kStart = 5'000'000'000; // CLOCK_MONOTONIC of the first process
constexpr uint64_t kMs = 1'000'000;

// waitpid statuses, as the kernel encodes them.
constexpr int exited(int code) {
    return code << 8;
}
constexpr int killedBy(int signal) {
    return signal;
}

class ProcessTreeTest : public ::testing::Test {
  protected:
    // A stream whose process starts `start_ms` after kStart; `records` adds its records.
    template <class Records>
    void stream(const std::string& name, int32_t pid, int32_t ppid, uint64_t start_ms,
                const std::vector<std::string>& argv, Records records) {
        RawStreamWriter writer(dir.file(name), {.pid = pid,
                                                .ppid = ppid,
                                                .start_monotonic_ns = at(start_ms),
                                                .dropped_samples = 0,
                                                .frequency_hz = 1000,
                                                .trigger = raw::Trigger::PerfTaskClock});
        writer.process(at(start_ms), argv, "/bin/" + argv.front());
        records(writer);
    }
    static uint64_t at(uint64_t ms) { return kStart + ms * kMs; }

    Profile collectRun(int launcher_status = -1, uint64_t launcher_end_ns = 0) {
        RunInfo run;
        run.exit_status = launcher_status;
        return collect({dir.path(), run, {}, {}, launcher_end_ns});
    }

    // The one process running `command`.
    static const Process& running(const Profile& profile, const std::string& command) {
        const auto found =
            std::find_if(profile.processes.begin(), profile.processes.end(),
                         [&](const Process& process) { return process.command == command; });
        EXPECT_NE(found, profile.processes.end()) << "no process runs " << command;
        EXPECT_EQ(std::count_if(profile.processes.begin(), profile.processes.end(),
                                [&](const Process& process) { return process.command == command; }),
                  1);
        return *found;
    }
    static ProcessId idOf(const Profile& profile, const Process& process) {
        return ProcessId(static_cast<uint32_t>(&process - profile.processes.data()));
    }

    TempDir dir;
};

TEST_F(ProcessTreeTest, ChildExitRecordBeatsProcessEndAndDecodesSignals) {
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter& w) {
        w.childExit(at(50), 101, killedBy(SIGKILL));
        w.childExit(at(60), 102, exited(0)); // 102 called exit(3)? the kernel says 0: it wins
        w.processEnd(at(70), 0);
    });
    stream("101.raw", 101, 100, 10, {"killed"}, [](RawStreamWriter&) {});
    stream("102.raw", 102, 100, 20, {"exits"}, [](RawStreamWriter& w) { w.processEnd(at(55), 3); });
    stream("103.raw", 103, 100, 30, {"unreaped"},
           [](RawStreamWriter& w) { w.processEnd(at(40), 4); });
    const Profile profile = collectRun(0);

    const Process& parent = running(profile, "parent");
    EXPECT_FALSE(parent.parent.valid());
    EXPECT_EQ(parent.exit_status, 0);
    for (const char* child : {"killed", "exits", "unreaped"}) {
        EXPECT_EQ(running(profile, child).parent, idOf(profile, parent)) << child;
        EXPECT_FALSE(running(profile, child).from_exec) << child;
    }
    EXPECT_EQ(running(profile, "killed").exit_status, 128 + SIGKILL);
    EXPECT_EQ(running(profile, "exits").exit_status, 0);
    EXPECT_EQ(running(profile, "unreaped").exit_status, 4);
    EXPECT_EQ(running(profile, "killed").executable, "/bin/killed");
}

TEST_F(ProcessTreeTest, ExecdImageReplacesItsPredecessor) {
    stream("100.raw", 100, 1, 0, {"shell"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Exec, at(30), 100, {"tool", "-v"}, "/bin/tool");
    });
    stream("100-1.raw", 100, 1, 31, {"tool", "-v"},
           [](RawStreamWriter& w) { w.processEnd(at(90), 2); });
    const Profile profile = collectRun(7);

    const Process& shell = running(profile, "shell");
    const Process& tool = running(profile, "tool -v");
    EXPECT_TRUE(tool.from_exec);
    EXPECT_EQ(tool.parent, idOf(profile, shell));
    EXPECT_EQ(shell.end_ns, tool.start_ns);
    EXPECT_FALSE(shell.exit_status) << "an image replaced by exec has no exit status";
    EXPECT_EQ(tool.exit_status, 2) << "its own exit() beats the launcher's status";
}

TEST_F(ProcessTreeTest, LauncherStatusGoesToTheLastImageOfTheFirstProcess) {
    stream("100.raw", 100, 1, 0, {"shell"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Exec, at(30), 100, {"tool"}, "/bin/tool");
    });
    stream("100-1.raw", 100, 1, 31, {"tool"}, [](RawStreamWriter&) {}); // killed: no end record
    const Profile profile = collectRun(128 + SIGTERM);
    EXPECT_FALSE(running(profile, "shell").exit_status);
    EXPECT_EQ(running(profile, "tool").exit_status, 128 + SIGTERM);
}

TEST_F(ProcessTreeTest, FailedExecDoesNotEndTheImage) {
    stream("100.raw", 100, 1, 0, {"prog"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Exec, at(10), 100, {"missing"}, "/bin/missing");
        w.processEnd(at(20), 127);
    });
    const Profile profile = collectRun();
    ASSERT_EQ(profile.processes.size(), 1u);
    EXPECT_EQ(profile.processes[0].exit_status, 127);
    EXPECT_TRUE(profile.run.warnings.empty());
}

TEST_F(ProcessTreeTest, ChildrenThatDidNotLoadTheProbeAreNamedWithTheReason) {
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Spawn, at(10), 200, {"static-tool", "x"}, "/bin/static-tool",
                 raw::NotFollowed::Static);
        w.launch(raw::RecordType::Spawn, at(11), 201, {"followed"}, "/bin/followed");
        // A vfork child's exec lands in its parent's stream, with the child's pid.
        w.launch(raw::RecordType::Exec, at(12), 202, {"clean-env"}, "/bin/clean-env",
                 raw::NotFollowed::Environment);
        w.childExit(at(40), 200, exited(3));
        w.childExit(at(41), 201, exited(0));
        w.processEnd(at(50), 0);
    });
    stream("201.raw", 201, 100, 12, {"followed"}, [](RawStreamWriter&) {});
    stream("300.raw", 300, 100, 5, {"forked"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Exec, at(20), 300, {"su"}, "/bin/su", raw::NotFollowed::Setuid);
    });
    const Profile profile = collectRun();
    const ProcessId parent = idOf(profile, running(profile, "parent"));
    EXPECT_TRUE(running(profile, "followed").profiled);

    const Process& spawned = running(profile, "static-tool x");
    EXPECT_FALSE(spawned.profiled);
    EXPECT_EQ(spawned.note, "statically linked: nothing can be preloaded");
    EXPECT_EQ(spawned.pid, 200);
    EXPECT_EQ(spawned.ppid, 100);
    EXPECT_EQ(spawned.parent, parent);
    EXPECT_FALSE(spawned.from_exec);
    EXPECT_EQ(spawned.executable, "/bin/static-tool");
    EXPECT_EQ(spawned.exit_status, 3);
    EXPECT_EQ(spawned.start_ns, static_cast<int64_t>(10 * kMs));
    EXPECT_EQ(spawned.end_ns, static_cast<int64_t>(40 * kMs));

    const Process& vforked = running(profile, "clean-env");
    EXPECT_EQ(vforked.note, "its environment dropped the probe");
    EXPECT_EQ(vforked.parent, parent);
    EXPECT_FALSE(vforked.exit_status);

    const Process& setuid = running(profile, "su");
    EXPECT_EQ(setuid.note, "setuid program: the dynamic loader ignores LD_PRELOAD");
    EXPECT_TRUE(setuid.from_exec);
    EXPECT_EQ(setuid.parent, idOf(profile, running(profile, "forked")));
    EXPECT_EQ(setuid.ppid, 100);

    EXPECT_EQ(profile.run.warnings,
              (std::vector<std::string>{
                  "process 300 (su) was not profiled: setuid program: the dynamic loader "
                  "ignores LD_PRELOAD",
                  "process 200 (static-tool x) was not profiled: statically linked: nothing can "
                  "be preloaded",
                  "process 202 (clean-env) was not profiled: its environment dropped the probe"}));
}

TEST_F(ProcessTreeTest, ReusedPidKeepsEachProcessApart) {
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter& w) {
        w.childExit(at(20), 101, exited(1));
        w.childExit(at(60), 101, killedBy(SIGSEGV));
    });
    stream("101.raw", 101, 100, 10, {"first"}, [](RawStreamWriter& w) { w.processEnd(at(19), 1); });
    stream("101-1.raw", 101, 100, 30, {"second"}, [](RawStreamWriter&) {});
    const Profile profile = collectRun();
    const Process& first = running(profile, "first");
    const Process& second = running(profile, "second");
    EXPECT_FALSE(second.from_exec) << "the first one exited: no exec in between";
    EXPECT_EQ(second.parent, idOf(profile, running(profile, "parent")));
    EXPECT_EQ(first.exit_status, 1);
    EXPECT_EQ(second.exit_status, 128 + SIGSEGV);
}

TEST_F(ProcessTreeTest, ChildOfAParentThatLaterExecdBelongsToTheOldImage) {
    stream("100.raw", 100, 1, 0, {"old"}, [](RawStreamWriter& w) {
        w.launch(raw::RecordType::Exec, at(30), 100, {"new"}, "/bin/new");
    });
    stream("100-1.raw", 100, 1, 31, {"new"}, [](RawStreamWriter&) {});
    stream("101.raw", 101, 100, 10, {"child"}, [](RawStreamWriter&) {});
    const Profile profile = collectRun();
    EXPECT_EQ(running(profile, "child").parent, idOf(profile, running(profile, "old")));
}

TEST_F(ProcessTreeTest, StreamCutShortBeforeItsHeaderIsAWarning) {
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter&) {});
    std::ofstream(dir.file("101.raw")) << std::string(raw::kRawHeaderSize, '\0');
    const Profile profile = collectRun();
    EXPECT_EQ(profile.processes.size(), 1u);
    ASSERT_EQ(profile.run.warnings.size(), 1u);
    EXPECT_NE(profile.run.warnings[0].find("101.raw"), std::string::npos);
    EXPECT_NE(profile.run.warnings[0].find("cut short"), std::string::npos);
}

// A process killed by a signal writes no ProcessEnd: it ends when it was reaped (its parent's
// ChildExit record, or the launcher's wait for the first process), not at its last sample.
TEST_F(ProcessTreeTest, KilledProcessesEndWhenReapedNotAtTheirLastSample) {
    static constexpr uint64_t kLeaf[] = {0x1000};
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter& w) {
        w.thread(raw::RecordType::ThreadStart, at(0), 100, 0, "parent");
        w.sample(at(5), kMs, 100, kLeaf);
        w.childExit(at(800), 101, killedBy(SIGTERM));
    });
    stream("101.raw", 101, 100, 10, {"killed"}, [](RawStreamWriter& w) {
        w.thread(raw::RecordType::ThreadStart, at(10), 101, 0, "killed");
        w.thread(raw::RecordType::ThreadStart, at(11), 102, 0, "helper");
        w.sample(at(20), kMs, 101, kLeaf);
    });
    const Profile profile = collectRun(128 + SIGKILL, at(900));
    const Process& killed = running(profile, "killed");
    EXPECT_EQ(killed.end_ns, int64_t(800 * kMs));
    EXPECT_EQ(killed.exit_status, 128 + SIGTERM);
    const Process& parent = running(profile, "parent");
    EXPECT_EQ(parent.end_ns, int64_t(900 * kMs));
    for (const Thread& thread : profile.threads)
        EXPECT_EQ(thread.end_ns, profile.process(thread.process).end_ns) << thread.name;
}

// A process that ended through exit() keeps the time of its own end record.
TEST_F(ProcessTreeTest, ProcessEndRecordTimeIsKeptWhenReapedLater) {
    stream("100.raw", 100, 1, 0, {"parent"}, [](RawStreamWriter& w) {
        w.childExit(at(800), 101, exited(0));
        w.processEnd(at(850), 0);
    });
    stream("101.raw", 101, 100, 10, {"exits"}, [](RawStreamWriter& w) { w.processEnd(at(30), 0); });
    const Profile profile = collectRun(0, at(900));
    EXPECT_EQ(running(profile, "exits").end_ns, int64_t(30 * kMs));
    EXPECT_EQ(running(profile, "parent").end_ns, int64_t(850 * kMs));
}

// The run counts from the launcher's start of the program (the first process's exec and loading
// come before its probe starts), unless that time is after the first probe's start.
TEST_F(ProcessTreeTest, RunCountsFromTheLaunchersStart) {
    stream("100.raw", 100, 1, 0, {"first"}, [](RawStreamWriter& w) { w.processEnd(at(50), 0); });
    const auto startOf = [&](uint64_t launcher_start_ns) {
        RunInfo run;
        return collect({dir.path(), run, {}, {}, 0, launcher_start_ns}).processes.at(0).start_ns;
    };
    EXPECT_EQ(startOf(kStart - 3 * kMs), int64_t(3 * kMs));
    EXPECT_EQ(startOf(0), 0);
    EXPECT_EQ(startOf(kStart + kMs), 0);
}

} // namespace
} // namespace hprof::testing
