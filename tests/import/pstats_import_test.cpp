// pstats files written by hand (marshal_bytes.h): what becomes of each field, and the errors.
#include "marshal_bytes.h"

#include "hprof/error.h"
#include "hprof/import.h"
#include "hprof/report.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <sstream>

namespace hprof {
namespace {

using namespace test::marshal;

std::string key(const std::string& file, int line, const std::string& name) {
    return tuple({shortText(file), integer(line), shortText(name)});
}

// main calls fib once; fib calls itself 4 times; builtins.len is called by main.
std::string recursionPstats() {
    return dict({
        {key("prog.py", 1, "main"),
         tuple({integer(1), integer(1), real(0.25), real(1.5), dict({})})},
        {key("prog.py", 5, "fib"),
         tuple({integer(1), integer(5), real(1.0), real(1.125),
                dict({{key("prog.py", 1, "main"),
                       tuple({integer(1), integer(1), real(0.2), real(1.125)})},
                      {key("prog.py", 5, "fib"),
                       tuple({integer(4), integer(0), real(0.8), real(0.9)})}})})},
        {key("~", 0, "<built-in method builtins.len>"),
         tuple({integer(2), integer(2), real(0.125), real(0.125),
                dict({{key("prog.py", 1, "main"), integer(2)}})})},
    });
}

Profile importBytes(const test::TempDir& dir, const std::string& bytes) {
    return readAnyProfile(dir.writeFile("prog.prof", bytes));
}

const CallCount& countOf(const Profile& profile, const std::string& name) {
    for (const CallCount& count : profile.call_counts) {
        if (profile.function(count.function).name == name)
            return count;
    }
    throw std::runtime_error("no counts of " + name);
}

TEST(PstatsImport, FunctionsBecomeCallCountsWithExactTimes) {
    test::TempDir dir;
    const Profile profile = importBytes(dir, recursionPstats());
    EXPECT_EQ(profile.run.source, "pstats");
    EXPECT_TRUE(profile.samples.empty());
    ASSERT_EQ(profile.call_counts.size(), 3u);
    const CallCount& fib = countOf(profile, "fib");
    EXPECT_EQ(fib.calls, 5u);
    EXPECT_EQ(fib.primitive_calls, 1u);
    EXPECT_EQ(fib.tottime_ns, 1'000'000'000);
    EXPECT_EQ(fib.cumtime_ns, 1'125'000'000);
    const Function& function = profile.function(fib.function);
    EXPECT_EQ(function.file, "prog.py");
    EXPECT_EQ(function.line, 5u);
    // Built-ins have the file "~" in pstats: no file here.
    EXPECT_EQ(profile.function(countOf(profile, "<built-in method builtins.len>").function).file,
              "");
}

TEST(PstatsImport, CallersBecomeEdgesWithTheirOwnCounts) {
    test::TempDir dir;
    const Profile profile = importBytes(dir, recursionPstats());
    ASSERT_EQ(profile.call_edges.size(), 3u);
    size_t checked = 0;
    for (const CallEdge& edge : profile.call_edges) {
        const std::string caller = profile.function(edge.caller).name;
        const std::string callee = profile.function(edge.callee).name;
        if (caller == "fib" && callee == "fib") {
            EXPECT_EQ(edge.calls, 4u); // (nc, cc, ...) in the callers dict, unlike the top level
            EXPECT_EQ(edge.primitive_calls, 0u);
            EXPECT_EQ(edge.cumtime_ns, 900'000'000);
            ++checked;
        }
        if (callee == "<built-in method builtins.len>") {
            EXPECT_EQ(caller, "main");
            EXPECT_EQ(edge.calls, 2u); // the profile module's plain count: no times
            EXPECT_FALSE(edge.tottime_ns.has_value());
            ++checked;
        }
    }
    EXPECT_EQ(checked, 2u);
}

TEST(PstatsImport, WhatPstatsLacksIsMarkedMissing) {
    test::TempDir dir;
    const Profile profile = importBytes(dir, recursionPstats());
    EXPECT_TRUE(profile.run.missing.samples);
    EXPECT_TRUE(profile.run.missing.timestamps);
    EXPECT_TRUE(profile.run.missing.threads);
    EXPECT_TRUE(profile.run.missing.run_times);
    EXPECT_FALSE(profile.run.missing.call_counts);
}

// The report's table shows pstats' own numbers: "5/1" calls, tottime, cumtime, and the total.
TEST(PstatsImport, ReportShowsThePstatsNumbers) {
    test::TempDir dir;
    std::ostringstream out;
    printReport(importBytes(dir, recursionPstats()), ReportOptions{}, out);
    const std::string text = out.str();
    EXPECT_NE(text.find("8 function calls (4 primitive calls) in 1.375 seconds"), std::string::npos)
        << text;
    EXPECT_NE(text.find("      5/1    1.000    0.200    1.125    1.125 prog.py:5(fib)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("        1    0.250    0.250    1.500    1.500 prog.py:1(main)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("not in the source: samples, timestamps, threads"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("samples in"), std::string::npos) << text;
}

void expectImportError(const std::string& bytes, const std::string& expected) {
    test::TempDir dir;
    try {
        importBytes(dir, bytes);
        FAIL() << "no error for " << expected;
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(dir.file("prog.prof") + ": "), std::string::npos) << message;
        EXPECT_NE(message.find(expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(PstatsImport, CorruptFilesGetOneLineErrors) {
    const std::string whole = recursionPstats();
    for (size_t cut = 2; cut < whole.size(); cut += 7)
        expectImportError(whole.substr(0, cut), "truncated");
    expectImportError(dict({{key("a.py", 1, "f"), integer(3)}}),
                      "a function's statistics is not a tuple of 5");
    expectImportError(dict({{tuple({integer(1)}), tuple({})}}),
                      "a function key is not a tuple of 3");
    expectImportError(
        dict({{key("a.py", 1, "f"), tuple({integer(-1), integer(1), real(0), real(0), dict({})})}}),
        "a call count is not a non-negative integer");
    expectImportError(dict({{key("a.py", 1, "f"),
                             tuple({integer(1), integer(1), shortText("x"), real(0), dict({})})}}),
                      "a time is not a number of seconds");
    expectImportError(dict({{key("a.py", 1, "f"),
                             tuple({integer(1), integer(1), real(0), real(0), integer(0)})}}),
                      "callers are not a dict");
}

} // namespace
} // namespace hprof
