// hprof export end to end: real recordings exported and read by the real tools (python3's
// pstats, valgrind's callgrind_annotate), whose numbers must equal hprof report's; folded weights
// against report's sample counts under filters; and the one-line errors of bad input.
#include "files.h"
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace hprof::test;

namespace {

ChildOptions in(const TempDir& dir) {
    return {.working_dir = dir.path(), .seconds_to_finish = 60};
}

CommandResult python(const TempDir& dir, const std::string& script, const std::string& file) {
    return runCommand({"/usr/bin/env", "python3", "-c", script, file}, in(dir));
}

CommandResult exportRun(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "export");
    return runHprof(args, dir);
}

void exportTo(const TempDir& dir, const std::string& profile, const std::string& format,
              const std::string& output, std::vector<std::string> filters = {}) {
    filters.insert(filters.begin(), {profile, "--format", format, "-o", output});
    const CommandResult run = exportRun(dir, filters);
    ASSERT_EQ(run.status, 0) << run.err;
}

std::string reportText(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    const CommandResult run = runHprof(args, dir);
    EXPECT_EQ(run.status, 0) << run.err;
    return run.out;
}

// --- pstats tables: the same columns in both (pstats' print_stats layout) ---

struct Row {
    std::string ncalls, tottime, cumtime;
    bool operator==(const Row&) const = default;
};

std::string trimmed(const std::string& text) {
    const size_t first = text.find_first_not_of(' ');
    return first == std::string::npos ? ""
                                      : text.substr(first, text.find_last_not_of(' ') + 1 - first);
}

// Rows of the table after the "ncalls  tottime" header, by label.
std::map<std::string, Row> tableRows(const std::string& text) {
    std::map<std::string, Row> rows;
    std::istringstream lines(text);
    bool in_table = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("   ncalls  tottime  percall  cumtime  percall ")) {
            in_table = true;
        } else if (in_table && line.size() > 46) {
            rows[line.substr(46)] = {trimmed(line.substr(0, 9)), line.substr(10, 8),
                                     line.substr(28, 8)};
        } else if (in_table) {
            break;
        }
    }
    return rows;
}

// The label pstats prints for the row hprof report labels `label`: a function without a file
// is ("~", 0, name), printed as the name alone ("{x}" for "<x>"); a module that tells equal
// labels apart is part of the name.
std::string pstatsLabel(const std::string& label) {
    std::string base = label, suffix;
    static const std::regex disambiguated(R"(^(.*\)) (\[[^\]]*\])$)");
    if (std::smatch match; std::regex_match(label, match, disambiguated)) {
        base = match[1];
        suffix = " " + match[2].str();
    }
    if (base.starts_with("~:0(")) {
        std::string name = base.substr(4, base.size() - 5) + suffix;
        if (name.starts_with("<") && name.ends_with(">"))
            name = "{" + name.substr(1, name.size() - 2) + "}";
        return name;
    }
    return base.substr(0, base.size() - 1) + suffix + ")";
}

constexpr const char* kPrintStats = R"py(
import pstats, sys
stats = pstats.Stats(sys.argv[1])
stats.print_stats()
print("roots", sum(1 for v in stats.stats.values() if not v[4]))
)py";

// Every row of `hprof report` is in pstats' table with the same ncalls ("-": 0), tottime and
// cumtime; pstats has nothing else but the root it may add; and exactly one root.
void expectPstatsEqualsReport(const TempDir& dir, const std::string& profile) {
    exportTo(dir, profile, "pstats", "out.prof");
    const CommandResult printed = python(dir, kPrintStats, "out.prof");
    ASSERT_EQ(printed.status, 0) << printed.err;
    EXPECT_NE(printed.out.find("\nroots 1\n"), std::string::npos) << printed.out;
    const std::map<std::string, Row> pstats = tableRows(printed.out);
    const std::map<std::string, Row> report = tableRows(reportText(dir, {profile, "--limit", "0"}));
    ASSERT_FALSE(report.empty());
    for (const auto& [label, row] : report) {
        Row expected = row;
        if (expected.ncalls == "-")
            expected.ncalls = "0";
        const auto found = pstats.find(pstatsLabel(label));
        ASSERT_NE(found, pstats.end()) << label << " missing in\n" << printed.out;
        EXPECT_EQ(found->second, expected) << label;
    }
    const size_t extra = pstats.size() - report.size();
    EXPECT_LE(extra, 1u);
    if (extra == 1) {
        EXPECT_TRUE(pstats.count("{hprof root}")) << printed.out;
    }
}

// "ncalls tottime cumtime caller" of each line of a callers listing (pstats' print_callers and
// report --callers print the same columns), callers in pstats' labels.
std::set<std::string> callerLines(const std::string& text, bool from_report) {
    static const std::regex line(R"((\S+)\s+(\d+\.\d{3})\s+(\d+\.\d{3})  (.*)$)");
    std::set<std::string> callers;
    std::istringstream lines(text);
    for (std::string text_line; std::getline(lines, text_line);) {
        std::smatch match;
        if (!std::regex_search(text_line, match, line))
            continue;
        std::string ncalls = match[1];
        if (from_report && ncalls == "-")
            ncalls = "0";
        const std::string caller = from_report ? pstatsLabel(match[4]) : match[4].str();
        callers.insert(ncalls + " " + match[2].str() + " " + match[3].str() + " " + caller);
    }
    return callers;
}

void expectCallersEqualReport(const TempDir& dir, const std::string& profile,
                              const std::string& function) {
    const CommandResult printed = python(
        dir, "import pstats, sys; pstats.Stats(sys.argv[1]).print_callers('" + function + "')",
        "out.prof");
    ASSERT_EQ(printed.status, 0) << printed.err;
    const std::set<std::string> pstats = callerLines(printed.out, false);
    ASSERT_FALSE(pstats.empty()) << printed.out;
    EXPECT_EQ(pstats, callerLines(reportText(dir, {profile, "--callers", function}), true));
}

class ExportRecorded : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const CommandResult sampled = recordSample(*dir_, {}, "phases", {"0.15"});
        ASSERT_EQ(sampled.status, 0) << sampled.err;
        const CommandResult counted =
            runHprof({"-q", "-o", "recursion.hprof", samplePath("s_recursion")}, *dir_);
        ASSERT_EQ(counted.status, 0) << counted.err;
    }
    static void TearDownTestSuite() { delete dir_; }
    static TempDir* dir_;
};

TempDir* ExportRecorded::dir_ = nullptr;

TEST_F(ExportRecorded, PstatsOfASampledProfileEqualsReport) {
    expectPstatsEqualsReport(*dir_, "profile.hprof");
    expectCallersEqualReport(*dir_, "profile.hprof", "phase_one");
}

TEST_F(ExportRecorded, PstatsOfAnInstrumentedProfileEqualsReport) {
    expectPstatsEqualsReport(*dir_, "recursion.hprof");
    expectCallersEqualReport(*dir_, "recursion.hprof", "fib");
    // The header too: "N function calls (P primitive calls) in T seconds".
    const CommandResult printed = python(*dir_, kPrintStats, "out.prof");
    static const std::regex calls(
        R"( +\d+ function calls \(\d+ primitive calls\) in [0-9.]+ seconds)");
    std::smatch pstats_line, report_line;
    const std::string report = reportText(*dir_, {"recursion.hprof"});
    ASSERT_TRUE(std::regex_search(printed.out, pstats_line, calls)) << printed.out;
    ASSERT_TRUE(std::regex_search(report, report_line, calls)) << report;
    EXPECT_EQ(pstats_line.str(), report_line.str());
}

// --- callgrind, read by callgrind_annotate ---

// "file:function" -> nanoseconds of callgrind_annotate's function list, and its total samples.
struct Annotated {
    uint64_t total_samples = 0;
    std::map<std::string, int64_t> ns;
};

int64_t withoutCommas(std::string number) {
    std::erase(number, ',');
    return std::stoll(number);
}

Annotated annotate(const TempDir& dir, const std::string& file, bool inclusive) {
    const CommandResult run = runCommand(
        {"/usr/bin/env", "callgrind_annotate", "--auto=no", "--threshold=100", "--sort=Nanoseconds",
         std::string("--inclusive=") + (inclusive ? "yes" : "no"), file},
        in(dir));
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "");
    static const std::regex row(
        R"(^\s*([\d,]+) \([ \d.]+%\)\s+([\d,]+) \([ \d.]+%\)  (.*?)( \[.*\])?$)");
    Annotated annotated;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (!std::regex_match(line, match, row))
            continue;
        if (match[3] == "PROGRAM TOTALS")
            annotated.total_samples = uint64_t(withoutCommas(match[1]));
        else
            annotated.ns[match[3]] += withoutCommas(match[2]);
    }
    return annotated;
}

// report --format csv: "file:function" -> {tottime ns, cumtime ns}, and the sample count.
std::map<std::string, std::pair<int64_t, int64_t>> reportTimes(const TempDir& dir,
                                                               const std::string& profile) {
    const std::string csv = reportText(dir, {profile, "--format", "csv"});
    std::map<std::string, std::pair<int64_t, int64_t>> times;
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
        std::vector<std::string> fields;
        std::string field;
        bool quoted = false;
        for (size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"')
                field += line[++i];
            else if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == ',' && !quoted)
                fields.push_back(std::exchange(field, ""));
            else
                field += line[i];
        }
        fields.push_back(field);
        const std::string file = fields.at(8).empty() ? "???" : fields.at(8);
        times[file + ":" + fields.at(10)] = {std::llround(std::stod(fields.at(2)) * 1e9),
                                             std::llround(std::stod(fields.at(4)) * 1e9)};
    }
    return times;
}

uint64_t reportedSamples(const TempDir& dir, std::vector<std::string> args) {
    static const std::regex samples(R"((\d+) samples in )");
    std::smatch match;
    const std::string text = reportText(dir, args);
    EXPECT_TRUE(std::regex_search(text, match, samples)) << text;
    return match.empty() ? 0 : std::stoull(match[1]);
}

// callgrind_annotate's self costs are report's tottimes, its inclusive costs report's cumtimes
// (recursion included), its total report's sample count.
void expectCallgrindEqualsReport(const TempDir& dir, const std::string& profile) {
    exportTo(dir, profile, "callgrind", "out.callgrind");
    const auto report = reportTimes(dir, profile);
    for (bool inclusive : {false, true}) {
        const Annotated annotated = annotate(dir, "out.callgrind", inclusive);
        EXPECT_EQ(annotated.total_samples, reportedSamples(dir, {profile}));
        ASSERT_FALSE(annotated.ns.empty());
        for (const auto& [function, ns] : annotated.ns) {
            ASSERT_TRUE(report.count(function)) << function;
            EXPECT_EQ(ns, inclusive ? report.at(function).second : report.at(function).first)
                << profile << ": " << function << (inclusive ? " inclusive" : " self");
        }
    }
    // The functions with self time are exactly report's functions with tottime.
    const Annotated self = annotate(dir, "out.callgrind", false);
    for (const auto& [function, times] : report)
        EXPECT_EQ(self.ns.count(function) == 1, times.first > 0) << function;
}

TEST_F(ExportRecorded, CallgrindAnnotateShowsReportsTimes) {
    expectCallgrindEqualsReport(*dir_, "profile.hprof");
    expectCallgrindEqualsReport(*dir_, "recursion.hprof");
}

// --- folded ---

uint64_t foldedWeights(const TempDir& dir, std::vector<std::string> filters) {
    filters.insert(filters.begin(), {"profile.hprof", "--format", "folded"});
    const CommandResult run = exportRun(dir, filters);
    EXPECT_EQ(run.status, 0) << run.err;
    uint64_t sum = 0;
    for (const std::string& line : linesOf(run.out)) {
        const size_t space = line.rfind(' ');
        EXPECT_NE(space, std::string::npos) << line;
        sum += std::stoull(line.substr(space + 1));
    }
    return sum;
}

TEST_F(ExportRecorded, FoldedWeightsAreTheSelectedSamples) {
    const uint64_t all = foldedWeights(*dir_, {});
    EXPECT_EQ(all, reportedSamples(*dir_, {"profile.hprof"}));
    const std::vector<std::string> first_phase{"--time", "..100ms"};
    const uint64_t part = foldedWeights(*dir_, first_phase);
    EXPECT_LT(part, all);
    EXPECT_EQ(part, reportedSamples(*dir_, {"profile.hprof", "--time", "..100ms"}));
    EXPECT_EQ(foldedWeights(*dir_, {"--focus", "phase_two"}),
              reportedSamples(*dir_, {"profile.hprof", "--focus", "phase_two"}));
}

TEST(ExportThreads, FoldedFollowsTidAndPidFilters) {
    const TempDir dir;
    const CommandResult run = recordSample(dir, {}, "parallel_burn", {"2", "0.1"});
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    ASSERT_GE(profile.threads.size(), 3u);
    const std::string tid = std::to_string(profile.threads[1].tid);
    const std::string pid = std::to_string(profile.processes[0].pid);
    for (const std::vector<std::string>& filter :
         {std::vector<std::string>{"--tid", tid}, {"--exclude-tid", tid}, {"--pid", pid}}) {
        std::vector<std::string> report_args{"profile.hprof"};
        report_args.insert(report_args.end(), filter.begin(), filter.end());
        EXPECT_EQ(foldedWeights(dir, filter), reportedSamples(dir, report_args)) << filter[0];
    }
    // Several threads summed into one table: said once on stderr.
    const CommandResult folded = exportRun(dir, {"profile.hprof", "--format", "folded"});
    EXPECT_EQ(linesContaining(folded.err, "hprof export: folded drops threads:").size(), 1u)
        << folded.err;
}

// --- bad input ---

TEST(ExportErrors, BadInputIsOneLineAndExitStatus2) {
    const TempDir dir;
    dir.writeFile("corrupt.hprof", "HPROF but not really a profile");
    const CommandResult record = recordSample(dir, {}, "phases", {"0.05"});
    ASSERT_EQ(record.status, 0) << record.err;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"missing.hprof", "--format", "folded"}, "missing.hprof"},
        {{"corrupt.hprof", "--format", "pstats", "-o", "x.prof"}, "corrupt.hprof"},
        {{"profile.hprof", "--format", "svg"},
         "unknown export format 'svg' (expected one of pstats, callgrind, pprof, folded, "
         "speedscope, chrome)"},
        {{"profile.hprof", "--format", "callgrind", "-o", "no/such/dir/out"}, "no/such/dir/out"},
        {{"profile.hprof", "--format", "folded", "--pid", "999999"}, "999999"},
    };
    for (const auto& [args, mentioned] : cases) {
        const CommandResult run = exportRun(dir, args);
        EXPECT_EQ(run.status, 2) << args[0];
        EXPECT_EQ(run.out, "");
        EXPECT_EQ(linesOf(run.err).size(), 1u) << run.err;
        EXPECT_TRUE(run.err.starts_with("hprof: ")) << run.err;
        EXPECT_NE(run.err.find(mentioned), std::string::npos) << run.err;
    }
    EXPECT_FALSE(fileExists(dir.file("x.prof")));
}

// Runs `hprof args...` with stdout and stderr on a pseudo-terminal (python3's pty module); the
// result's out holds what the terminal showed.
CommandResult onTerminal(const TempDir& dir, const std::vector<std::string>& args) {
    constexpr const char* kOnPty = R"py(
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
shown = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    shown += data
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
)py";
    std::vector<std::string> argv{"/usr/bin/env", "python3", "-c", kOnPty};
    for (const std::string& word : hprofCommand(args))
        argv.push_back(word);
    return runCommand(argv, in(dir));
}

TEST(ExportErrors, BinaryFormatsRefuseATerminal) {
    const TempDir dir;
    const CommandResult record = recordSample(dir, {}, "phases", {"0.05"});
    ASSERT_EQ(record.status, 0) << record.err;
    const CommandResult binary = onTerminal(dir, {"export", "profile.hprof", "--format", "pstats"});
    EXPECT_EQ(binary.status, 2) << binary.out << binary.err;
    EXPECT_EQ(linesOf(binary.out).size(), 1u) << binary.out;
    EXPECT_NE(binary.out.find("hprof: export: pstats is a binary format: give -o FILE or "
                              "redirect standard output"),
              std::string::npos)
        << binary.out;
    // Text goes to the terminal; a binary format to a file from there.
    const CommandResult text = onTerminal(dir, {"export", "profile.hprof", "--format", "folded"});
    EXPECT_EQ(text.status, 0) << text.out;
    EXPECT_NE(text.out.find("phase_one(double)"), std::string::npos) << text.out;
    const CommandResult file =
        onTerminal(dir, {"export", "profile.hprof", "--format", "pstats", "-o", "p.prof"});
    EXPECT_EQ(file.status, 0) << file.out;
    EXPECT_TRUE(fileExists(dir.file("p.prof")));
}

TEST(ExportErrors, AFailedExportLeavesTheOldOutput) {
    const TempDir dir;
    dir.writeFile("out.txt", "previous\n");
    const CommandResult run =
        exportRun(dir, {"missing.hprof", "--format", "folded", "-o", "out.txt"});
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(readFile(dir.file("out.txt")), "previous\n");
}

} // namespace
