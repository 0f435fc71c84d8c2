// `perf script` text written by hand in the layouts perf prints: the default one of
// `perf record -g`, -F variants, and broken input.
#include "hprof/error.h"
#include "hprof/import.h"
#include "hprof/report.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <sstream>

namespace hprof {
namespace {

// Two threads of process 100 (the main thread renamed itself), one of process 200, the
// default fields of `perf record -g` with pid/tid and CPU, and a srcline under one frame.
constexpr const char* kTwoProcesses = R"(# ========
# captured on: today
# ========
#
prog 100/100 [001] 5000.000100:     250000 cpu-clock:u: 
	            1163 leaf_a+0x1a (/tmp/prog)
	            120e main+0x15 (/tmp/prog)
	           2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)

my worker 100/101 [000] 5000.000350:     250000 cpu-clock:u: 
	            1174 leaf_b+0x2b (/tmp/prog)
  prog.c:12
	            120e main+0x15 (/tmp/prog)
	    7f2a00001000 [unknown] ([unknown])

other 200/200 [001] 5000.001100:     500000 cpu-clock:u: 
	            1163 leaf_a+0x1a (/tmp/prog)
	            120e main+0x15 (/tmp/prog)

)";

Profile importText(const test::TempDir& dir, const std::string& text) {
    return readAnyProfile(dir.writeFile("perf.txt", text));
}

std::vector<std::string> stackNames(const Profile& profile, const Sample& sample) {
    std::vector<std::string> names; // leaf first
    for (StackId node = sample.stack; node.valid(); node = profile.stack(node).parent)
        names.push_back(profile.function(profile.frame(profile.stack(node).frame).function).name);
    return names;
}

TEST(PerfScriptImport, ProcessesThreadsTimesAndStacks) {
    test::TempDir dir;
    const Profile profile = importText(dir, kTwoProcesses);
    EXPECT_EQ(profile.run.source, "perf script");
    ASSERT_EQ(profile.processes.size(), 2u);
    EXPECT_EQ(profile.processes[0].pid, 100);
    EXPECT_EQ(profile.processes[0].command, "prog");
    EXPECT_EQ(profile.processes[1].pid, 200);
    ASSERT_EQ(profile.threads.size(), 3u);
    EXPECT_EQ(profile.threads[1].tid, 101);
    EXPECT_EQ(profile.threads[1].name, "my worker"); // a name with a space
    EXPECT_EQ(profile.threads[1].process, ProcessId(0));
    ASSERT_EQ(profile.samples.size(), 3u);
    EXPECT_EQ(profile.samples[0].time_ns, 0);
    EXPECT_EQ(profile.samples[1].time_ns, 250'000);
    EXPECT_EQ(profile.samples[2].time_ns, 1'000'000);
    EXPECT_EQ(profile.samples[2].weight_ns, 500'000); // cpu-clock's period is in ns
    EXPECT_EQ(profile.run.cpu_ns, 1'000'000);
    EXPECT_EQ(stackNames(profile, profile.samples[0]),
              (std::vector<std::string>{"leaf_a", "main", "__libc_start_call_main"}));
    EXPECT_EQ(stackNames(profile, profile.samples[1]),
              (std::vector<std::string>{"leaf_b", "main", "[unknown]+0x7f2a00001000"}));
}

TEST(PerfScriptImport, ModulesAndSourceLines) {
    test::TempDir dir;
    const Profile profile = importText(dir, kTwoProcesses);
    const Sample& sample = profile.samples[1];
    const Frame& leaf = profile.frame(profile.stack(sample.stack).frame);
    EXPECT_EQ(leaf.line, 12u);
    const Function& function = profile.function(leaf.function);
    ASSERT_TRUE(function.module.valid());
    EXPECT_EQ(profile.module(function.module).path, "/tmp/prog");
}

TEST(PerfScriptImport, PerfHasNoCallCounts) {
    test::TempDir dir;
    const Profile profile = importText(dir, kTwoProcesses);
    EXPECT_TRUE(profile.run.missing.call_counts);
    EXPECT_TRUE(profile.run.missing.run_times);
    EXPECT_FALSE(profile.run.missing.timestamps);
    EXPECT_FALSE(profile.run.missing.threads);
    EXPECT_FALSE(profile.run.missing.sample_weights);
    std::ostringstream out;
    printReport(profile, ReportOptions{}, out);
    EXPECT_NE(out.str().find("not in the source: call counts"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("3 samples in 0.001 CPU seconds (perf cpu-clock:u)"),
              std::string::npos)
        << out.str();
}

// `perf script -F comm,tid,time,ip,sym`: no pid, no period, no event; and
// `-F comm,tid,event,ip,sym` without a call chain: the address follows on the header line, and
// there is no time.
TEST(PerfScriptImport, FieldVariants) {
    test::TempDir dir;
    const Profile no_period = importText(dir, "prog  9500 22781.952899: \n"
                                              "\t            1163 leaf_a\n"
                                              "\t            120e main\n"
                                              "\n"
                                              "prog  9501 22781.953149: \n"
                                              "\t            1163 leaf_a\n");
    EXPECT_TRUE(no_period.run.missing.sample_weights);
    EXPECT_FALSE(no_period.run.missing.timestamps);
    ASSERT_EQ(no_period.samples.size(), 2u);
    EXPECT_EQ(no_period.samples[0].weight_ns, 1);
    EXPECT_EQ(no_period.processes.size(), 2u); // without pids each thread is its own process
    ASSERT_FALSE(no_period.run.warnings.empty());

    const Profile flat = importText(dir, "prog  9500 cpu-clock:      1163 leaf_a (/tmp/prog)\n"
                                         "prog  9500 cpu-clock:      1174 leaf_b (/tmp/prog)\n");
    EXPECT_TRUE(flat.run.missing.timestamps);
    ASSERT_EQ(flat.samples.size(), 2u);
    EXPECT_EQ(flat.samples[1].time_ns, 0);
    EXPECT_EQ(stackNames(flat, flat.samples[1]), std::vector<std::string>{"leaf_b"});
}

void expectImportError(const std::string& text, const std::string& expected) {
    test::TempDir dir;
    try {
        importText(dir, text);
        FAIL() << "no error for " << expected;
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(dir.file("perf.txt") + ": "), std::string::npos) << message;
        EXPECT_NE(message.find(expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(PerfScriptImport, BrokenTextGetsOneLineErrors) {
    expectImportError("prog 1 5000.1: 1 cpu-clock:\n\tnot a frame line at all\n",
                      "line 2: not perf script output (cannot read 'not a frame line at all')");
    expectImportError("prog 1 5000.1: 1 cpu-clock:\n\n", "no samples with a stack");
    // Cut in the middle of a frame line: the last frame has no module, the rest is kept.
    const std::string text = kTwoProcesses;
    const Profile cut = readAnyProfile(test::TempDir().writeFile("cut.txt", text.substr(0, 250)));
    EXPECT_FALSE(cut.samples.empty());
}

} // namespace
} // namespace hprof
