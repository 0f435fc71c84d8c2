// The pprof export read back with the same profile.proto: stacks, values, ids and labels.
// (integration.export_pprof checks it with `go tool pprof` itself.)
#include "hprof/export.h"
#include "proto/profile.pb.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <set>
#include <sstream>

namespace hprof {
namespace {

namespace pb = perftools::profiles;
using test::kMs;

SampleFilter onlyThread(uint32_t thread) {
    SampleFilter filter;
    filter.threads.include(ThreadId(thread));
    return filter;
}

std::string gunzip(const std::string& bytes) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK); // 16: gzip header expected
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    char buffer[65536];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    EXPECT_EQ(status, Z_STREAM_END) << "not a complete gzip stream";
    return out;
}

struct Exported {
    pb::Profile message;
    ExportNotes notes;
};

Exported exportPprof(const Profile& profile, const SampleFilter& filter = {}) {
    std::ostringstream out;
    Exported exported;
    exported.notes = exportProfile(SampleSelector(profile, filter), ExportFormat::Pprof, out);
    EXPECT_TRUE(exported.message.ParseFromString(gunzip(out.str())));
    return exported;
}

const std::string& text(const pb::Profile& message, int64_t index) {
    return message.string_table(static_cast<int>(index));
}

// Function names of a sample, leaf first, through its locations' lines.
std::vector<std::string> stackNames(const pb::Profile& message, const pb::Sample& sample) {
    std::map<uint64_t, const pb::Location*> locations;
    for (const pb::Location& location : message.location())
        locations[location.id()] = &location;
    std::map<uint64_t, std::string> functions;
    for (const pb::Function& function : message.function())
        functions[function.id()] = text(message, function.name());
    std::vector<std::string> names;
    for (uint64_t id : sample.location_id()) {
        EXPECT_TRUE(locations.count(id)) << "no location " << id;
        for (const pb::Line& line : locations.at(id)->line())
            names.push_back(functions.at(line.function_id()));
    }
    return names;
}

// pprof's flat (leaf) and cum (once per sample) nanoseconds per function name.
struct Shares {
    std::map<std::string, int64_t> flat;
    std::map<std::string, int64_t> cum;
};

Shares sharesOf(const pb::Profile& message) {
    Shares shares;
    for (const pb::Sample& sample : message.sample()) {
        std::vector<std::string> names = stackNames(message, sample);
        shares.flat[names.front()] += sample.value(1);
        for (const std::string& name : std::set<std::string>(names.begin(), names.end()))
            shares.cum[name] += sample.value(1);
    }
    return shares;
}

TEST(ExportPprof, FlatAndCumulativeTimesEqualTheReportsPerFunction) {
    Profile profile = test::callTreeProfile();
    pb::Profile message = exportPprof(profile).message;
    Shares shares = sharesOf(message);
    std::map<std::string, FunctionStats> expected = test::statsByName(profile);
    ASSERT_EQ(shares.cum.size(), expected.size());
    for (const auto& [name, stats] : expected) {
        EXPECT_EQ(shares.flat[name], stats.self_ns) << name;
        EXPECT_EQ(shares.cum[name], stats.total_ns) << name;
    }
}

TEST(ExportPprof, SampleTypesCountAndTimeWithCpuTheDefault) {
    pb::Profile message = exportPprof(test::callTreeProfile()).message;
    ASSERT_EQ(message.sample_type_size(), 2);
    EXPECT_EQ(text(message, message.sample_type(0).type()), "samples");
    EXPECT_EQ(text(message, message.sample_type(0).unit()), "count");
    EXPECT_EQ(text(message, message.sample_type(1).type()), "cpu");
    EXPECT_EQ(text(message, message.sample_type(1).unit()), "nanoseconds");
    EXPECT_EQ(text(message, message.default_sample_type()), "cpu");
    int64_t count = 0;
    for (const pb::Sample& sample : message.sample())
        count += sample.value(0);
    EXPECT_EQ(count, 5);
    EXPECT_EQ(message.duration_nanos(), 20 * kMs);
    EXPECT_EQ(message.period(), 1'000'000); // 1000 Hz
}

TEST(ExportPprof, StacksAreLeafFirstWithOneLocationPerFunctionAndLine) {
    Profile profile = test::callTreeProfile();
    pb::Profile message = exportPprof(profile, onlyThread(0)).message;
    std::set<std::vector<std::string>> stacks;
    for (const pb::Sample& sample : message.sample())
        stacks.insert(stackNames(message, sample));
    std::set<std::vector<std::string>> expected = {{"alpha(int)", "beta()", "alpha(int)", "main"},
                                                   {"beta()", "alpha(int)", "main"}};
    EXPECT_EQ(stacks, expected);
    // alpha(int) at lines 11 and 12: two locations of one function.
    std::map<uint64_t, std::set<int64_t>> lines_by_function;
    for (const pb::Location& location : message.location())
        lines_by_function[location.line(0).function_id()].insert(location.line(0).line());
    EXPECT_EQ(lines_by_function.size(), 3u);
    EXPECT_EQ(message.location_size(), 4);
}

TEST(ExportPprof, IdsAreUniqueAndNonZeroAndTheStringTableStartsEmpty) {
    pb::Profile message = exportPprof(test::richProfile()).message;
    ASSERT_GT(message.string_table_size(), 0);
    EXPECT_EQ(message.string_table(0), "");
    std::set<uint64_t> ids;
    for (const pb::Location& location : message.location())
        EXPECT_TRUE(location.id() != 0 && ids.insert(location.id()).second);
    ids.clear();
    for (const pb::Function& function : message.function())
        EXPECT_TRUE(function.id() != 0 && ids.insert(function.id()).second);
    ids.clear();
    for (const pb::Mapping& mapping : message.mapping())
        EXPECT_TRUE(mapping.id() != 0 && ids.insert(mapping.id()).second);
}

TEST(ExportPprof, MappingsNameTheModulesWithTheirBuildIds) {
    pb::Profile message = exportPprof(test::smallProfile()).message;
    ASSERT_EQ(message.mapping_size(), 1);
    EXPECT_EQ(text(message, message.mapping(0).filename()), "/m");
    EXPECT_EQ(text(message, message.mapping(0).build_id()), "ab");
    EXPECT_TRUE(message.mapping(0).has_functions());
    for (const pb::Location& location : message.location())
        EXPECT_EQ(location.mapping_id(), message.mapping(0).id());
}

TEST(ExportPprof, SamplesAreLabelledWithPidTidAndThreadName) {
    Profile profile = test::callTreeProfile();
    pb::Profile message = exportPprof(profile, onlyThread(1)).message;
    ASSERT_EQ(message.sample_size(), 2);
    for (const pb::Sample& sample : message.sample()) {
        std::map<std::string, std::string> labels;
        for (const pb::Label& label : sample.label())
            labels[text(message, label.key())] =
                label.str() ? text(message, label.str()) : std::to_string(label.num());
        std::map<std::string, std::string> expected = {
            {"pid", "100"}, {"tid", "101"}, {"thread", "worker"}};
        EXPECT_EQ(labels, expected);
    }
}

TEST(ExportPprof, InvalidUtf8InNamesIsReplaced) {
    pb::Profile message = exportPprof(test::richProfile()).message;
    bool found = false;
    for (const std::string& entry : message.string_table()) {
        if (entry.starts_with("odd\"name")) {
            found = true;
            EXPECT_NE(entry.find("\xef\xbf\xbd"), std::string::npos) << entry; // U+FFFD
            EXPECT_EQ(entry.find('\xff'), std::string::npos);
        }
    }
    EXPECT_TRUE(found);
}

// pprof merges functions by name: the same inline function in two modules keeps the module that
// tells them apart, as the report's labels do.
TEST(ExportPprof, FunctionsTheReportTellsApartByModuleKeepDistinctNames) {
    ProfileBuilder builder;
    builder.profile().processes.push_back(test::makeProcess(1, 0, "p", 0, 10, 0));
    builder.profile().threads.push_back({ProcessId(0), 1, "", 0, 10, 0});
    for (const char* path : {"/bin/p", "/lib/libq.so"}) {
        FunctionId burn =
            builder.internFunction({"burn()", "burn.h", 5, builder.internModule({path, ""})});
        StackId stack = test::internStack(builder, {builder.internFrame({burn, 6, false})});
        builder.profile().samples.push_back({1, ThreadId(0), stack, 1});
    }
    pb::Profile message = exportPprof(builder.take()).message;
    std::set<std::string> names;
    for (const pb::Function& function : message.function())
        names.insert(text(message, function.name()));
    EXPECT_EQ(names, (std::set<std::string>{"burn() [p]", "burn() [libq.so]"}));
}

TEST(ExportPprof, SaysThatCallCountsAreDropped) {
    ExportNotes notes = exportPprof(test::callCountProfile()).notes;
    ASSERT_EQ(notes.dropped.size(), 1u);
    EXPECT_NE(notes.dropped[0].find("call counts"), std::string::npos);
    EXPECT_TRUE(exportPprof(test::callTreeProfile()).notes.dropped.empty());
}

} // namespace
} // namespace hprof
