// The pstats writer, read back by the system python3's own marshal and pstats modules (the real
// readers): rows, callers, the one root snakeviz needs, and pstats' totals.
#include "child_process.h"
#include "hprof/export.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace hprof {
namespace {

using test::kMs;

// Loads the file with pstats.Stats (which must accept it) and prints its dict as JSON: rows keyed
// "file:line(name)", each [cc, nc, tt, ct, {caller: [nc, cc, tt, ct]}], and pstats' totals.
constexpr const char* kDumpScript = R"py(
import json, marshal, pstats, sys
stats = pstats.Stats(sys.argv[1])
def label(key):
    return "%s:%d(%s)" % key
with open(sys.argv[1], "rb") as f:
    raw = marshal.load(f)
rows = {label(k): [cc, nc, tt, ct, {label(c): list(e) for c, e in callers.items()}]
        for k, (cc, nc, tt, ct, callers) in raw.items()}
print(json.dumps({"rows": rows, "total_calls": stats.total_calls,
                  "prim_calls": stats.prim_calls, "total_tt": stats.total_tt,
                  "roots": [label(k) for k, v in raw.items() if not v[4]]}))
)py";

nlohmann::json pstatsOf(const Profile& profile, const FilterRequest& request = {}) {
    const test::TempDir dir;
    const std::string path = dir.file("out.prof");
    {
        std::ofstream out(path, std::ios::binary);
        exportProfile(SampleSelector(profile, resolveFilter(profile, request)),
                      ExportFormat::Pstats, out);
    }
    const test::CommandResult python = test::runCommand(
        {PYTHON3, "-c", kDumpScript, path}, {.working_dir = dir.path(), .seconds_to_finish = 60});
    EXPECT_EQ(python.status, 0) << python.err;
    return nlohmann::json::parse(python.out);
}

// [cc, nc, tt, ct] of a row, times in whole ms.
std::vector<double> numbers(const nlohmann::json& row) {
    return {row[0].get<double>(), row[1].get<double>(), std::round(row[2].get<double>() * 1e3),
            std::round(row[3].get<double>() * 1e3)};
}

std::vector<double> edge(const nlohmann::json& row, const std::string& caller) {
    const nlohmann::json& times = row[4].at(caller);
    return {times[0].get<double>(), times[1].get<double>(),
            std::round(times[2].get<double>() * 1e3), std::round(times[3].get<double>() * 1e3)};
}

const std::string kRoot = "~:0(<hprof root>)";

TEST(PstatsExport, RowsHaveCountsAndSampledTimes) {
    const nlohmann::json stats = pstatsOf(test::callCountProfile());
    const nlohmann::json& rows = stats["rows"];
    // cc, nc, tottime ms, cumtime ms, as hprof report has them.
    EXPECT_EQ(numbers(rows.at("m.c:1(main)")), (std::vector<double>{1, 1, 16, 23}));
    EXPECT_EQ(numbers(rows.at("m.c:10(A)")), (std::vector<double>{1, 3, 3, 3}));
    EXPECT_EQ(numbers(rows.at("m.c:20(B)")), (std::vector<double>{3, 3, 12, 12}));
    EXPECT_EQ(numbers(rows.at("m.c:30(D)")), (std::vector<double>{7, 7, 0, 0}));
    EXPECT_EQ(stats["total_calls"], 14);
    EXPECT_EQ(stats["prim_calls"], 12);
    EXPECT_NEAR(stats["total_tt"].get<double>(), 0.031, 1e-9);
}

TEST(PstatsExport, CallersAreTheEdges) {
    const nlohmann::json rows = pstatsOf(test::callCountProfile())["rows"];
    const nlohmann::json& a = rows.at("m.c:10(A)");
    ASSERT_EQ(a[4].size(), 2u);
    // (nc, cc, tt, ct): the edge's counts, its sampled self and inclusive time.
    EXPECT_EQ(edge(a, "m.c:1(main)"), (std::vector<double>{1, 1, 2, 3}));
    EXPECT_EQ(edge(a, "m.c:10(A)"), (std::vector<double>{2, 1, 1, 1}));
    EXPECT_EQ(edge(rows.at("m.c:30(D)"), "m.c:20(B)"), (std::vector<double>{7, 7, 0, 0}));
}

// Stacks start in main (thread 100) and in B (thread 101): snakeviz needs one root above both.
TEST(PstatsExport, SeveralOutermostFunctionsGetOneRoot) {
    const nlohmann::json stats = pstatsOf(test::callCountProfile());
    ASSERT_EQ(stats["roots"], nlohmann::json::array({kRoot}));
    const nlohmann::json& rows = stats["rows"];
    EXPECT_EQ(numbers(rows.at(kRoot)), (std::vector<double>{0, 0, 0, 31}));
    // From the top: the calls from code that was not instrumented and the samples starting there.
    EXPECT_EQ(edge(rows.at("m.c:1(main)"), kRoot), (std::vector<double>{1, 1, 16, 23}));
    EXPECT_EQ(edge(rows.at("m.c:20(B)"), kRoot), (std::vector<double>{1, 1, 8, 8}));
    EXPECT_EQ(rows.at("m.c:20(B)")[4].size(), 2u); // main and the root
}

TEST(PstatsExport, OneOutermostFunctionIsTheRootItself) {
    const nlohmann::json stats = pstatsOf(test::callCountProfile(), {.tids = {100}});
    EXPECT_EQ(stats["roots"], nlohmann::json::array({"m.c:1(main)"}));
    EXPECT_FALSE(stats["rows"].contains(kRoot));
    EXPECT_EQ(numbers(stats["rows"].at("m.c:20(B)")), (std::vector<double>{2, 2, 4, 4}));
}

// A sampling-only profile: no counts (0), a function without a file keyed as pstats keys
// built-ins, and edge times from the samples.
TEST(PstatsExport, SampledProfileKeysAndTimes) {
    const nlohmann::json stats = pstatsOf(test::callTreeProfile());
    const nlohmann::json& rows = stats["rows"];
    EXPECT_EQ(numbers(rows.at("~:0(delta)")), (std::vector<double>{0, 0, 3, 3}));
    EXPECT_EQ(numbers(rows.at("app.cpp:10(alpha(int))")), (std::vector<double>{0, 0, 1, 3}));
    EXPECT_EQ(edge(rows.at("app.cpp:10(alpha(int))"), "app.cpp:20(beta())"),
              (std::vector<double>{0, 0, 1, 1}));
    EXPECT_EQ(stats["total_calls"], 0);
    EXPECT_EQ(stats["roots"].size(), 1u);
}

TEST(PstatsExport, ThreadsAreSaidToBeDropped) {
    const Profile profile = test::callCountProfile();
    std::ostringstream out;
    const ExportNotes notes = exportProfile(SampleSelector(profile, {}), ExportFormat::Pstats, out);
    EXPECT_EQ(notes.dropped, (std::vector<std::string>{
                                 "threads: pstats has one table for the whole profile (2 threads "
                                 "summed)"}));
    const ExportNotes one =
        exportProfile(SampleSelector(profile, resolveFilter(profile, {.tids = {100}})),
                      ExportFormat::Pstats, out);
    EXPECT_TRUE(one.dropped.empty());
}

// Names that are not UTF-8 must still load (Python's decoder refuses invalid bytes), and counts
// beyond 32 bits need marshal's long integers.
TEST(PstatsExport, InvalidUtf8AndHugeCountsLoad) {
    Profile profile = test::callCountProfile();
    profile.functions[0].name = "bad\xff\xfe name \xe2\x82";
    profile.call_counts[0].calls = 5'000'000'000ull;
    const nlohmann::json rows = pstatsOf(profile)["rows"];
    const std::string label = "m.c:1(bad\xef\xbf\xbd\xef\xbf\xbd name \xef\xbf\xbd\xef\xbf\xbd)";
    ASSERT_TRUE(rows.contains(label)) << rows.dump();
    EXPECT_EQ(rows.at(label)[1].get<uint64_t>(), 5'000'000'000ull);
}

} // namespace
} // namespace hprof
