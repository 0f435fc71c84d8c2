// Call tables (-finstrument-functions): exact counts and edges per thread, symbolized from the
// real function entry addresses of the fixture program.
#include "instrumented_stream.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace hprof::testing {
namespace {

struct Counts {
    uint64_t calls = 0;
    uint64_t primitive_calls = 0;
    bool operator==(const Counts&) const = default;
};

void PrintTo(const Counts& counts, std::ostream* out) {
    *out << counts.calls << "/" << counts.primitive_calls;
}

using CountsByName = std::map<std::string, Counts>;

// The call counts of thread `tid` by function name; fails the test on a repeated function.
CountsByName countsOf(const Profile& profile, int32_t tid) {
    CountsByName counts;
    for (const CallCount& count : profile.call_counts) {
        if (profile.thread(count.thread).tid != tid)
            continue;
        const bool inserted = counts
                                  .try_emplace(nameOf(profile, count.function),
                                               Counts{count.calls, count.primitive_calls})
                                  .second;
        EXPECT_TRUE(inserted) << "two counts for " << nameOf(profile, count.function);
    }
    return counts;
}

// The call edges of thread `tid` by "caller -> callee"; fails the test on a repeated edge.
CountsByName edgesOf(const Profile& profile, int32_t tid) {
    CountsByName edges;
    for (const CallEdge& edge : profile.call_edges) {
        if (profile.thread(edge.thread).tid != tid)
            continue;
        const std::string key =
            nameOf(profile, edge.caller) + " -> " + nameOf(profile, edge.callee);
        const bool inserted =
            edges.try_emplace(key, Counts{edge.calls, edge.primitive_calls}).second;
        EXPECT_TRUE(inserted) << "two edges " << key;
    }
    return edges;
}

struct Times {
    std::optional<int64_t> tottime_ns;
    std::optional<int64_t> cumtime_ns;
    bool operator==(const Times&) const = default;
};

void PrintTo(const Times& times, std::ostream* out) {
    auto text = [](std::optional<int64_t> ns) { return ns ? std::to_string(*ns) : "none"; };
    *out << text(times.tottime_ns) << "/" << text(times.cumtime_ns);
}

using TimesByName = std::map<std::string, Times>;

// The times of every call count and edge ("caller -> callee") of the profile by name.
TimesByName timesOf(const Profile& profile) {
    TimesByName times;
    for (const CallCount& count : profile.call_counts)
        times[nameOf(profile, count.function)] = {count.tottime_ns, count.cumtime_ns};
    for (const CallEdge& edge : profile.call_edges)
        times[nameOf(profile, edge.caller) + " -> " + nameOf(profile, edge.callee)] = {
            edge.tottime_ns, edge.cumtime_ns};
    return times;
}

class CallTableTest : public InstrumentedStreamTest {};

TEST_F(CallTableTest, CountsAndEdgesPerThreadAndFunction) {
    const uint64_t main = entryOf("main");
    const uint64_t outer = entryOf("outerCaller");
    const uint64_t library = entryOf("libraryWork");
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry first[] = {total(main, 1, 1),         edge(0, main, 1, 1),
                                         total(outer, 3, 2),        edge(main, outer, 2, 2),
                                         edge(outer, outer, 1, 0),  total(library, 5, 5),
                                         edge(outer, library, 5, 5)};
    stream.callTable(kTid, first);
    const raw::CallCountEntry second[] = {total(library, 7, 6), edge(0, library, 7, 6)};
    stream.callTable(kOtherTid, second);
    const Profile profile = collectStream();

    EXPECT_EQ(profile.run.instrumentation, "counts");
    EXPECT_TRUE(profile.run.warnings.empty());
    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"main", {1, 1}},
                                                     {"outerCaller(int)", {3, 2}},
                                                     {"fixture::libraryWork(int)", {5, 5}}}));
    EXPECT_EQ(edgesOf(profile, kTid),
              (CountsByName{{"(uninstrumented) -> main", {1, 1}},
                            {"main -> outerCaller(int)", {2, 2}},
                            {"outerCaller(int) -> outerCaller(int)", {1, 0}},
                            {"outerCaller(int) -> fixture::libraryWork(int)", {5, 5}}}));
    EXPECT_EQ(countsOf(profile, kOtherTid), (CountsByName{{"fixture::libraryWork(int)", {7, 6}}}));
    EXPECT_EQ(edgesOf(profile, kOtherTid),
              (CountsByName{{"(uninstrumented) -> fixture::libraryWork(int)", {7, 6}}}));
    // A thread seen only through its call table is still a thread of the process.
    EXPECT_EQ(profile.threads.size(), 2u);
}

TEST_F(CallTableTest, CountedAndSampledFunctionAreOneFunction) {
    RawStreamWriter& stream = startStream();
    // "scaled" is inlined into outerCaller: the sample's physical frame is outerCaller.
    const uint64_t sampled[] = {report.sites.at("scaled").address,
                                report.sites.at("libraryWork").address};
    stream.sample(++time, 1000, kTid, std::span(&sampled[0], 1));
    stream.sample(++time, 1000, kTid, std::span(&sampled[1], 1));
    const raw::CallCountEntry entries[] = {total(entryOf("outerCaller"), 1, 1),
                                           total(entryOf("libraryWork"), 1, 1)};
    stream.callTable(kTid, entries);
    const Profile profile = collectStream();

    ASSERT_EQ(profile.samples.size(), 2u);
    ASSERT_EQ(profile.call_counts.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        const std::vector<Frame> frames = leafFirstFrames(profile, profile.samples[i]);
        ASSERT_FALSE(frames.empty());
        ASSERT_FALSE(frames.back().inlined);
        EXPECT_EQ(profile.call_counts[i].function, frames.back().function)
            << nameOf(profile, profile.call_counts[i].function) << " vs "
            << nameOf(profile, frames.back().function);
    }
    EXPECT_EQ(nameOf(profile, profile.call_counts[0].function), "outerCaller(int)");
}

TEST_F(CallTableTest, DuplicateKeysAndTablesOfAReusedTidAreSummed) {
    const uint64_t outer = entryOf("outerCaller");
    const uint64_t library = entryOf("libraryWork");
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry first[] = {total(library, 2, 2), edge(outer, library, 2, 2),
                                         total(library, 1, 0), edge(outer, library, 1, 1)};
    stream.callTable(kTid, first);
    stream.thread(raw::RecordType::ThreadEnd, ++time, kTid, 0, "");
    stream.thread(raw::RecordType::ThreadStart, ++time, kTid, 0, "");
    const raw::CallCountEntry second[] = {total(library, 10, 10), edge(outer, library, 10, 10)};
    stream.callTable(kTid, second);
    const Profile profile = collectStream();

    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"fixture::libraryWork(int)", {13, 12}}}));
    EXPECT_EQ(edgesOf(profile, kTid),
              (CountsByName{{"outerCaller(int) -> fixture::libraryWork(int)", {13, 13}}}));
}

// Each table converts with its own clock, rounding to the nearest ns, before the sum.
TEST_F(CallTableTest, TraceModeTimesAreConvertedAndSummedLikeTheCounts) {
    const uint64_t outer = entryOf("outerCaller");
    const uint64_t library = entryOf("libraryWork");
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry first[] = {
        total(library, 2, 2, 101, 301), edge(outer, library, 2, 2, 99, 299),
        total(library, 1, 0, 10, 20), edge(outer, library, 1, 1, 8, 18)};
    stream.callTable(kTid, first, 0, 0, 0.5);
    stream.thread(raw::RecordType::ThreadEnd, ++time, kTid, 0, "");
    stream.thread(raw::RecordType::ThreadStart, ++time, kTid, 0, "");
    const raw::CallCountEntry second[] = {total(library, 10, 10, 7, 9),
                                          edge(outer, library, 10, 10, 6, 8)};
    stream.callTable(kTid, second, 0, 0, 2.0);
    const Profile profile = collectStream();

    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"fixture::libraryWork(int)", {13, 12}}}));
    EXPECT_EQ(timesOf(profile),
              (TimesByName{
                  {"fixture::libraryWork(int)", {51 + 5 + 14, 151 + 10 + 18}},
                  {"outerCaller(int) -> fixture::libraryWork(int)", {50 + 4 + 12, 150 + 9 + 16}}}));
}

TEST_F(CallTableTest, CountsModeTablesHaveNoTimes) {
    const uint64_t main = entryOf("main");
    const raw::CallCountEntry entries[] = {total(main, 1, 1, 40, 80), edge(0, main, 1, 1, 40, 80)};
    startStream().callTable(kTid, entries);
    const Profile profile = collectStream();
    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"main", {1, 1}}}));
    EXPECT_EQ(timesOf(profile), (TimesByName{{"main", {}}, {"(uninstrumented) -> main", {}}}));
}

// A damaged clock loses the times, not the counts; damaged ticks saturate instead of overflowing.
TEST_F(CallTableTest, DamagedClocksAndTicksAreContained) {
    const uint64_t main = entryOf("main");
    const uint64_t library = entryOf("libraryWork");
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry damaged_clock[] = {total(main, 1, 1, 40, 80)};
    stream.callTable(kTid, damaged_clock, 0, 0, std::nan(""));
    stream.callTable(kOtherTid, damaged_clock, 0, 0, -1.0);
    const raw::CallCountEntry huge[] = {total(library, 1, 1, UINT64_MAX, UINT64_MAX),
                                        total(library, 1, 1, UINT64_MAX, 2)};
    stream.callTable(kTid, huge, 0, 0, 1e9);
    const Profile profile = collectStream();

    EXPECT_EQ(countsOf(profile, kOtherTid), (CountsByName{{"main", {1, 1}}}));
    EXPECT_EQ(timesOf(profile), (TimesByName{{"main", {}},
                                             {"fixture::libraryWork(int)",
                                              {INT64_MAX, (int64_t{1} << 62) + 2000000000}}}));
}

TEST_F(CallTableTest, FreeAndUnreadySlotsAreSkipped) {
    const uint64_t library = entryOf("libraryWork");
    RawStreamWriter& stream = startStream();
    raw::CallCountEntry unready = total(entryOf("main"), 4, 4);
    unready.ready = 0;
    raw::CallCountEntry free_slot = total(0, 9, 9);
    const raw::CallCountEntry entries[] = {free_slot, total(library, 3, 3), unready, {}};
    stream.callTable(kTid, entries);
    const Profile profile = collectStream();

    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"fixture::libraryWork(int)", {3, 3}}}));
    EXPECT_TRUE(profile.call_edges.empty());
}

TEST_F(CallTableTest, EmptyTableStillMarksTheRunInstrumented) {
    startStream().callTable(kTid, {});
    const Profile profile = collectStream();
    EXPECT_EQ(profile.run.instrumentation, "counts");
    EXPECT_TRUE(profile.call_counts.empty());
}

TEST_F(CallTableTest, RunWithoutTablesIsNotInstrumented) {
    const uint64_t address = report.sites.at("libraryWork").address;
    startStream().sample(++time, 1000, kTid, std::span(&address, 1));
    const Profile profile = collectStream();
    EXPECT_EQ(profile.run.instrumentation, "");
    EXPECT_TRUE(profile.call_counts.empty());
    EXPECT_TRUE(profile.call_edges.empty());
}

// The table is reserved before the dlopen and outlives the dlclose: its entries are resolved
// against every module live while the table was in use.
TEST_F(CallTableTest, DlopenedLibraryLoadedAfterTheTableAndClosedBeforeTheEnd) {
    const FixtureModule& dl_library = report.module(kDlLibrary);
    const uint64_t dl_work = entryOf("dlWork");
    const uint64_t main = entryOf("main");
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry entries[] = {total(main, 1, 1), total(dl_work, 2, 2),
                                           edge(main, dl_work, 2, 2)};
    stream.callTable(kTid, entries);
    load(stream, dl_library);
    stream.moduleUnload(++time, dl_library.start);
    const Profile profile = collectStream();

    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"main", {1, 1}}, {"dlWork", {2, 2}}}));
    EXPECT_EQ(edgesOf(profile, kTid), (CountsByName{{"main -> dlWork", {2, 2}}}));
}

// After an unload the probe starts new tables: an older table's addresses never belong to a
// module loaded after that unload, even one mapped at the unloaded library's address.
TEST_F(CallTableTest, LibraryLoadedAtAnUnloadedOnesAddressDoesNotTakeItsCalls) {
    const FixtureModule& dl_library = report.module(kDlLibrary);
    FixtureModule successor = report.module(kLibrary);
    const uint64_t shift = dl_library.start - successor.start;
    successor.start += shift;
    successor.end += shift;
    successor.load_bias += shift;
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry entries[] = {total(entryOf("dlWork"), 2, 2)};
    stream.callTable(kTid, entries);
    load(stream, dl_library);
    stream.moduleUnload(++time, dl_library.start);
    load(stream, successor);
    const Profile profile = collectStream();
    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"dlWork", {2, 2}}}));
}

TEST_F(CallTableTest, LibraryLiveAtTheRecordButClosedLater) {
    const FixtureModule& dl_library = report.module(kDlLibrary);
    RawStreamWriter& stream = startStream();
    load(stream, dl_library);
    const raw::CallCountEntry entries[] = {total(entryOf("dlWork"), 1, 1)};
    stream.callTable(kTid, entries);
    stream.moduleUnload(++time, dl_library.start);
    const Profile profile = collectStream();
    EXPECT_EQ(countsOf(profile, kTid), (CountsByName{{"dlWork", {1, 1}}}));
}

TEST_F(CallTableTest, LossesBecomeOneWarningEach) {
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry entries[] = {total(entryOf("main"), 1, 1)};
    stream.callTable(kTid, entries, 40, 3);
    stream.callTable(kOtherTid, entries, 2, 0);
    const Profile profile = collectStream();
    EXPECT_EQ(profile.run.warnings,
              (std::vector<std::string>{
                  "42 calls were not counted: the call tables of threads 1000, 1001 were full",
                  "3 function exits had no matching entry (longjmp or a missing enter hook)"}));
}

TEST_F(CallTableTest, UnpairedExitsWarningNamesTheContextSwitchesSeen) {
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry entries[] = {total(entryOf("main"), 1, 1)};
    stream.callTable(kTid, entries, 0, 2, 0, 7);
    stream.callTable(kOtherTid, entries, 0, 0, 0, 5); // no unpaired exits: not the cause
    const Profile profile = collectStream();
    EXPECT_EQ(profile.run.warnings,
              std::vector<std::string>{
                  "2 function exits had no matching entry after 7 context switches "
                  "(swapcontext/setcontext) on the same threads, or a longjmp or a missing enter "
                  "hook"});
}

TEST_F(CallTableTest, OneFullTableIsNamed) {
    RawStreamWriter& stream = startStream();
    stream.callTable(kTid, {}, 0, 0);
    stream.callTable(kOtherTid, {}, 5, 0);
    const Profile profile = collectStream();
    EXPECT_EQ(profile.run.warnings,
              (std::vector<std::string>{"5 calls were not counted: the "
                                        "call table of thread 1001 was full"}));
}

void overwrite(const std::string& path, size_t offset, uint32_t value) {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(reinterpret_cast<const char*>(&value), sizeof(value));
    ASSERT_TRUE(file.good()) << path;
}

TEST_F(CallTableTest, TableLargerThanItsRecordIsIgnored) {
    RawStreamWriter& stream = startStream();
    const raw::CallCountEntry entries[] = {total(entryOf("main"), 1, 1)};
    const size_t table = stream.callTable(kTid, entries);
    const uint64_t address = report.sites.at("libraryWork").address;
    stream.sample(++time, 1000, kTid, std::span(&address, 1));
    writer.reset();
    for (const uint32_t capacity : {2u, 1u << 31, UINT32_MAX}) {
        overwrite(dir.file("1000.raw"), table + offsetof(raw::CallTableRecord, capacity), capacity);
        const Profile profile = collect({dir.path(), {}, {}});
        EXPECT_EQ(profile.run.instrumentation, "") << "capacity " << capacity;
        EXPECT_TRUE(profile.call_counts.empty()) << "capacity " << capacity;
        EXPECT_EQ(profile.samples.size(), 1u) << "the record after the table is still read";
    }
}

TEST_F(CallTableTest, StreamCutInsideTheTableKeepsWhatIsComplete) {
    RawStreamWriter& stream = startStream();
    const uint64_t address = report.sites.at("libraryWork").address;
    stream.sample(++time, 1000, kTid, std::span(&address, 1));
    const raw::CallCountEntry entries[] = {total(entryOf("main"), 1, 1),
                                           total(entryOf("libraryWork"), 1, 1)};
    const size_t table = stream.callTable(kTid, entries);
    writer.reset();
    const size_t table_size = sizeof(raw::CallTableRecord) + sizeof(entries);
    for (size_t cut = table; cut < table + table_size; cut += 4) {
        std::filesystem::resize_file(dir.file("1000.raw"), cut);
        const Profile profile = collect({dir.path(), {}, {}});
        EXPECT_EQ(profile.samples.size(), 1u) << "cut at " << cut;
        EXPECT_TRUE(profile.call_counts.empty()) << "cut at " << cut;
    }
}

} // namespace
} // namespace hprof::testing
