// hprof follows every child, whatever starts it (samples/spawn_paths.cpp): each child is a
// Process of its own, linked to the process that started it, with its command line, times, exit
// status and samples; a child that cannot load the probe (setuid) is named and explained.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hprof::test;
using hprof::Process;
using hprof::ProcessId;
using hprof::Profile;

namespace {

const std::string kChildFunction = "burn_in_child";

// The run's first process: the earliest one that nothing started.
ProcessId rootOf(const Profile& profile) {
    std::optional<uint32_t> root;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        const Process& process = profile.processes[i];
        if (!process.parent.valid() &&
            (!root || process.start_ns < profile.processes[*root].start_ns))
            root = i;
    }
    EXPECT_TRUE(root) << "no process without a parent";
    return ProcessId(root.value_or(0));
}

// The one process whose command line is `command`, other than `except`.
std::optional<ProcessId> processRunning(const Profile& profile, const std::string& command,
                                        ProcessId except = {}) {
    std::optional<ProcessId> found;
    for (uint32_t i = 0; i < profile.processes.size(); ++i) {
        if (profile.processes[i].command != command || except == ProcessId(i))
            continue;
        EXPECT_FALSE(found) << "two processes run " << command;
        found = ProcessId(i);
    }
    return found;
}

bool stackContains(const Profile& profile, hprof::StackId stack, const std::string& plain) {
    for (; stack.valid(); stack = profile.stack(stack).parent) {
        const hprof::Frame& frame = profile.frame(profile.stack(stack).frame);
        if (plainName(profile.function(frame.function).name) == plain)
            return true;
    }
    return false;
}

// Samples of `process` (that image only, not others of its pid) with `plain` on the stack.
uint64_t samplesIn(const Profile& profile, ProcessId process, const std::string& plain) {
    uint64_t count = 0;
    for (const hprof::Sample& sample : profile.samples) {
        if (profile.thread(sample.thread).process == process &&
            stackContains(profile, sample.stack, plain))
            ++count;
    }
    return count;
}

// How many parent links lead from `process` up to `ancestor`; nullopt if they never do.
std::optional<int> linksUpTo(const Profile& profile, ProcessId process, ProcessId ancestor) {
    for (int links = 0; links <= static_cast<int>(profile.processes.size()); ++links) {
        if (process == ancestor)
            return links;
        const Process& current = profile.process(process);
        if (!current.parent.valid())
            return std::nullopt;
        EXPECT_LE(profile.process(current.parent).start_ns, current.start_ns);
        process = current.parent;
    }
    return std::nullopt;
}

struct SpawnPath {
    std::string name;
    bool fork_only;   // the child runs on in the parent's program, with its command line
    int child_status; // shell convention
    // Parent links from the child up to the first process; 0: two or more, for system() and
    // popen(), whose shell starts or becomes the child.
    int links;
    bool from_exec; // the child is an image that replaced its parent by exec
};

void PrintTo(const SpawnPath& path, std::ostream* out) {
    *out << path.name;
}

class SpawnPathsTest : public ::testing::TestWithParam<SpawnPath> {};

TEST_P(SpawnPathsTest, ChildIsAProcessOfItsOwn) {
    const SpawnPath& path = GetParam();
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "spawn_paths", {path.name});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, path.name == "exec"
                           ? ""
                           : "child status " + std::to_string(path.child_status) + "\n");
    const Profile profile = recordedProfile(dir);

    const std::string program = samplePath("spawn_paths");
    const ProcessId root = rootOf(profile);
    const std::optional<ProcessId> child_id =
        path.fork_only ? processRunning(profile, program + " " + path.name, root)
                       : processRunning(profile, program + " child");
    ASSERT_TRUE(child_id) << "no process runs the child";
    const Process& child = profile.process(*child_id);
    EXPECT_TRUE(child.profiled);
    EXPECT_EQ(child.executable, std::filesystem::canonical(program).string());
    EXPECT_EQ(child.from_exec, path.from_exec);
    const std::optional<int> links = linksUpTo(profile, *child_id, root);
    ASSERT_TRUE(links) << "the child is not a descendant of the first process";
    if (path.links == 0) {
        EXPECT_GE(*links, 2);
    } else {
        EXPECT_EQ(*links, path.links);
    }
    if (!path.from_exec) {
        EXPECT_EQ(child.ppid, profile.process(child.parent).pid);
    }

    EXPECT_LE(profile.process(root).start_ns, child.start_ns);
    EXPECT_LE(child.start_ns, child.end_ns);
    EXPECT_LE(child.end_ns, profile.run.wall_ns);
    EXPECT_EQ(child.exit_status, path.child_status);
    // 0.2 s of CPU at 1000 Hz: about 200 samples; the floor still shows they were kept.
    EXPECT_GE(samplesIn(profile, *child_id, kChildFunction), 100u) << run.err;
    // The parent waited for its child: it did not burn in the child's function itself.
    if (path.links == 1 && !path.from_exec) {
        EXPECT_EQ(samplesIn(profile, root, kChildFunction), 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(EveryPath, SpawnPathsTest,
                         // execle_empty: a fork child that then exec'd (two images). Debian's
                         // /bin/sh (dash) runs the command of system() in a vfork child.
                         ::testing::Values(SpawnPath{"fork", true, 0, 1, false},
                                           SpawnPath{"vfork", false, 0, 1, false},
                                           SpawnPath{"posix_spawn", false, 0, 1, false},
                                           SpawnPath{"system", false, 0, 0, false},
                                           SpawnPath{"popen", false, 0, 0, false},
                                           SpawnPath{"exec", false, 0, 1, true},
                                           SpawnPath{"execle_empty", false, 0, 2, true},
                                           SpawnPath{"crash", true, 128 + SIGSEGV, 1, false},
                                           SpawnPath{"kill", true, 128 + SIGKILL, 1, false}),
                         [](const auto& info) { return info.param.name; });

TEST(SpawnPaths, ExecReplacesTheFirstImage) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "spawn_paths", {"exec"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const ProcessId root = rootOf(profile);
    const Process& first = profile.process(root);
    EXPECT_EQ(first.command, samplePath("spawn_paths") + " exec");
    EXPECT_FALSE(first.exit_status) << "an image replaced by exec has no exit status";
    const auto child = processRunning(profile, samplePath("spawn_paths") + " child");
    ASSERT_TRUE(child);
    EXPECT_EQ(profile.process(*child).pid, first.pid);
    EXPECT_EQ(first.end_ns, profile.process(*child).start_ns);
}

// Run as root: a set-user-ID copy owned by nobody makes the loader ignore LD_PRELOAD.
TEST(SpawnPaths, SetuidChildIsNamedButNotProfiled) {
    ASSERT_EQ(geteuid(), 0u) << "this test needs root to make a set-user-ID file";
    const passwd* nobody = getpwnam("nobody");
    ASSERT_NE(nobody, nullptr);
    const TempDir dir;
    const std::string copy = dir.file("setuid_spawn_paths");
    std::filesystem::copy_file(samplePath("spawn_paths"), copy);
    ASSERT_EQ(chown(copy.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    ASSERT_EQ(chmod(copy.c_str(), 04755), 0);
    ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0); // nobody runs it from there

    const CommandResult run =
        runHprof({"-o", "profile.hprof", samplePath("spawn_paths"), "setuid", copy}, dir);
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "child status 0\n");
    const Profile profile = recordedProfile(dir);
    const auto child_id = processRunning(profile, copy + " child");
    ASSERT_TRUE(child_id);
    const Process& child = profile.process(*child_id);
    EXPECT_FALSE(child.profiled);
    EXPECT_EQ(child.note, "setuid program: the dynamic loader ignores LD_PRELOAD");
    EXPECT_EQ(child.executable, copy);
    // Forked, then exec'd: the fork child's image is its parent, the root that image's.
    EXPECT_TRUE(child.from_exec);
    EXPECT_EQ(linksUpTo(profile, *child_id, rootOf(profile)), 2);
    EXPECT_EQ(child.exit_status, 0);
    EXPECT_LE(child.start_ns, child.end_ns);
    const std::string warning = "process " + std::to_string(child.pid) + " (" + copy +
                                " child) was not profiled: " + child.note;
    EXPECT_EQ(std::count(profile.run.warnings.begin(), profile.run.warnings.end(), warning), 1);
    EXPECT_EQ(linesContaining(run.err, warning).size(), 1u) << run.err;
}

} // namespace
