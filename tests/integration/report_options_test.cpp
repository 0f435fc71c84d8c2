// hprof report's --by, --pid, --tid and --time, the parallelism numbers and the parallelism part
// of hprof record's summary, on real recordings of the samples (the report tests in
// tests/profile check the same options on synthetic profiles).
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

using namespace hprof::test;
using hprof::Profile;

namespace {

// `hprof report profile.hprof options...` in `dir`: its stdout.
std::string reportOf(const TempDir& dir, std::vector<std::string> options) {
    options.insert(options.begin(), {"report", "profile.hprof"});
    const CommandResult run = runHprof(options, dir);
    EXPECT_EQ(run.status, 0) << run.err;
    return run.out;
}

std::vector<std::string> wordsOf(const std::string& line) {
    std::istringstream stream(line);
    std::vector<std::string> words;
    for (std::string word; stream >> word;)
        words.push_back(word);
    return words;
}

// The rows of the --by table, split into words: the lines after its header (the line whose
// first word is `first_column`) up to the next blank line.
std::vector<std::vector<std::string>> tableRows(const std::string& text,
                                                const std::string& first_column) {
    std::vector<std::vector<std::string>> rows;
    bool in_table = false;
    for (const std::string& line : linesOf(text)) {
        const std::vector<std::string> words = wordsOf(line);
        if (in_table && words.empty())
            break;
        if (in_table)
            rows.push_back(words);
        in_table = in_table || (!words.empty() && words.front() == first_column);
    }
    EXPECT_FALSE(rows.empty()) << "no table starting with " << first_column << " in\n" << text;
    return rows;
}

// The number after "key": in `json` (the first one).
double jsonNumber(const std::string& json, const std::string& key) {
    const std::string label = "\"" + key + "\": ";
    const size_t at = json.find(label);
    EXPECT_NE(at, std::string::npos) << key << " not in " << json;
    return at == std::string::npos ? 0 : std::strtod(json.c_str() + at + label.size(), nullptr);
}

// The "parallelism" member of a JSON report.
std::string parallelismOf(const std::string& document) {
    const size_t at = document.find("\"parallelism\": ");
    EXPECT_NE(at, std::string::npos) << document;
    return at == std::string::npos ? std::string() : document.substr(at);
}

// The lines of the top-level JSON list `key`: one object each.
std::vector<std::string> jsonListLines(const std::string& document, const std::string& key) {
    std::vector<std::string> objects;
    bool in_list = false;
    for (const std::string& line : linesOf(document)) {
        if (in_list && line.starts_with("  ]"))
            break;
        if (in_list)
            objects.push_back(line);
        in_list = in_list || line == "  \"" + key + "\": [";
    }
    EXPECT_FALSE(objects.empty()) << "no list " << key << " in\n" << document;
    return objects;
}

double sampledCpuSeconds(const Profile& profile) {
    return double(sampledCpuNs(profile)) * 1e-9;
}

// The table's cpu_s column is rounded to the millisecond.
double roundingOf(size_t rows) {
    return 0.0005 * double(rows) + 1e-9;
}

// The tid of every thread that has at least one sample.
std::set<int32_t> sampledTids(const Profile& profile) {
    std::set<int32_t> tids;
    for (const hprof::Sample& sample : profile.samples)
        tids.insert(profile.thread(sample.thread).tid);
    return tids;
}

// The thread whose samples include `plain` on the stack; the first one if several.
std::optional<int32_t> tidRunning(const Profile& profile, const std::string& plain) {
    for (const hprof::ThreadStats& stats : hprof::computeThreadStats(profile)) {
        const int32_t tid = profile.thread(stats.thread).tid;
        if (statsOf(profile, plain, hprof::resolveFilter(profile, {.tids = {tid}})))
            return tid;
    }
    return std::nullopt;
}

// The first and last time a sample had `plain` on the stack.
std::pair<int64_t, int64_t> sampleSpanOf(const Profile& profile, const std::string& plain) {
    int64_t first = INT64_MAX;
    int64_t last = INT64_MIN;
    for (const hprof::Sample& sample : profile.samples) {
        if (stackContains(profile, sample.stack, plain)) {
            first = std::min(first, sample.time_ns);
            last = std::max(last, sample.time_ns);
        }
    }
    EXPECT_LT(first, last) << "fewer than two samples in " << plain;
    return {first, last};
}

std::string nanoseconds(int64_t ns) {
    return std::to_string(ns) + "ns";
}

bool mentions(const std::string& text, const std::string& function) {
    return text.find(function + "(") != std::string::npos;
}

TEST(ReportOptions, ByThreadListsTheRealThreadsWithTheirCpu) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "parallel_burn", {"3", "0.2"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const int32_t pid = profile.processes.at(0).pid;

    const auto rows = tableRows(reportOf(dir, {"--by", "thread"}), "tid");
    std::set<int32_t> listed;
    double cpu = 0;
    for (const auto& row : rows) {
        ASSERT_GE(row.size(), 6u);
        listed.insert(std::stoi(row[0]));
        EXPECT_EQ(std::stoi(row[1]), pid);
        cpu += std::stod(row[4]); // tid pid start_s end_s cpu_s
    }
    const std::set<int32_t> sampled = sampledTids(profile);
    EXPECT_GE(sampled.size(), 3u); // the three workers, and the main thread if it was sampled
    for (int32_t tid : sampled)
        EXPECT_TRUE(listed.contains(tid)) << tid;
    EXPECT_NEAR(cpu, sampledCpuSeconds(profile), roundingOf(rows.size()));

    const std::string json = reportOf(dir, {"--format", "json"});
    double json_cpu = 0;
    for (const std::string& thread : jsonListLines(json, "threads")) {
        EXPECT_EQ(jsonNumber(thread, "pid"), pid);
        json_cpu += jsonNumber(thread, "cpu_seconds");
    }
    EXPECT_NEAR(json_cpu, sampledCpuSeconds(profile), 1e-6);
    EXPECT_NEAR(jsonNumber(json, "cpu_seconds"), sampledCpuSeconds(profile), 1e-6);
}

TEST(ReportOptions, ByProcessAndPidSelectTheRealProcesses) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "spawn_paths", {"fork"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    ASSERT_EQ(profile.processes.size(), 2u);
    const hprof::ProcessId root = rootOf(profile);
    const hprof::Process& parent = profile.process(root);
    const hprof::Process& child = profile.processes[1 - root.value];
    ASSERT_EQ(child.ppid, parent.pid);

    const auto rows = tableRows(reportOf(dir, {"--by", "process"}), "pid");
    ASSERT_EQ(rows.size(), 2u);
    double cpu = 0;
    std::map<int32_t, std::vector<std::string>> by_pid;
    for (const auto& row : rows) {
        ASSERT_GE(row.size(), 7u);
        cpu += std::stod(row[5]); // pid ppid start_s end_s exit cpu_s
        by_pid[std::stoi(row[0])] = row;
    }
    EXPECT_NEAR(cpu, sampledCpuSeconds(profile), roundingOf(rows.size()));
    ASSERT_TRUE(by_pid.contains(parent.pid) && by_pid.contains(child.pid));
    EXPECT_EQ(std::stoi(by_pid[child.pid][1]), parent.pid);
    EXPECT_GE(std::stod(by_pid[child.pid][5]), 0.1); // the child burns 0.2 s

    const std::string json = reportOf(dir, {"--format", "json"});
    double json_cpu = 0;
    for (const std::string& process : jsonListLines(json, "processes"))
        json_cpu += jsonNumber(process, "cpu_seconds");
    EXPECT_NEAR(json_cpu, sampledCpuSeconds(profile), 1e-6);

    const std::string child_pid = std::to_string(child.pid);
    const auto child_rows =
        tableRows(reportOf(dir, {"--by", "process", "--pid", child_pid}), "pid");
    ASSERT_EQ(child_rows.size(), 1u);
    EXPECT_EQ(child_rows[0][0], child_pid);
    EXPECT_TRUE(mentions(reportOf(dir, {"--pid", child_pid}), "burn_in_child"));
    EXPECT_FALSE(mentions(reportOf(dir, {"--pid", std::to_string(parent.pid)}), "burn_in_child"));
}

TEST(ReportOptions, TidSelectsOneThread) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "parallel_burn", {"2", "0.2"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const std::optional<int32_t> worker = tidRunning(profile, "burn_in_parallel");
    ASSERT_TRUE(worker);
    uint64_t samples = 0;
    int64_t cpu_ns = 0;
    for (const hprof::Sample& sample : profile.samples) {
        if (profile.thread(sample.thread).tid == *worker) {
            ++samples;
            cpu_ns += sample.weight_ns;
        }
    }

    const std::string json = reportOf(dir, {"--tid", std::to_string(*worker), "--format", "json"});
    const std::vector<std::string> threads = jsonListLines(json, "threads");
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_EQ(jsonNumber(threads[0], "tid"), *worker);
    EXPECT_EQ(jsonNumber(json, "total_samples"), double(samples));
    EXPECT_NEAR(jsonNumber(json, "cpu_seconds"), double(cpu_ns) * 1e-9, 1e-6);
    EXPECT_NEAR(jsonNumber(threads[0], "cpu_seconds"), double(cpu_ns) * 1e-9, 1e-6);
    // The other worker burned as long: this one's CPU is about half of the run's.
    EXPECT_LT(double(cpu_ns) * 1e-9, 0.75 * sampledCpuSeconds(profile));
    EXPECT_TRUE(mentions(reportOf(dir, {"--tid", std::to_string(*worker)}), "burn_in_parallel"));
}

// A pid or tid that is not in the profile is an error naming the ones that are, not an empty
// report that would read as "that process did nothing".
TEST(ReportOptions, UnknownPidOrTidIsAnError) {
    const TempDir dir;
    ASSERT_EQ(recordSample(dir, {}, "phases", {}).status, 0);
    const Profile profile = recordedProfile(dir);
    ASSERT_EQ(profile.processes.size(), 1u);
    const std::string pid = std::to_string(profile.processes[0].pid);
    const std::string absent = std::to_string(profile.processes[0].pid + 1000000);
    for (const char* option : {"--pid", "--tid"}) {
        SCOPED_TRACE(option);
        const CommandResult run = runHprof({"report", "profile.hprof", option, absent}, dir);
        EXPECT_EQ(run.status, 2);
        EXPECT_TRUE(run.out.empty()) << run.out;
        const std::vector<std::string> lines = linesOf(run.err);
        ASSERT_EQ(lines.size(), 1u) << run.err;
        EXPECT_NE(lines[0].find(" " + absent + " "), std::string::npos) << lines[0];
        // The ids that are there; the main thread's tid is the pid.
        EXPECT_NE(lines[0].find(": " + pid + ")"), std::string::npos) << lines[0];
    }
}

// phases burns 0.3 s in phase_one, then 0.3 s in phase_two: a window inside either phase shows
// that one only.
TEST(ReportOptions, TimeWindowShowsOnlyItsPhase) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "phases", {"0.3"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const auto [one_from, one_to] = sampleSpanOf(profile, "phase_one");
    const auto [two_from, two_to] = sampleSpanOf(profile, "phase_two");
    ASSERT_LT(one_to, two_from) << "the phases overlap";

    const std::string first =
        reportOf(dir, {"--time", "0.." + nanoseconds((one_from + one_to) / 2)});
    EXPECT_TRUE(mentions(first, "phase_one")) << first;
    EXPECT_FALSE(mentions(first, "phase_two")) << first;
    const std::string second =
        reportOf(dir, {"--time", nanoseconds((two_from + two_to) / 2) + ".."});
    EXPECT_TRUE(mentions(second, "phase_two")) << second;
    EXPECT_FALSE(mentions(second, "phase_one")) << second;
    // The parallelism numbers are cut to the window too: about the first half of the CPU.
    const std::string json =
        parallelismOf(reportOf(dir, {"--time", "0.." + nanoseconds(one_to), "--format", "json"}));
    EXPECT_NEAR(jsonNumber(json, "to_seconds"), double(one_to) * 1e-9, 1e-6);
    EXPECT_NEAR(jsonNumber(json, "wall_seconds"), double(one_to) * 1e-9, 1e-6);
    EXPECT_LT(jsonNumber(json, "cpu_seconds"), 0.75 * sampledCpuSeconds(profile));
}

// 2 threads burning at once. How much CPU they get depends on the other load of the machine
// (shared, 2 cores: with a load average of 5 they got 1.1 CPUs), so the average parallelism is
// held against the kernel's own count, the CPU time of the run over its wall time; and the two
// workers must have been busy over the same span, not one after the other.
TEST(ReportOptions, TwoBusyThreadsRunInParallel) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "parallel_burn", {"2", "0.5"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Profile profile = recordedProfile(dir);
    const std::string json = parallelismOf(reportOf(dir, {"--format", "json"}));
    const double parallelism = jsonNumber(json, "average_parallelism");
    const double kernel_parallelism = double(profile.run.cpu_ns) / double(profile.run.wall_ns);
    EXPECT_NEAR(parallelism, kernel_parallelism, 0.1 * kernel_parallelism) << json;
    EXPECT_LE(parallelism, 2.05) << json; // two threads are on at most two CPUs at once

    const std::vector<std::string> threads = linesContaining(json, "\"timeline\"");
    std::vector<std::pair<double, double>> spans;
    for (const std::string& thread : threads) {
        if (jsonNumber(thread, "cpu_seconds") > 0.4) // a worker, not the main thread
            spans.emplace_back(jsonNumber(thread, "busy_from_seconds"),
                               jsonNumber(thread, "busy_to_seconds"));
    }
    ASSERT_EQ(spans.size(), 2u) << json;
    // Not one after the other: the busy spans overlap over most of the shorter one. (Not held
    // against the wall time: on a loaded machine one worker may start late.)
    const double overlap =
        std::min(spans[0].second, spans[1].second) - std::max(spans[0].first, spans[1].first);
    const double shorter =
        std::min(spans[0].second - spans[0].first, spans[1].second - spans[1].first);
    EXPECT_GT(overlap, 0.5 * shorter) << json;
    // Wall time with 0, 1 and 2 threads on a CPU: some with both.
    const std::string label = "\"concurrency_seconds\": [";
    const size_t from = json.find(label) + label.size();
    ASSERT_GE(from, label.size()) << json;
    std::istringstream numbers(json.substr(from, json.find(']', from) - from));
    std::vector<double> concurrency;
    for (std::string number; std::getline(numbers, number, ',');)
        concurrency.push_back(std::stod(number));
    ASSERT_EQ(concurrency.size(), 3u) << json;
    EXPECT_GT(concurrency[2], 0) << json;
    // Each second with k threads on a CPU holds k CPU seconds: the levels add up to the CPU time.
    const double cpu = jsonNumber(json, "cpu_seconds");
    EXPECT_NEAR(concurrency[1] + 2 * concurrency[2], cpu, 0.02 * cpu) << json;
}

TEST(ReportOptions, OneThreadIsSerial) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "phases", {"0.2"});
    ASSERT_EQ(run.status, 0) << run.err;
    const std::string json = parallelismOf(reportOf(dir, {"--format", "json"}));
    EXPECT_GT(jsonNumber(json, "serial_fraction"), 0.99) << json;
    EXPECT_LE(jsonNumber(json, "average_parallelism"), 1.01) << json;
}

// hprof record's summary: one line about parallelism for one thread, the section for several.
TEST(ReportOptions, RecordSummaryFitsTheJob) {
    const TempDir dir;
    const CommandResult single =
        runHprof({"-o", "profile.hprof", samplePath("phases"), "0.1"}, dir);
    ASSERT_EQ(single.status, 0) << single.err;
    EXPECT_TRUE(linesContaining(single.err, "Parallelism from").empty()) << single.err;
    const std::vector<std::string> lines = linesContaining(single.err, "parallelism: 1 thread, ");
    ASSERT_EQ(lines.size(), 1u) << single.err;
    const Profile profile = recordedProfile(dir);
    double cpu = 0, wall = 0, ratio = 0;
    ASSERT_EQ(std::sscanf(lines[0].c_str(),
                          "   parallelism: 1 thread, %lf s CPU in %lf s wall (%lf)", &cpu, &wall,
                          &ratio),
              3)
        << lines[0];
    EXPECT_NEAR(cpu, sampledCpuSeconds(profile), 0.0005);
    EXPECT_NEAR(wall, double(profile.run.wall_ns) * 1e-9, 0.0005);
    EXPECT_NEAR(ratio, cpu / wall, 0.01);

    const CommandResult several =
        runHprof({"-o", "several.hprof", samplePath("parallel_burn"), "2", "0.1"}, dir);
    ASSERT_EQ(several.status, 0) << several.err;
    EXPECT_EQ(linesContaining(several.err, "Parallelism from").size(), 1u) << several.err;
    EXPECT_EQ(linesContaining(several.err, "average parallelism").size(), 1u) << several.err;
    EXPECT_TRUE(linesContaining(several.err, "parallelism: 1 thread").empty()) << several.err;
}

} // namespace
