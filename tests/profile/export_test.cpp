// hprof export's format names and the callgrind and folded writers on the hand-built fixtures of
// test_support.h (callTreeProfile, callCountProfile), parsed back here line by line.
#include "hprof/error.h"
#include "hprof/export.h"
#include "hprof/profile_builder.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace hprof {
namespace {

using test::kMs;

struct Exported {
    std::string text;
    ExportNotes notes;
};

Exported exportOf(const Profile& profile, ExportFormat format, const FilterRequest& request = {}) {
    const SampleSelector selector(profile, resolveFilter(profile, request));
    std::ostringstream out;
    Exported exported;
    exported.notes = exportProfile(selector, format, out);
    exported.text = out.str();
    return exported;
}

TEST(ExportFormats, NamesRoundTrip) {
    const std::vector<std::string_view> names = exportFormatNames();
    ASSERT_EQ(names.size(), 6u);
    for (std::string_view name : names) {
        const auto format = parseExportFormat(name);
        ASSERT_TRUE(format) << name;
        EXPECT_EQ(exportFormatName(*format), name);
    }
    EXPECT_FALSE(parseExportFormat("flamegraph"));
    EXPECT_FALSE(parseExportFormat(""));
    EXPECT_FALSE(parseExportFormat("PSTATS"));
}

TEST(ExportFormats, AFailingStreamIsAnError) {
    const Profile profile = test::callTreeProfile();
    const SampleSelector selector(profile, {});
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    EXPECT_THROW(exportProfile(selector, ExportFormat::Folded, out), Error);
}

// --- folded ---

TEST(FoldedExport, OneLinePerStackRootFirstWithSampleCounts) {
    const Exported folded = exportOf(test::callTreeProfile(), ExportFormat::Folded);
    EXPECT_EQ(folded.text, "main 1\n"
                           "main;alpha(int);beta() 1\n"
                           "main;alpha(int);beta();alpha(int) 1\n"
                           "main;gamma_inline;delta 1\n"
                           "main;std::map<int, int>::find 1\n");
    ASSERT_EQ(folded.notes.dropped.size(), 1u);
    EXPECT_EQ(folded.notes.dropped[0], "threads: folded stacks have no threads (3 threads summed)");
}

TEST(FoldedExport, FiltersSelectTheStacks) {
    const Profile profile = test::callTreeProfile();
    EXPECT_EQ(exportOf(profile, ExportFormat::Folded, {.tids = {100}}).text,
              "main;alpha(int);beta() 1\n"
              "main;alpha(int);beta();alpha(int) 1\n");
    const Exported timed = exportOf(profile, ExportFormat::Folded, {.from_ns = 3 * kMs});
    EXPECT_EQ(timed.text, "main 1\n"
                          "main;gamma_inline;delta 1\n"
                          "main;std::map<int, int>::find 1\n");
}

TEST(FoldedExport, StacksThatPrintTheSameAreOneLine) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.threads.push_back({ProcessId(0), 1, "t", 0, 0, 0});
    profile.processes.push_back(test::makeProcess(1, 0, "p", 0, 10, 0));
    const FunctionId main = builder.internFunction({"main", "a.c", 1, ModuleId()});
    const FunctionId work = builder.internFunction({"work", "a.c", 5, ModuleId()});
    // The same functions at other lines: two stack nodes, one folded line.
    const StackId first = test::internStack(
        builder, {builder.internFrame({main, 2, false}), builder.internFrame({work, 6, false})});
    const StackId second = test::internStack(
        builder, {builder.internFrame({main, 3, false}), builder.internFrame({work, 7, false})});
    ASSERT_NE(first, second);
    for (StackId stack : {first, second, second})
        profile.samples.push_back({0, ThreadId(0), stack, kMs});
    EXPECT_EQ(exportOf(builder.take(), ExportFormat::Folded).text, "main;work 3\n");
}

TEST(FoldedExport, NamesCannotBreakTheLine) {
    ProfileBuilder builder;
    Profile& profile = builder.profile();
    profile.threads.push_back({ProcessId(0), 1, "t", 0, 0, 0});
    profile.processes.push_back(test::makeProcess(1, 0, "p", 0, 10, 0));
    auto frame = [&](const char* name) {
        return builder.internFrame({builder.internFunction({name, "", 0, ModuleId()}), 0, false});
    };
    const StackId stack = test::internStack(
        builder, {frame("a;b"), frame("line\nbreak"), frame("operator new 42"), frame("")});
    profile.samples.push_back({0, ThreadId(0), stack, kMs});
    EXPECT_EQ(exportOf(builder.take(), ExportFormat::Folded).text,
              "a:b;line break;operator new_42;[unknown] 1\n");
}

// --- callgrind ---

// What a callgrind file says, read the way callgrind_annotate reads it: self cost per function
// ("name" -> "samples ns") and calls ("caller -> callee @line" -> "calls samples ns").
struct CallgrindFile {
    std::map<std::string, std::string> header; // "events" -> "Samples Nanoseconds"
    std::map<std::string, std::pair<uint64_t, int64_t>> self;
    std::map<std::string, std::string> calls;
};

std::string uncompressed(std::map<std::string, std::string>& names, const std::string& value) {
    const size_t close = value.find(')');
    const std::string id = value.substr(0, close + 1);
    if (close + 1 < value.size())
        names[id] = value.substr(close + 2);
    return names[id];
}

CallgrindFile parseCallgrind(const std::string& text) {
    CallgrindFile file;
    std::map<std::string, std::string> names;
    std::string function, callee, calls;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        if (line.starts_with("fn=")) {
            function = uncompressed(names, line.substr(3));
        } else if (line.starts_with("cfn=")) {
            callee = uncompressed(names, line.substr(4));
        } else if (line.starts_with("calls=")) {
            calls = line.substr(6, line.find(' ') - 6);
        } else if (std::isdigit(uint8_t(line[0]))) {
            std::istringstream costs(line);
            uint64_t position = 0, samples = 0;
            int64_t ns = 0;
            costs >> position >> samples >> ns;
            if (calls.empty()) {
                file.self[function].first += samples;
                file.self[function].second += ns;
            } else {
                file.calls[function + " -> " + callee + " @" + std::to_string(position)] =
                    calls + " " + std::to_string(samples) + " " + std::to_string(ns);
                calls.clear();
            }
        } else if (const size_t colon = line.find(": "); colon != std::string::npos) {
            file.header[line.substr(0, colon)] = line.substr(colon + 2);
        }
    }
    return file;
}

TEST(CallgrindExport, HeaderSelfCostsAndCalls) {
    const Exported exported = exportOf(test::callTreeProfile(), ExportFormat::Callgrind);
    EXPECT_TRUE(exported.text.starts_with("# callgrind format\n")) << exported.text;
    const CallgrindFile file = parseCallgrind(exported.text);
    EXPECT_EQ(file.header.at("events"), "Samples Nanoseconds");
    EXPECT_EQ(file.header.at("positions"), "line");
    EXPECT_EQ(file.header.at("summary"), "5 15000000");
    EXPECT_EQ(file.header.at("totals"), "5 15000000");
    const std::map<std::string, std::pair<uint64_t, int64_t>> self{
        {"alpha(int)", {1, 1 * kMs}},
        {"beta()", {1, 2 * kMs}},
        {"delta", {1, 3 * kMs}},
        {"main", {1, 4 * kMs}},
        {"std::map<int, int>::find", {1, 5 * kMs}}};
    EXPECT_EQ(file.self, self);
    // Each function entered once per sample, at its outermost occurrence (alpha's recursion
    // through beta carries nothing); no counts: calls = samples.
    const std::map<std::string, std::string> calls{
        {"main -> alpha(int) @2", "2 2 3000000"},
        {"alpha(int) -> beta() @11", "2 2 3000000"},
        {"main -> gamma_inline @2", "1 1 3000000"},
        {"gamma_inline -> delta @6", "1 1 3000000"},
        {"main -> std::map<int, int>::find @2", "1 1 5000000"},
    };
    EXPECT_EQ(file.calls, calls);
}

TEST(CallgrindExport, InstrumentedCountsAreTheCalls) {
    const CallgrindFile file =
        parseCallgrind(exportOf(test::callCountProfile(), ExportFormat::Callgrind).text);
    EXPECT_EQ(file.calls.at("main -> A @0"), "1 2 3000000");
    // A's recursion: counted, but its cost is in the call from main already.
    EXPECT_EQ(file.calls.at("A -> A @0"), "2 0 0");
    EXPECT_EQ(file.calls.at("main -> B @0"), "2 1 4000000");
    // B -> D was counted (5 + 2 calls) but never sampled: a call without cost.
    EXPECT_EQ(file.calls.at("B -> D @0"), "7 0 0");
}

TEST(CallgrindExport, ThreadFilterSelectsCostsAndCounts) {
    const CallgrindFile file = parseCallgrind(
        exportOf(test::callCountProfile(), ExportFormat::Callgrind, {.tids = {101}}).text);
    EXPECT_EQ(file.header.at("summary"), "1 8000000");
    EXPECT_EQ(file.calls.at("B -> D @0"), "2 0 0");
    EXPECT_EQ(file.calls.count("main -> A @0"), 0u);
}

} // namespace
} // namespace hprof
