// The --by process / --by thread views, the parallelism section and the off-CPU columns.
#include "hprof/error.h"
#include "hprof/report.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <sstream>

namespace hprof {
namespace {

using test::addBusy;
using test::addSamples;
using test::kMs;

using test::report;

ReportOptions by(GroupBy group, ReportFormat format = ReportFormat::Text) {
    ReportOptions options;
    options.by = group;
    options.format = format;
    return options;
}

// Process 100 (threads 100: 0..10 ms, 101: 0..4 ms), its child 200 (thread 200: 6..10 ms) and
// a child 300 that hprof could not enter.
Profile jobProfile() {
    Profile profile = test::threadsProfile({2, 1}, 10);
    addBusy(profile, 0, 0, 10);
    addBusy(profile, 1, 0, 4);
    addBusy(profile, 2, 6, 10);
    profile.threads[1].name = "renamed later";
    Process passwd = test::makeProcess(300, 100, "/usr/bin/passwd", 5 * kMs, 5 * kMs, 1);
    passwd.parent = ProcessId(0);
    passwd.profiled = false;
    passwd.note = "setuid program";
    profile.processes.push_back(passwd);
    return profile;
}

// The line of `text` that contains `needle`, empty if none.
std::string lineWith(const std::string& text, const std::string& needle) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(needle) != std::string::npos)
            return line;
    }
    return {};
}

TEST(GroupReport, ThreadTableShowsLifetimeNameCpuAndCpuOverTime) {
    std::string text = report(jobProfile(), by(GroupBy::Thread));
    EXPECT_NE(text.find("tid       pid   start_s"), std::string::npos) << text;
    std::string renamed = lineWith(text, "renamed later");
    // tid 101 of pid 100, alive 0..10 ms, 4 ms of CPU = 4/18 of the job, busy 0..4 ms, four
    // samples, on a CPU in the first 8 of 20 parts of the window.
    EXPECT_EQ(renamed,
              "        101       100     0.000     0.010     0.004   22.2%      0.000      "
              "0.004         4  |########            |  renamed later")
        << text;
    EXPECT_NE(text.find("Parallelism from 0.000 s to 0.010 s"), std::string::npos) << text;
}

TEST(GroupReport, ProcessTableListsUnprofiledChildrenWithTheirNote) {
    std::string text = report(jobProfile(), by(GroupBy::Process));
    EXPECT_NE(lineWith(text, "./par 200").find("     200       100     0.000     0.010     0"),
              std::string::npos)
        << text;
    std::string passwd = lineWith(text, "passwd");
    EXPECT_NE(passwd.find("[not profiled: setuid program]"), std::string::npos) << text;
    EXPECT_NE(passwd.find("     300       100     0.005     0.005     1"), std::string::npos)
        << text;
    EXPECT_NE(lineWith(text, "./par 100").find("  2  ./par 100"), std::string::npos) << text;
}

// execve(path, NULL, ...) gives a process without argv: the table names it by its file.
TEST(GroupReport, ProcessWithoutCommandLineIsNamedByItsFile) {
    Profile profile = jobProfile();
    Process image = test::makeProcess(200, 100, "", 7 * kMs, 10 * kMs, 0);
    image.executable = "/usr/bin/true";
    image.parent = ProcessId(1);
    image.from_exec = true;
    profile.processes.push_back(image);
    std::string text = report(profile, by(GroupBy::Process));
    EXPECT_NE(lineWith(text, "     200       100     0.007").find("  /usr/bin/true [exec]"),
              std::string::npos)
        << text;
}

// Rows come in the order the processes started, a parent first: not by pid (a pid wrap puts
// a child's pid below its parent's) and not in stream order (an exec'd image's stream may be
// read before the stream of the image it replaced).
TEST(GroupReport, ProcessesInStartOrderParentFirst) {
    Profile profile;
    profile.processes = {
        test::makeProcess(1001, 799, "exec'd image", 4 * kMs, 9 * kMs, 0),
        test::makeProcess(799, 1, "first", 0, 10 * kMs, 0),
        test::makeProcess(1001, 799, "forked child", 2 * kMs, 4 * kMs, std::nullopt),
        test::makeProcess(800, 799, "started with the first", 0, 1 * kMs, 0)};
    profile.processes[0].parent = ProcessId(2);
    profile.processes[0].from_exec = true;
    profile.processes[2].parent = ProcessId(1);
    profile.processes[3].parent = ProcessId(1);
    std::vector<std::string> order;
    for (const ProcessStats& row : computeProcessStats(profile))
        order.push_back(profile.process(row.process).command);
    EXPECT_EQ(order, (std::vector<std::string>{"first", "started with the first", "forked child",
                                               "exec'd image"}));
}

TEST(GroupReport, ParallelismSummaryHasTheBounds) {
    ReportOptions options;
    options.parallelism = ParallelismSection::Full;
    std::string text = report(jobProfile(), options);
    // CPU 18 ms in 10 ms; 2 ms with one thread: 18 / 2 = 9x over one core, 10 / 2 over the run.
    EXPECT_NE(text.find("   average parallelism  1.80 (CPU time / wall time)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("   serial               0.002 s (20.0% of the busy wall time"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("   threads on a CPU     0: 0.000 s, 1: 0.002 s, 2: 0.008 s"),
              std::string::npos);
    EXPECT_NE(text.find("   Amdahl's bound       9.00x the speed of one core (serial work: 11.1%"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("                        5.00x the speed of this run"), std::string::npos);
    // The section also has both tables, after the function table.
    EXPECT_LT(text.find("filename:lineno(function)"), text.find("Parallelism from"));
    EXPECT_NE(lineWith(text, "passwd"), "");
    EXPECT_NE(lineWith(text, "renamed later"), "");
}

// hprof record's section: one line for one process with one thread, the whole section otherwise.
TEST(GroupReport, ProportionateSectionIsOneLineForOneThread) {
    Profile single = test::threadsProfile({1}, 10);
    addBusy(single, 0, 0, 6);
    ReportOptions options;
    options.parallelism = ParallelismSection::Proportionate;
    const std::string text = report(single, options);
    EXPECT_NE(text.find("\n   parallelism: 1 thread, 0.006 s CPU in 0.010 s wall (0.60)\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("Parallelism from"), std::string::npos) << text;
    EXPECT_EQ(lineWith(text, "cpu over time"), "") << text;

    options.parallelism = ParallelismSection::Full;
    EXPECT_NE(report(single, options).find("Parallelism from"), std::string::npos);
}

TEST(GroupReport, ProportionateSectionIsWholeForSeveralThreads) {
    ReportOptions options;
    options.parallelism = ParallelismSection::Proportionate;
    const std::string text = report(jobProfile(), options);
    EXPECT_NE(text.find("   average parallelism  1.80 (CPU time / wall time)"), std::string::npos)
        << text;
    EXPECT_NE(lineWith(text, "renamed later"), "");
    EXPECT_EQ(text.find("parallelism: 1 thread"), std::string::npos) << text;
}

TEST(GroupReport, LimitCutsTheRows) {
    ReportOptions options = by(GroupBy::Thread);
    options.limit = 1;
    std::string text = report(jobProfile(), options);
    EXPECT_EQ(lineWith(text, "renamed later"), "");
    EXPECT_NE(text.find("   2 of 3 threads omitted (--limit 1)"), std::string::npos) << text;
}

TEST(GroupReport, FiltersSelectRowsAndTime) {
    ReportOptions options = by(GroupBy::Process, ReportFormat::Csv);
    options.filter = resolveFilter(jobProfile(), {.pids = {200}});
    std::string csv = report(jobProfile(), options);
    EXPECT_EQ(csv, "pid,ppid,parent_pid,from_exec,command,executable,profiled,note,start,end,"
                   "exit_status,samples,cpu,off_cpu,run_queue,share,busy_from,busy_to,threads,rank\n"
                   "200,100,100,0,./par 200,,1,,0,0.01,0,4,0.004,0,0,1,0.006,0.01,1,\n");

    // 6..8 ms: thread 100 has samples at 6 and 7 ms, 200 at 7 ms (standing for 6..7 ms: its
    // sample at 8 ms, for 7..8, is outside the range but inside the busy span); 101 was alive
    // but not on a CPU.
    options = by(GroupBy::Thread, ReportFormat::Csv);
    options.filter.from_ns = 6 * kMs;
    options.filter.to_ns = 8 * kMs;
    csv = report(jobProfile(), options);
    EXPECT_NE(csv.find("\n100,100,t100,0,0.01,2,0.002,0,0,0.6666666666666666,0.006,0.008,\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\n100,101,renamed later,0,0.01,0,0,0,0,0,,,\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\n200,200,t200,0,0.01,1,0.001,0,0,0.3333333333333333,0.006,0.008,\n"),
              std::string::npos)
        << csv;
}

// Wall-clock mode: thread 100 runs 0..4 ms, then blocks 6 ms in the same function.
Profile wallClockProfile() {
    Profile profile = test::threadsProfile({1}, 10);
    profile.run.clock = "wall";
    addBusy(profile, 0, 0, 4);
    addSamples(profile, 0, {10}, 6, true);
    return profile;
}

TEST(GroupReport, OffCpuColumnsOnlyWithOffCpuSamples) {
    std::string text = report(wallClockProfile(), ReportOptions{});
    EXPECT_NE(text.find("0.004 CPU seconds, 0.006 off-CPU seconds"), std::string::npos) << text;
    EXPECT_NE(text.find("percall   offcpu filename"), std::string::npos) << text;
    EXPECT_NE(lineWith(text, "(work)").find("0.010        -    0.006 par.c:1(work)"),
              std::string::npos)
        << text;
    EXPECT_NE(report(wallClockProfile(), by(GroupBy::Thread)).find("offcpu_s"), std::string::npos);

    std::string cpu_mode = report(jobProfile(), ReportOptions{});
    EXPECT_EQ(cpu_mode.find("offcpu"), std::string::npos);
    EXPECT_EQ(cpu_mode.find("off-CPU"), std::string::npos);
}

TEST(GroupReport, OffCpuTimeInCsvAndJson) {
    ReportOptions csv;
    csv.format = ReportFormat::Csv;
    std::string rows = report(wallClockProfile(), csv);
    EXPECT_NE(rows.find(",work,/bin/par,,,0.006,0.006\n"), std::string::npos) << rows;
    ReportOptions json;
    json.format = ReportFormat::Json;
    std::string document = report(wallClockProfile(), json);
    EXPECT_NE(document.find("\"cpu_seconds\": 0.004,\n  \"off_cpu_seconds\": 0.006,"),
              std::string::npos)
        << document;
    EXPECT_NE(document.find("\"clock\": \"wall\""), std::string::npos);
    EXPECT_NE(document.find("\"wall_seconds\": 0.01, \"cpu_seconds\": 0.004, "
                            "\"average_parallelism\": 0.4"),
              std::string::npos)
        << document;
}

TEST(GroupReport, ByCannotBeCombinedWithOtherViews) {
    ReportOptions options = by(GroupBy::Thread);
    options.callers_of = "work";
    EXPECT_THROW(report(jobProfile(), options), Error);
}

} // namespace
} // namespace hprof
