// hprof follows every child, whatever starts it (samples/spawn_paths.cpp): each child is a
// Process of its own, linked to the process that started it, with its command line, times, exit
// status and samples; a child that cannot load the probe (setuid) is named and explained.
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <csignal>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hprof::test;
using hprof::Process;
using hprof::ProcessId;
using hprof::Profile;

namespace {

const std::string kChildFunction = "burn_in_child";

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

// The CPU seconds those samples stand for (their weights: steps of the thread's CPU clock).
double secondsIn(const Profile& profile, ProcessId process, const std::string& plain) {
    int64_t ns = 0;
    for (const hprof::Sample& sample : profile.samples) {
        if (!sample.off_cpu && profile.thread(sample.thread).process == process &&
            stackContains(profile, sample.stack, plain))
            ns += sample.weight_ns;
    }
    return double(ns) * 1e-9;
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
    // 0.2 s of CPU by the child's own clock: its samples stand for most of it (counting samples
    // instead, 91 of a floor of 100 failed in CI on a loaded machine).
    EXPECT_GE(secondsIn(profile, *child_id, kChildFunction), 0.15) << run.err;
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

// Whether the ELF file at `path` names a program interpreter (a dynamic loader).
bool hasInterpreter(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    Elf64_Ehdr header{};
    EXPECT_TRUE(file.read(reinterpret_cast<char*>(&header), sizeof header)) << path;
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(header.e_ident), SELFMAG), ELFMAG);
    for (int i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        file.seekg(std::streamoff(header.e_phoff + uint64_t(i) * header.e_phentsize));
        EXPECT_TRUE(file.read(reinterpret_cast<char*>(&segment), sizeof segment));
        if (segment.p_type == PT_INTERP)
            return true;
    }
    return false;
}

// The child that was not profiled: named, explained, linked and warned about once.
void expectUnprofiledChild(const Profile& profile, const CommandResult& run,
                           const std::string& command, const std::string& executable,
                           const std::string& note, int exit_status) {
    const auto child_id = processRunning(profile, command);
    ASSERT_TRUE(child_id) << "no process runs " << command;
    const Process& child = profile.process(*child_id);
    EXPECT_FALSE(child.profiled);
    EXPECT_EQ(child.note, note);
    EXPECT_EQ(child.executable, executable);
    // Forked, then exec'd: the fork child's image is its parent, the root that image's.
    EXPECT_TRUE(child.from_exec);
    EXPECT_EQ(linksUpTo(profile, *child_id, rootOf(profile)), 2);
    EXPECT_EQ(child.exit_status, exit_status);
    EXPECT_LE(child.start_ns, child.end_ns);
    const std::string warning =
        "process " + std::to_string(child.pid) + " (" + command + ") was not profiled: " + note;
    EXPECT_EQ(std::count(profile.run.warnings.begin(), profile.run.warnings.end(), warning), 1);
    EXPECT_EQ(linesContaining(run.err, warning).size(), 1u) << run.err;
}

// `hprof -o profile.hprof spawn_paths args...`, not quiet (warnings go to stderr), which must
// print "child status N".
CommandResult recordSpawnPaths(const TempDir& dir, const std::vector<std::string>& args,
                               int child_status) {
    std::vector<std::string> command{"-o", "profile.hprof", samplePath("spawn_paths")};
    command.insert(command.end(), args.begin(), args.end());
    CommandResult run = runHprof(command, dir);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "child status " + std::to_string(child_status) + "\n");
    return run;
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

    const CommandResult run = recordSpawnPaths(dir, {"program", copy}, 0);
    expectUnprofiledChild(recordedProfile(dir), run, copy + " child", copy,
                          "setuid program: the dynamic loader ignores LD_PRELOAD", 0);
}

TEST(SpawnPaths, StaticChildIsNamedButNotProfiled) {
    const std::string program = STATIC_CHILD;
    ASSERT_FALSE(hasInterpreter(program)) << program << " is not statically linked";
    const TempDir dir;
    const CommandResult run = recordSpawnPaths(dir, {"program", program}, 3);
    expectUnprofiledChild(recordedProfile(dir), run, program + " child", program,
                          "statically linked: nothing can be preloaded", 3);
}

// More variables than the exec wrapper can copy into its stack buffers: passed unchanged, so
// the child lacks the probe, and the launch record says why.
TEST(SpawnPaths, EnvironmentTooLargeToRepairIsNamed) {
    const TempDir dir;
    const CommandResult run = recordSpawnPaths(dir, {"execle_huge"}, 0);
    const std::string program = samplePath("spawn_paths");
    expectUnprofiledChild(recordedProfile(dir), run, program + " child", program,
                          "its environment dropped the probe", 0);
}

} // namespace
