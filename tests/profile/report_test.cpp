#include "files.h"
#include "hprof/error.h"
#include "hprof/report.h"
#include "temp_dir.h"
#include "test_support.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <sstream>

namespace hprof {
namespace {

using test::report;

ReportOptions withFormat(ReportFormat format, SortKey sort = SortKey::TotTime) {
    ReportOptions options;
    options.format = format;
    options.sort = sort;
    return options;
}

// A small RFC 4180 reader: quoted cells may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        std::string& cell = rows.back().back();
        if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"')
            cell += text[++i];
        else if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ',')
            rows.back().emplace_back();
        else if (!quoted && c == '\n')
            rows.emplace_back(1);
        else
            cell += c;
    }
    EXPECT_FALSE(quoted) << "unterminated quote";
    if (rows.back() == std::vector<std::string>(1))
        rows.pop_back();
    return rows;
}

// The function column of the CSV report, in report order.
std::vector<std::string> functionOrder(const Profile& profile, ReportOptions options) {
    options.format = ReportFormat::Csv;
    std::vector<std::string> names;
    auto rows = parseCsv(report(profile, options));
    for (size_t row = 1; row < rows.size(); ++row)
        names.push_back(rows[row].at(10));
    return names;
}

// Runs python3's json module over the document plus `check`, a Python expression over `d`.
bool pythonAccepts(const std::string& json, const std::string& check) {
    test::TempDir dir;
    test::writeFile(dir.file("report.json"), json);
    std::string script =
        "import json,sys; d=json.load(sys.stdin); sys.exit(0 if (" + check + ") else 3)";
    std::string command = "python3 -c '" + script + "' < '" + dir.file("report.json") + "'";
    return std::system(command.c_str()) == 0;
}

TEST(Report, ParsesSortKeysAndFormats) {
    EXPECT_EQ(parseSortKey("tottime"), SortKey::TotTime);
    EXPECT_EQ(parseSortKey("time"), SortKey::TotTime);
    EXPECT_EQ(parseSortKey("cumtime"), SortKey::CumTime);
    EXPECT_EQ(parseSortKey("cumulative"), SortKey::CumTime);
    EXPECT_EQ(parseSortKey("ncalls"), SortKey::NCalls);
    EXPECT_EQ(parseSortKey("calls"), SortKey::NCalls);
    EXPECT_EQ(parseSortKey("name"), SortKey::Name);
    EXPECT_EQ(parseSortKey("Name"), std::nullopt);
    EXPECT_EQ(parseSortKey(""), std::nullopt);
    EXPECT_EQ(parseReportFormat("text"), ReportFormat::Text);
    EXPECT_EQ(parseReportFormat("json"), ReportFormat::Json);
    EXPECT_EQ(parseReportFormat("csv"), ReportFormat::Csv);
    EXPECT_EQ(parseReportFormat("xml"), std::nullopt);
}

TEST(Report, TextLooksLikePstats) {
    std::string expected =
        "hprof: ./app x\n"
        "         5 samples in 0.015 CPU seconds, 0.020 seconds wall (1000 Hz, perf-task-clock)\n"
        "hprof: warning: program owns SIGPROF; sampled with signal 60\n"
        "hprof: warning: 3 samples were dropped\n"
        "\n"
        "   Ordered by: internal time\n"
        "\n"
        "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
        "        -    0.005        -    0.005        - map:100(std::map<int, int>::find)\n"
        "        -    0.004        -    0.015        - app.cpp:1(main)\n"
        "        -    0.003        -    0.003        - ~:0(delta)\n"
        "        -    0.002        -    0.003        - app.cpp:20(beta())\n"
        "        -    0.001        -    0.003        - app.cpp:10(alpha(int))\n"
        "        -    0.000        -    0.003        - app.h:5(gamma_inline)\n"
        "\n";
    EXPECT_EQ(report(test::callTreeProfile(), withFormat(ReportFormat::Text)), expected);
}

TEST(Report, TextLimitSaysHowManyRowsWereOmitted) {
    ReportOptions options = withFormat(ReportFormat::Text, SortKey::CumTime);
    options.limit = 2;
    std::string text = report(test::callTreeProfile(), options);
    EXPECT_NE(text.find("   Ordered by: cumulative time\n"), std::string::npos);
    EXPECT_NE(text.find("- app.cpp:1(main)\n"), std::string::npos);
    EXPECT_NE(text.find("- map:100(std::map<int, int>::find)\n"), std::string::npos);
    EXPECT_EQ(text.find("alpha"), std::string::npos);
    EXPECT_NE(text.find("   4 of 6 functions omitted (--limit 2)\n"), std::string::npos);
}

TEST(Report, SortOrdersAreDeterministic) {
    Profile profile = test::callTreeProfile();
    std::vector<std::string> byTotTime = {
        "std::map<int, int>::find", "main", "delta", "beta()", "alpha(int)", "gamma_inline"};
    std::vector<std::string> byCumTime = {
        "main", "std::map<int, int>::find", "alpha(int)", "beta()", "delta", "gamma_inline"};
    std::vector<std::string> byName = {"alpha(int)",   "beta()", "delta",
                                       "gamma_inline", "main",   "std::map<int, int>::find"};
    EXPECT_EQ(functionOrder(profile, withFormat(ReportFormat::Csv, SortKey::TotTime)), byTotTime);
    EXPECT_EQ(functionOrder(profile, withFormat(ReportFormat::Csv, SortKey::CumTime)), byCumTime);
    // Every call count is unknown, so ncalls falls back to tottime.
    EXPECT_EQ(functionOrder(profile, withFormat(ReportFormat::Csv, SortKey::NCalls)), byTotTime);
    EXPECT_EQ(functionOrder(profile, withFormat(ReportFormat::Csv, SortKey::Name)), byName);
}

TEST(Report, CsvQuotesAndLeavesUnknownCellsEmpty) {
    auto rows = parseCsv(report(test::callTreeProfile(), withFormat(ReportFormat::Csv)));
    ASSERT_EQ(rows.size(), 7u);
    std::vector<std::string> header = {"ncalls",
                                       "primitive_calls",
                                       "tottime",
                                       "tottime_percall",
                                       "cumtime",
                                       "cumtime_percall",
                                       "self_share",
                                       "total_share",
                                       "file",
                                       "line",
                                       "function",
                                       "module",
                                       "instrumented_tottime",
                                       "instrumented_cumtime",
                                       "off_cpu_tottime",
                                       "off_cpu_cumtime"};
    EXPECT_EQ(rows[0], header);
    for (const auto& row : rows)
        EXPECT_EQ(row.size(), 16u);
    std::vector<std::string> find = {"",
                                     "",
                                     "0.005",
                                     "",
                                     "0.005",
                                     "",
                                     "0.3333333333333333",
                                     "0.3333333333333333",
                                     "map",
                                     "100",
                                     "std::map<int, int>::find",
                                     "/bin/app",
                                     "",
                                     "",
                                     "0",
                                     "0"};
    EXPECT_EQ(rows[1], find);
    std::vector<std::string> delta = {"", "", "0.003", "", "0.003", "", "0.2", "0.2",
                                      "", "", "delta", "", "",      "", "0",   "0"};
    EXPECT_EQ(rows[3], delta);

    std::string csv = report(test::callTreeProfile(), withFormat(ReportFormat::Csv));
    EXPECT_NE(csv.find(",\"std::map<int, int>::find\","), std::string::npos);
}

TEST(Report, CsvDoublesQuotesInsideCells) {
    auto rows = parseCsv(report(test::richProfile(), withFormat(ReportFormat::Csv, SortKey::Name)));
    bool found = false;
    for (const auto& row : rows) {
        ASSERT_EQ(row.size(), 16u);
        found = found || row[10] == "odd\"name\\\x01\xff";
    }
    EXPECT_TRUE(found);
}

TEST(Report, SharesSumToOne) {
    auto rows = parseCsv(report(test::callTreeProfile(), withFormat(ReportFormat::Csv)));
    double self_share = 0;
    for (size_t row = 1; row < rows.size(); ++row) {
        self_share += std::stod(rows[row][6]);
        EXPECT_LE(std::stod(rows[row][6]), std::stod(rows[row][7]));
        EXPECT_LE(std::stod(rows[row][7]), 1.0);
    }
    EXPECT_NEAR(self_share, 1.0, 1e-12);
    EXPECT_TRUE(pythonAccepts(report(test::callTreeProfile(), withFormat(ReportFormat::Json)),
                              "abs(sum(f[\"self_share\"] for f in d[\"functions\"]) - 1) < 1e-12"));
}

TEST(Report, JsonHasEveryDocumentedField) {
    std::string json = report(test::callTreeProfile(), withFormat(ReportFormat::Json));
    std::string top =
        "d[\"total_samples\"] == 5 and d[\"cpu_seconds\"] == 0.015 and "
        "d[\"wall_seconds\"] == 0.02 and d[\"frequency_hz\"] == 1000 and "
        "d[\"trigger\"] == \"perf-task-clock\" and d[\"command\"] == [\"./app\", \"x\"] "
        "and d[\"exit_status\"] == 0 and len(d[\"warnings\"]) == 1 and "
        "d[\"dropped_samples\"] == 3";
    std::string find = "d[\"functions\"][0] == {\"function\": \"std::map<int, int>::find\", "
                       "\"file\": \"map\", \"line\": 100, \"module\": \"/bin/app\", "
                       "\"ncalls\": None, \"primitive_calls\": None, \"tottime\": 0.005, "
                       "\"cumtime\": 0.005, \"instrumented_tottime\": None, "
                       "\"instrumented_cumtime\": None, \"off_cpu_tottime\": 0, "
                       "\"off_cpu_cumtime\": 0, \"self_samples\": 1, \"total_samples\": 1, "
                       "\"self_share\": 1/3, \"total_share\": 1/3}";
    std::string delta = "[f[\"module\"] for f in d[\"functions\"] if f[\"function\"] == "
                        "\"delta\"] == [None]";
    // The threads have no lifetimes; the weights make main busy 0..2 ms, worker 0..5 ms.
    std::string threads =
        "d[\"threads\"][0] == {\"pid\": 100, \"tid\": 100, \"name\": \"main\", "
        "\"start_seconds\": 0, \"end_seconds\": 0, \"samples\": 2, \"cpu_seconds\": 0.003, "
        "\"off_cpu_seconds\": 0, \"run_queue_seconds\": 0, \"share\": 0.2, \"busy_from_seconds\": "
        "0, "
        "\"busy_to_seconds\": 0.002, \"kernel_cpu_seconds\": None} and "
        "[(t[\"tid\"], t[\"cpu_seconds\"]) for t in d[\"threads\"]] == "
        "[(100, 0.003), (101, 0.008), (200, 0.004)]";
    std::string processes =
        "d[\"processes\"][1] == {\"pid\": 200, \"ppid\": 100, \"parent_pid\": None, "
        "\"from_exec\": False, \"command\": \"./app child\", \"executable\": \"\", "
        "\"profiled\": True, \"note\": \"\", \"start_seconds\": 0, \"end_seconds\": 0.02, "
        "\"exit_status\": 0, \"rank\": None, \"samples\": 1, \"cpu_seconds\": 0.004, "
        "\"off_cpu_seconds\": 0, "
        "\"run_queue_seconds\": 0, "
        "\"share\": 0.004 / 0.015, \"busy_from_seconds\": 0, \"busy_to_seconds\": 0.004, "
        "\"threads\": 1} and [p[\"cpu_seconds\"] for p in d[\"processes\"]] == [0.011, 0.004]";
    for (const std::string& condition : {top, find, delta, threads, processes})
        EXPECT_TRUE(pythonAccepts(json, condition)) << condition << "\n" << json;
}

TEST(Report, JsonStaysValidForHostileNames) {
    std::string json = report(test::richProfile(), withFormat(ReportFormat::Json));
    // Quote, backslash and a control byte come back as they were, the invalid byte as U+FFFD.
    EXPECT_TRUE(pythonAccepts(json, "\"odd\\\"name\\\\\\x01\\ufffd\" in "
                                    "[f[\"function\"] for f in d[\"functions\"]]"))
        << json;
    EXPECT_TRUE(pythonAccepts(json, "d[\"warnings\"][1] == \"second\\nline\""));
}

TEST(Report, JsonLimitAndFiltersApply) {
    ReportOptions options = withFormat(ReportFormat::Json);
    options.limit = 2;
    options.filter = resolveFilter(test::callTreeProfile(), {.pids = {100}});
    std::string json = report(test::callTreeProfile(), options);
    EXPECT_TRUE(pythonAccepts(json, "len(d[\"functions\"]) == 2 and d[\"total_samples\"] == 4 "
                                    "and [p[\"pid\"] for p in d[\"processes\"]] == [100]"))
        << json;

    ReportOptions empty = withFormat(ReportFormat::Json);
    empty.filter.from_ns = 100 * test::kMs;
    EXPECT_TRUE(pythonAccepts(report(test::callTreeProfile(), empty),
                              "d[\"functions\"] == [] and d[\"cpu_seconds\"] == 0"));
}

TEST(Report, TextKeepsOneLinePerRowForHostileNames) {
    ReportOptions options = withFormat(ReportFormat::Text, SortKey::Name);
    std::string text = report(test::richProfile(), options);
    EXPECT_NE(text.find("hprof: warning: second line\n"), std::string::npos) << text;
    EXPECT_NE(text.find(" ~:0(odd\"name\\ \xff)\n"), std::string::npos) << text;
}

TEST(Report, TextFiltersByThreadAndTime) {
    ReportOptions options = withFormat(ReportFormat::Text);
    options.filter = resolveFilter(test::callTreeProfile(), {.tids = {101}});
    options.filter.to_ns = 4 * test::kMs;
    std::string text = report(test::callTreeProfile(), options);
    EXPECT_NE(text.find("         1 samples in 0.003 CPU seconds"), std::string::npos) << text;
    EXPECT_NE(text.find("    0.003        - ~:0(delta)\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("find"), std::string::npos) << text;
}

TEST(Report, TextShowsCallCountsLikePstats) {
    std::string expected =
        "hprof: ./m\n"
        "         14 function calls (12 primitive calls) in 0.031 seconds\n"
        "         5 samples in 0.031 CPU seconds, 0.000 seconds wall (1000 Hz, perf-task-clock)\n"
        "\n"
        "   Ordered by: internal time\n"
        "\n"
        "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)\n"
        "        1    0.016    0.016    0.023    0.023 m.c:1(main)\n"
        "        3    0.012    0.004    0.012    0.004 m.c:20(B)\n"
        "      3/1    0.003    0.001    0.003    0.003 m.c:10(A)\n"
        "        7    0.000    0.000    0.000    0.000 m.c:30(D)\n"
        "\n";
    EXPECT_EQ(report(test::callCountProfile(), withFormat(ReportFormat::Text)), expected);
}

TEST(Report, CallHeaderOmitsPrimitiveCallsWhenThereIsNoRecursion) {
    ReportOptions options = withFormat(ReportFormat::Text);
    options.filter = resolveFilter(test::callCountProfile(), {.tids = {101}});
    std::string text = report(test::callCountProfile(), options);
    EXPECT_NE(text.find("hprof: ./m\n         3 function calls in 0.008 seconds\n"),
              std::string::npos)
        << text;
}

TEST(Report, NcallsSortUsesTheCounts) {
    EXPECT_EQ(
        functionOrder(test::callCountProfile(), withFormat(ReportFormat::Csv, SortKey::NCalls)),
        (std::vector<std::string>{"D", "B", "A", "main"}));
}

TEST(Report, TextCallers) {
    ReportOptions options = withFormat(ReportFormat::Text);
    options.callers_of = "A";
    std::string expected =
        "hprof: ./m\n"
        "         14 function calls (12 primitive calls) in 0.031 seconds\n"
        "         5 samples in 0.031 CPU seconds, 0.000 seconds wall (1000 Hz, perf-task-clock)\n"
        "\n"
        "   Ordered by: internal time\n"
        "   List reduced from 4 to 1 due to restriction <'A'>\n"
        "\n"
        "Function                                  was called by...\n"
        "                                              ncalls  tottime  cumtime\n"
        "m.c:10(A)                                 <-     2/1    0.001    0.001  m.c:10(A)\n"
        "                                                   1    0.002    0.003  m.c:1(main)\n"
        "\n"
        "\n";
    EXPECT_EQ(report(test::callCountProfile(), options), expected);
}

TEST(Report, TextCalleesOfEveryMatch) {
    ReportOptions options = withFormat(ReportFormat::Text, SortKey::Name);
    options.callees_of = ""; // every function, like pstats without a restriction
    std::string expected =
        "   List reduced from 4 to 4 due to restriction <''>\n"
        "\n"
        "Function                                  called...\n"
        "                                              ncalls  tottime  cumtime\n"
        "m.c:10(A)                                 ->     2/1    0.001    0.001  m.c:10(A)\n"
        "m.c:20(B)                                 ->       7    0.000    0.000  m.c:30(D)\n"
        "m.c:30(D)                                 -> \n"
        "m.c:1(main)                               ->       1    0.002    0.003  m.c:10(A)\n"
        "                                                   2    0.004    0.004  m.c:20(B)\n"
        "\n"
        "\n";
    std::string text = report(test::callCountProfile(), options);
    ASSERT_GE(text.size(), expected.size());
    EXPECT_EQ(text.substr(text.size() - expected.size()), expected);

    options.limit = 1;
    text = report(test::callCountProfile(), options);
    EXPECT_NE(text.find("restriction <''>\n   List reduced from 4 to 1 due to restriction <1>\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("m.c:20(B)  "), std::string::npos) << text;
}

TEST(Report, TextCallersOfUninstrumentedCodeAndOfSamplesOnly) {
    ReportOptions options = withFormat(ReportFormat::Text);
    options.callers_of = "B";
    std::string text = report(test::callCountProfile(), options);
    EXPECT_NE(text.find("m.c:20(B)                                 <-       2    0.004    0.004  "
                        "m.c:1(main)\n"
                        "                                                   1    0.000    0.000  "
                        "<not instrumented>\n"),
              std::string::npos)
        << text;

    options.callers_of = "delta";
    text = report(test::callTreeProfile(), options);
    EXPECT_NE(text.find("~:0(delta)                                <-       -    0.003    0.003  "
                        "app.h:5(gamma_inline)\n"),
              std::string::npos)
        << text;
}

TEST(Report, CallersNeedsAMatchAndExcludesCallees) {
    ReportOptions options = withFormat(ReportFormat::Text);
    options.callers_of = "nothing_like_this";
    try {
        report(test::callCountProfile(), options);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_STREQ(error.what(), "no function matches 'nothing_like_this'");
    }
    options.callers_of = "A";
    options.callees_of = "A";
    EXPECT_THROW(report(test::callCountProfile(), options), Error);
}

TEST(Report, JsonCallersAndCallees) {
    ReportOptions options = withFormat(ReportFormat::Json);
    options.callers_of = "B";
    std::string json = report(test::callCountProfile(), options);
    std::string callers =
        "d == [{\"function\": \"B\", \"file\": \"m.c\", \"line\": 20, \"callers\": ["
        "{\"function\": \"main\", \"file\": \"m.c\", \"line\": 1, \"ncalls\": 2, "
        "\"primitive_calls\": 2, \"tottime\": 0.004, \"cumtime\": 0.004, "
        "\"instrumented_tottime\": None, \"instrumented_cumtime\": None}, "
        "{\"function\": None, \"file\": None, \"line\": None, \"ncalls\": 1, "
        "\"primitive_calls\": 1, \"tottime\": 0, \"cumtime\": 0, "
        "\"instrumented_tottime\": None, \"instrumented_cumtime\": None}]}]";
    EXPECT_TRUE(pythonAccepts(json, callers)) << json;

    options.callers_of.reset();
    options.callees_of = "alpha";
    json = report(test::callTreeProfile(), options);
    std::string callees =
        "d == [{\"function\": \"alpha(int)\", \"file\": \"app.cpp\", \"line\": 10, \"callees\": ["
        "{\"function\": \"beta()\", \"file\": \"app.cpp\", \"line\": 20, \"ncalls\": None, "
        "\"primitive_calls\": None, \"tottime\": 0.002, \"cumtime\": 0.003, "
        "\"instrumented_tottime\": None, \"instrumented_cumtime\": None}]}]";
    EXPECT_TRUE(pythonAccepts(json, callees)) << json;
}

TEST(Report, CsvHasOneRowPerEdge) {
    ReportOptions options = withFormat(ReportFormat::Csv);
    options.callers_of = "";
    auto rows = parseCsv(report(test::callCountProfile(), options));
    std::vector<std::vector<std::string>> expected = {
        {"function", "file", "line", "caller", "caller_file", "caller_line", "ncalls",
         "primitive_calls", "tottime", "cumtime", "instrumented_tottime", "instrumented_cumtime"},
        {"main", "m.c", "1", "", "", "", "1", "1", "0", "0", "", ""},
        {"B", "m.c", "20", "main", "m.c", "1", "2", "2", "0.004", "0.004", "", ""},
        {"B", "m.c", "20", "", "", "", "1", "1", "0", "0", "", ""},
        {"A", "m.c", "10", "A", "m.c", "10", "2", "1", "0.001", "0.001", "", ""},
        {"A", "m.c", "10", "main", "m.c", "1", "1", "1", "0.002", "0.003", "", ""},
        {"D", "m.c", "30", "B", "m.c", "20", "7", "7", "0", "0", "", ""}};
    EXPECT_EQ(rows, expected);

    options.callers_of.reset();
    options.callees_of = "alpha";
    rows = parseCsv(report(test::callTreeProfile(), options));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][3], "callee");
    EXPECT_EQ(rows[1], (std::vector<std::string>{"alpha(int)", "app.cpp", "10", "beta()", "app.cpp",
                                                 "20", "", "", "0.002", "0.003", "", ""}));
}

TEST(Report, JsonCallCountsAndInstrumentation) {
    std::string json = report(test::callCountProfile(), withFormat(ReportFormat::Json));
    EXPECT_TRUE(pythonAccepts(json, "d[\"instrumentation\"] == \"counts\" and "
                                    "d[\"total_calls\"] == 14 and d[\"primitive_calls\"] == 12"))
        << json;
    EXPECT_TRUE(pythonAccepts(json, "[(f[\"function\"], f[\"ncalls\"], f[\"primitive_calls\"]) "
                                    "for f in d[\"functions\"]] == [(\"main\", 1, 1), "
                                    "(\"B\", 3, 3), (\"A\", 3, 1), (\"D\", 7, 7)]"))
        << json;
    json = report(test::callTreeProfile(), withFormat(ReportFormat::Json));
    EXPECT_TRUE(pythonAccepts(json, "d[\"instrumentation\"] is None and d[\"total_calls\"] is "
                                    "None and d[\"primitive_calls\"] is None"))
        << json;
}

// Exact times on the B edges and counts (thread 100 only): the reports show them next to the
// sampled ones, and the text --callers view prints them instead.
TEST(Report, InstrumentedTimesInEveryFormat) {
    Profile profile = test::timedCallCountProfile();
    std::string json = report(profile, withFormat(ReportFormat::Json));
    EXPECT_TRUE(pythonAccepts(json, "[(f[\"function\"], f[\"instrumented_tottime\"], "
                                    "f[\"instrumented_cumtime\"]) for f in d[\"functions\"]] == "
                                    "[(\"main\", None, None), (\"B\", 0.25, 1.5), "
                                    "(\"A\", None, None), (\"D\", None, None)]"))
        << json;
    auto rows = parseCsv(report(profile, withFormat(ReportFormat::Csv)));
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[2][10], "B");
    EXPECT_EQ((std::vector<std::string>{rows[2][12], rows[2][13]}),
              (std::vector<std::string>{"0.25", "1.5"}));

    ReportOptions options = withFormat(ReportFormat::Json);
    options.callers_of = "B";
    json = report(profile, options);
    EXPECT_TRUE(pythonAccepts(json, "[(e[\"function\"], e[\"tottime\"], "
                                    "e[\"instrumented_tottime\"], e[\"instrumented_cumtime\"]) "
                                    "for e in d[0][\"callers\"]] == [(\"main\", 0.004, 0.25, 1.5), "
                                    "(None, 0, None, None)]"))
        << json;
    options.format = ReportFormat::Csv;
    rows = parseCsv(report(profile, options));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ((std::vector<std::string>{rows[1][3], rows[1][10], rows[1][11]}),
              (std::vector<std::string>{"main", "0.25", "1.5"}));
    EXPECT_EQ((std::vector<std::string>{rows[2][10], rows[2][11]}),
              (std::vector<std::string>{"", ""}));
}

TEST(Report, TextCallersPrintExactTimesWhenKnown) {
    Profile profile = test::timedCallCountProfile();
    ReportOptions options = withFormat(ReportFormat::Text);
    options.callees_of = "main";
    std::string text = report(profile, options);
    EXPECT_NE(text.find("    ncalls  tottime  cumtime\n"
                        "   times: exact, from instrumentation, where known; sampled otherwise\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("     2    0.250    1.500  m.c:20(B)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("     1    0.002    0.003  m.c:10(A)\n"), std::string::npos) << text;

    options.callees_of = "B";
    text = report(profile, options);
    EXPECT_NE(text.find("cumtime\n   times: exact, from instrumentation\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("     7    0.125    0.125  m.c:30(D)\n"), std::string::npos) << text;

    // Without times the header stays as pstats has it.
    text = report(test::callCountProfile(), options);
    EXPECT_EQ(text.find("times:"), std::string::npos) << text;
}

} // namespace
} // namespace hprof
