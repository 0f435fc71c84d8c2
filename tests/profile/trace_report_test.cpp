// hprof report --trace: the kept calls of each thread in time order, nested by their intervals.
#include "hprof/error.h"
#include "hprof/report.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <sstream>

namespace hprof {
namespace {

constexpr int64_t kUs = 1'000;

// Thread 100 (pid 100, "main"):  main [0, 10 ms) > work [1, 4) > leaf [2, 3)
//                                                > work [5, 9) > leaf [5, 5.5)
//                                 then leaf [9.5, 9.5) of no duration, a sibling of main's
//                                 children (it starts inside main)
// Thread 101 (pid 100, "worker"): work [2, 3)
// Thread 200 (pid 200, "child"):  leaf [0.25, 1.25)
// Thread 102 (pid 100, "idle"):   no calls
Profile traceProfile() {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.run.command = {"./app"};
    profile.run.instrumentation = "trace";
    profile.run.min_duration_ns = 100 * kUs;
    profile.processes.push_back(test::makeProcess(100, 1, "./app", 0, 20 * test::kMs, 0));
    profile.processes.push_back(test::makeProcess(200, 100, "./app child", 0, 20 * test::kMs, 0));
    profile.threads.push_back({ProcessId(0), 100, "main", 0, 0, 0});
    profile.threads.push_back({ProcessId(0), 101, "worker", 0, 0, 0});
    profile.threads.push_back({ProcessId(1), 200, "child", 0, 0, 0});
    profile.threads.push_back({ProcessId(0), 102, "idle", 0, 0, 0});
    ModuleId app = builder.internModule({"/bin/app", ""});
    FunctionId main = builder.internFunction({"main", "app.c", 1, app});
    FunctionId work = builder.internFunction({"work(int, char)", "app.c", 10, app});
    FunctionId leaf = builder.internFunction({"leaf", "", 0, app});
    auto call = [&](uint32_t thread, FunctionId function, int64_t start_us, int64_t duration_us) {
        profile.trace_events.push_back(
            {ThreadId(thread), function, start_us * kUs, duration_us * kUs});
    };
    call(0, main, 0, 10'000);
    call(0, work, 1'000, 3'000);
    call(0, leaf, 2'000, 1'000);
    call(0, work, 5'000, 4'000);
    call(0, leaf, 5'000, 500);
    call(0, leaf, 9'500, 0);
    call(1, work, 2'000, 1'000);
    call(2, leaf, 250, 1'000);
    return builder.take();
}

std::string traceReport(const Profile& profile, ReportOptions options) {
    options.trace = true;
    std::ostringstream out;
    printReport(profile, options, out);
    return out.str();
}

ReportOptions withFormat(ReportFormat format) {
    ReportOptions options;
    options.format = format;
    return options;
}

// The lines of `text` after the first line that starts with `header`, up to an empty line.
std::vector<std::string> linesAfter(const std::string& text, const std::string& header) {
    std::istringstream in(text);
    std::vector<std::string> lines;
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (inside && line.empty())
            break;
        if (inside)
            lines.push_back(line);
        inside = inside || line.rfind(header, 0) == 0;
    }
    return lines;
}

TEST(TraceReport, TextListsEachThreadInTimeOrderIndentedByNesting) {
    std::string text = traceReport(traceProfile(), {});
    EXPECT_NE(text.find("Calls of at least 0.100 ms, in time order"), std::string::npos) << text;
    size_t main_thread = text.find("   Thread 100 (main) of process 100\n");
    size_t worker = text.find("   Thread 101 (worker) of process 100\n");
    size_t child = text.find("   Thread 200 (child) of process 200\n");
    ASSERT_NE(main_thread, std::string::npos) << text;
    EXPECT_LT(main_thread, worker);
    EXPECT_LT(worker, child);
    EXPECT_EQ(text.find("idle"), std::string::npos) << "a thread without calls is not listed";
    std::vector<std::string> expected = {
        "     0.000       10.000  main (app.c:1)",
        "     1.000        3.000    work(int, char) (app.c:10)",
        "     2.000        1.000      leaf",
        "     5.000        4.000    work(int, char) (app.c:10)",
        "     5.000        0.500      leaf",
        "     9.500        0.000    leaf",
    };
    EXPECT_EQ(linesAfter(text.substr(main_thread), "  start_ms  duration_ms  function"), expected)
        << text;
    EXPECT_EQ(linesAfter(text.substr(child), "  start_ms  duration_ms  function"),
              std::vector<std::string>{"     0.250        1.000  leaf"});
}

TEST(TraceReport, LimitCutsTheCallsOfEachThread) {
    ReportOptions options;
    options.limit = 2;
    std::string text = traceReport(traceProfile(), options);
    std::vector<std::string> expected = {"     0.000       10.000  main (app.c:1)",
                                         "     1.000        3.000    work(int, char) (app.c:10)"};
    EXPECT_EQ(linesAfter(text, "  start_ms  duration_ms  function"), expected) << text;
    EXPECT_NE(text.find("   4 of 6 calls omitted (--limit 2)"), std::string::npos) << text;
    EXPECT_NE(text.find("     2.000        1.000  work(int, char)"), std::string::npos)
        << "the other threads keep their first calls: " << text;
}

TEST(TraceReport, FiltersByProcessThreadAndTime) {
    ReportOptions options = withFormat(ReportFormat::Csv);
    options.filter = resolveFilter(traceProfile(), {.pids = {100}});
    std::string csv = traceReport(traceProfile(), options);
    EXPECT_NE(csv.find("\n100,101,worker,"), std::string::npos) << csv;
    EXPECT_EQ(csv.find("\n200,"), std::string::npos) << csv;
    options.filter = resolveFilter(traceProfile(), {.tids = {200}});
    EXPECT_EQ(traceReport(traceProfile(), options),
              "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n"
              "200,200,child,0.25,1,0,leaf,,\n");
    // [4.5 ms, 5 ms): the calls that overlap it keep the depth they have in the whole thread;
    // leaf at 5 ms starts at the end of the range, work [1, 4) ended before it.
    options.filter = resolveFilter(traceProfile(), {.tids = {100}});
    options.filter.from_ns = 4'500 * kUs;
    options.filter.to_ns = 5'000 * kUs;
    EXPECT_EQ(traceReport(traceProfile(), options),
              "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n"
              "100,100,main,0,10,0,main,app.c,1\n");
    options.filter.from_ns = 9'500 * kUs;
    options.filter.to_ns = 9'501 * kUs;
    EXPECT_EQ(traceReport(traceProfile(), options),
              "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n"
              "100,100,main,0,10,0,main,app.c,1\n"
              "100,100,main,9.5,0,1,leaf,,\n");
}

TEST(TraceReport, CsvHasOneRowPerCallWithQuotedNames) {
    std::string csv = traceReport(traceProfile(), withFormat(ReportFormat::Csv));
    EXPECT_EQ(csv, "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n"
                   "100,100,main,0,10,0,main,app.c,1\n"
                   "100,100,main,1,3,1,\"work(int, char)\",app.c,10\n"
                   "100,100,main,2,1,2,leaf,,\n"
                   "100,100,main,5,4,1,\"work(int, char)\",app.c,10\n"
                   "100,100,main,5,0.5,2,leaf,,\n"
                   "100,100,main,9.5,0,1,leaf,,\n"
                   "100,101,worker,2,1,0,\"work(int, char)\",app.c,10\n"
                   "200,200,child,0.25,1,0,leaf,,\n");
}

TEST(TraceReport, JsonHasThreadsWithTheirEvents) {
    ReportOptions options = withFormat(ReportFormat::Json);
    options.filter = resolveFilter(traceProfile(), {.tids = {101}});
    EXPECT_EQ(traceReport(traceProfile(), options),
              "{\n"
              "  \"min_duration_ms\": 0.1,\n"
              "  \"threads\": [\n"
              "    {\"pid\": 100, \"tid\": 101, \"name\": \"worker\", \"omitted_events\": 0, "
              "\"events\": [\n"
              "      {\"function\": \"work(int, char)\", \"file\": \"app.c\", \"line\": 10, "
              "\"start_ms\": 2, \"duration_ms\": 1, \"depth\": 0}\n"
              "    ]}\n"
              "  ]\n"
              "}\n");
    options.filter = {}; // a thread the profile does not have
    options.filter.threads.include(ThreadId(999));
    EXPECT_EQ(traceReport(traceProfile(), options),
              "{\n  \"min_duration_ms\": 0.1,\n  \"threads\": []\n}\n");
}

// The collector sorts by start only; when a call and its first callee start in the same
// nanosecond, the longer (the caller) must come first to enclose the other.
TEST(TraceReport, UnsortedEventsAreShownInTimeOrderLongestFirst) {
    Profile profile = traceProfile();
    std::swap(profile.trace_events[0], profile.trace_events[2]);
    std::swap(profile.trace_events[3], profile.trace_events[4]);
    ReportOptions options = withFormat(ReportFormat::Csv);
    options.limit = 5;
    options.filter = resolveFilter(profile, {.tids = {100}});
    EXPECT_EQ(traceReport(profile, options),
              "pid,tid,thread,start_ms,duration_ms,depth,function,file,line\n"
              "100,100,main,0,10,0,main,app.c,1\n"
              "100,100,main,1,3,1,\"work(int, char)\",app.c,10\n"
              "100,100,main,2,1,2,leaf,,\n"
              "100,100,main,5,4,1,\"work(int, char)\",app.c,10\n"
              "100,100,main,5,0.5,2,leaf,,\n");
}

TEST(TraceReport, AProfileWithoutTraceIsAnError) {
    for (ReportFormat format : {ReportFormat::Text, ReportFormat::Json, ReportFormat::Csv}) {
        try {
            traceReport(test::callCountProfile(), withFormat(format));
            FAIL() << "no error";
        } catch (const Error& error) {
            EXPECT_STREQ(error.what(),
                         "this profile has no trace (record with --instrument=trace)");
        }
    }
}

TEST(TraceReport, CannotBeCombinedWithCallersOrCallees) {
    ReportOptions options;
    options.callers_of = "main";
    EXPECT_THROW(traceReport(traceProfile(), options), Error);
    options.callers_of.reset();
    options.callees_of = "main";
    EXPECT_THROW(traceReport(traceProfile(), options), Error);
}

} // namespace
} // namespace hprof
