// The streaming JSON exports (speedscope, Chrome Trace Event) parsed back: threads, frames,
// weights, events. (integration.export_speedscope validates against speedscope's schema and
// integration.export_chrome checks a real trace.)
#include "hprof/export.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace hprof {
namespace {

using Json = nlohmann::json;
using test::kMs;

SampleFilter onlyThread(uint32_t thread) {
    SampleFilter filter;
    filter.threads.include(ThreadId(thread));
    return filter;
}

struct Exported {
    Json document;
    ExportNotes notes;
};

Exported exportJson(const Profile& profile, ExportFormat format, const SampleFilter& filter = {}) {
    std::ostringstream out;
    Exported exported;
    exported.notes = exportProfile(SampleSelector(profile, filter), format, out);
    exported.document = Json::parse(out.str());
    return exported;
}

// speedscope: names of a sample's frames, root first.
std::vector<std::string> frameNames(const Json& document, const Json& sample) {
    std::vector<std::string> names;
    for (const Json& index : sample)
        names.push_back(document["shared"]["frames"].at(index.get<size_t>())["name"]);
    return names;
}

TEST(ExportSpeedscope, OneSampledProfilePerThreadWithItsWeightsInNanoseconds) {
    Json document = exportJson(test::callTreeProfile(), ExportFormat::Speedscope).document;
    EXPECT_EQ(document["$schema"], "https://www.speedscope.app/file-format-schema.json");
    const Json& profiles = document["profiles"];
    ASSERT_EQ(profiles.size(), 3u);
    std::map<std::string, std::vector<int64_t>> weights;
    for (const Json& profile : profiles) {
        EXPECT_EQ(profile["type"], "sampled");
        EXPECT_EQ(profile["unit"], "nanoseconds");
        EXPECT_EQ(profile["samples"].size(), profile["weights"].size());
        int64_t sum = 0;
        for (const Json& weight : profile["weights"]) {
            weights[profile["name"]].push_back(weight);
            sum += weight.get<int64_t>();
        }
        EXPECT_EQ(profile["startValue"], 0);
        EXPECT_EQ(profile["endValue"], sum);
    }
    std::map<std::string, std::vector<int64_t>> expected = {
        {"pid 100 tid 100 main", {1 * kMs, 2 * kMs}},
        {"pid 100 tid 101 worker", {3 * kMs, 5 * kMs}},
        {"pid 200 tid 200 child", {4 * kMs}}};
    EXPECT_EQ(weights, expected);
}

TEST(ExportSpeedscope, SamplesAreRootFirstWithOneFramePerFunction) {
    Json document =
        exportJson(test::callTreeProfile(), ExportFormat::Speedscope, onlyThread(0)).document;
    ASSERT_EQ(document["profiles"].size(), 1u);
    const Json& samples = document["profiles"][0]["samples"];
    ASSERT_EQ(samples.size(), 2u);
    std::vector<std::string> recursive = {"main", "alpha(int)", "beta()", "alpha(int)"};
    EXPECT_EQ(frameNames(document, samples[0]), recursive);
    // alpha(int) at two lines is still one frame: the frame list has each function once.
    EXPECT_EQ(samples[0][1], samples[0][3]);
    EXPECT_EQ(document["shared"]["frames"].size(), 3u);
    Json alpha = document["shared"]["frames"].at(samples[0][1].get<size_t>());
    EXPECT_EQ(alpha, (Json{{"name", "alpha(int)"}, {"file", "app.cpp"}, {"line", 10}}));
}

TEST(ExportSpeedscope, TimeRangeSelectsTheSamples) {
    SampleFilter filter;
    filter.from_ns = 2 * kMs;
    filter.to_ns = 4 * kMs;
    Json document = exportJson(test::callTreeProfile(), ExportFormat::Speedscope, filter).document;
    std::vector<int64_t> weights;
    for (const Json& profile : document["profiles"])
        for (const Json& weight : profile["weights"])
            weights.push_back(weight);
    EXPECT_EQ(weights, (std::vector<int64_t>{2 * kMs, 3 * kMs}));
}

// richProfile: names with malformed UTF-8, and a weight of INT64_MAX next to others.
TEST(ExportSpeedscope, OddNamesAreReplacedAndHugeWeightsSaturate) {
    Json document = exportJson(test::richProfile(), ExportFormat::Speedscope).document;
    ASSERT_FALSE(document["profiles"].empty());
    int64_t largest = 0;
    for (const Json& profile : document["profiles"])
        largest = std::max(largest, profile["endValue"].get<int64_t>());
    EXPECT_EQ(largest, INT64_MAX);
}

TEST(ExportSpeedscope, SaysWhatItDrops) {
    ExportNotes notes = exportJson(test::smallProfile(), ExportFormat::Speedscope).notes;
    ASSERT_EQ(notes.dropped.size(), 2u);
    EXPECT_NE(notes.dropped[0].find("call counts"), std::string::npos);
    EXPECT_NE(notes.dropped[1].find("the trace of calls"), std::string::npos);
}

std::vector<Json> eventsOfPhase(const Json& document, const std::string& phase) {
    std::vector<Json> events;
    for (const Json& event : document["traceEvents"])
        if (event["ph"] == phase)
            events.push_back(event);
    return events;
}

TEST(ExportChrome, MetadataNamesEveryProcessAndThread) {
    Json document = exportJson(test::callTreeProfile(), ExportFormat::ChromeTrace).document;
    std::map<std::string, std::string> names;
    for (const Json& event : eventsOfPhase(document, "M"))
        names[event["name"].get<std::string>() + " " + event["tid"].dump()] = event["args"]["name"];
    std::map<std::string, std::string> expected = {{"process_name 100", "./app x"},
                                                   {"process_name 200", "./app child"},
                                                   {"thread_name 100", "main"},
                                                   {"thread_name 101", "worker"},
                                                   {"thread_name 200", "child"}};
    EXPECT_EQ(names, expected);
}

TEST(ExportChrome, TracedCallsAreCompleteEventsInMicroseconds) {
    Json document = exportJson(test::smallProfile(), ExportFormat::ChromeTrace).document;
    std::vector<Json> calls = eventsOfPhase(document, "X");
    ASSERT_EQ(calls.size(), 3u);
    // Thread 10: f 1000..1030 ns encloses g 1010..1015 ns; thread 11: g 1020..1220 ns.
    EXPECT_EQ(calls[0]["name"], "f");
    EXPECT_EQ(calls[0]["tid"], 10);
    EXPECT_DOUBLE_EQ(calls[0]["ts"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(calls[0]["dur"].get<double>(), 0.03);
    EXPECT_EQ(calls[1]["name"], "g");
    EXPECT_DOUBLE_EQ(calls[1]["ts"].get<double>(), 1.01);
    EXPECT_EQ(calls[2]["tid"], 11);
    EXPECT_DOUBLE_EQ(calls[2]["dur"].get<double>(), 0.2);
    EXPECT_EQ(calls[0]["args"]["file"], "f.c");
}

TEST(ExportChrome, SamplesAreInstantsOfTheirThreadPointingAtStackFramesThatChainToTheRoot) {
    Profile profile = test::callTreeProfile();
    Json document = exportJson(profile, ExportFormat::ChromeTrace).document;
    std::vector<Json> samples = eventsOfPhase(document, "i");
    ASSERT_EQ(samples.size(), profile.samples.size());
    const Json& frames = document["stackFrames"];
    std::vector<std::string> stack;
    for (Json id = samples[0]["sf"]; !id.is_null();
         id = frames[id.get<std::string>()].value("parent", Json()))
        stack.push_back(frames[id.get<std::string>()]["name"]);
    std::vector<std::string> expected = {"alpha(int)", "beta()", "alpha(int)", "main"};
    EXPECT_EQ(stack, expected);
    EXPECT_EQ(samples[0]["name"], "alpha(int)"); // the function that was running
    EXPECT_EQ(samples[0]["cat"], "sample");
    EXPECT_EQ(samples[0]["s"], "t");
    EXPECT_EQ(samples[0]["tid"], 100);
    EXPECT_EQ(samples[0]["pid"], 100);
    EXPECT_EQ(samples[0]["args"]["weight_ns"], 1 * kMs);
    EXPECT_DOUBLE_EQ(samples[0]["ts"].get<double>(), 1000.0);
}

TEST(ExportChrome, SampleTimesAreExactDecimalMicroseconds) {
    Profile profile = test::smallProfile(); // samples at 1000, 1010, 1020, 1030 ns
    profile.samples[3].time_ns = -7;        // not in any real profile, but a valid number
    std::ostringstream out;
    exportProfile(SampleSelector(profile, {}), ExportFormat::ChromeTrace, out);
    for (const char* ts : {"\"ts\":1,", "\"ts\":1.01,", "\"ts\":1.02,", "\"ts\":-0.007,"})
        EXPECT_NE(out.str().find(ts), std::string::npos) << ts;
}

TEST(ExportChrome, ThreadSelectionKeepsOnlyItsEventsAndNames) {
    Json document =
        exportJson(test::smallProfile(), ExportFormat::ChromeTrace, onlyThread(1)).document;
    for (const Json& event : document["traceEvents"]) {
        if (event["name"] != "process_name") {
            EXPECT_EQ(event["tid"], 11) << event.dump();
        }
    }
    EXPECT_EQ(eventsOfPhase(document, "X").size(), 1u);
    EXPECT_EQ(eventsOfPhase(document, "i").size(), 2u);
}

TEST(ExportChrome, SaysThatCallCountsAreDropped) {
    ExportNotes notes = exportJson(test::smallProfile(), ExportFormat::ChromeTrace).notes;
    ASSERT_EQ(notes.dropped.size(), 1u);
    EXPECT_NE(notes.dropped[0].find("call counts"), std::string::npos);
}

} // namespace
} // namespace hprof
