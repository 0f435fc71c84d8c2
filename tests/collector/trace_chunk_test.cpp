// Trace chunks (--instrument=trace): kept calls with exact times, named by the slots of their
// thread's call table and symbolized from the real function entry addresses of the fixture.
#include "instrumented_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>

namespace hprof::testing {
namespace {

// The stream header's start_monotonic_ns: every profile time counts from there.
constexpr uint64_t kRunStartNs = RawStreamWriter::Header{}.start_monotonic_ns;

struct Event {
    int32_t tid = 0;
    std::string function;
    int64_t start_ns = 0;
    int64_t duration_ns = 0;
    bool operator==(const Event&) const = default;
};

void PrintTo(const Event& event, std::ostream* out) {
    *out << event.tid << " " << event.function << " @" << event.start_ns << " +"
         << event.duration_ns;
}

std::vector<Event> eventsOf(const Profile& profile) {
    std::vector<Event> events;
    for (const TraceEvent& event : profile.trace_events)
        events.push_back({profile.thread(event.thread).tid, nameOf(profile, event.function),
                          event.start_ns, event.duration_ns});
    return events;
}

class TraceChunkTest : public InstrumentedStreamTest {
  protected:
    // A table of kTid with outerCaller in slot 0, an edge in slot 1, libraryWork in slot 2.
    size_t startTracedStream() {
        const uint64_t outer = entryOf("outerCaller");
        const uint64_t library = entryOf("libraryWork");
        const raw::CallCountEntry entries[] = {total(outer, 1, 1), edge(outer, library, 2, 2),
                                               total(library, 2, 2)};
        return startStream().callTable(kTid, entries);
    }

    // 0.3 ns per tick (a 3.33 GHz TSC) in units of 16 ticks: 4.8 ns per unit.
    static RawStreamWriter::TraceTiming timing(uint64_t base_offset_ns) {
        return {123'456, kRunStartNs + base_offset_ns, 0.3, 4, 1000};
    }
};

TEST_F(TraceChunkTest, UnitsBecomeNanosecondsSinceTheRunStart) {
    const size_t table = startTracedStream();
    const raw::TraceEntry entries[] = {{0, 1000, 3000}, {2, 1200, 1000}, {2, 0, UINT32_MAX}};
    writer->traceChunk(kTid, table, timing(5'000'000), entries);
    const Profile profile = collectStream();

    EXPECT_EQ(profile.run.instrumentation, "trace");
    EXPECT_EQ(profile.run.min_duration_ns, 1000);
    EXPECT_TRUE(profile.run.warnings.empty());
    // A duration of UINT32_MAX units stands for "at least that long" and is kept as such.
    EXPECT_EQ(eventsOf(profile),
              (std::vector<Event>{{kTid, "fixture::libraryWork(int)", 5'000'000, 20'615'843'016},
                                  {kTid, "outerCaller(int)", 5'004'800, 14'400},
                                  {kTid, "fixture::libraryWork(int)", 5'005'760, 4'800}}));
}

TEST_F(TraceChunkTest, EventsHaveTheFunctionIdsOfTheCallCounts) {
    const size_t table = startTracedStream();
    const raw::TraceEntry entries[] = {{0, 10, 30}, {2, 12, 10}};
    writer->traceChunk(kTid, table, timing(0), entries);
    const Profile profile = collectStream();

    ASSERT_EQ(profile.trace_events.size(), 2u);
    ASSERT_EQ(profile.call_counts.size(), 2u);
    for (const TraceEvent& event : profile.trace_events) {
        const auto counted =
            std::find_if(profile.call_counts.begin(), profile.call_counts.end(),
                         [&](const CallCount& count) { return count.function == event.function; });
        EXPECT_NE(counted, profile.call_counts.end()) << nameOf(profile, event.function);
    }
}

TEST_F(TraceChunkTest, SortedByThreadThenStartWithTheEnclosingCallFirst) {
    const size_t table = startTracedStream();
    const raw::CallCountEntry other_entries[] = {total(entryOf("main"), 1, 1)};
    const size_t other_table = writer->callTable(kOtherTid, other_entries);
    const raw::TraceEntry late[] = {{2, 100, 10}, {0, 50, 100}};
    const raw::TraceEntry other[] = {{0, 0, 1000}};
    // The inner call ends first, so the probe writes it first.
    const raw::TraceEntry early[] = {{2, 0, 10}, {0, 0, 40}};
    writer->traceChunk(kTid, table, timing(0), late);
    writer->traceChunk(kOtherTid, other_table, timing(0), other);
    writer->traceChunk(kTid, table, timing(0), early);
    const Profile profile = collectStream();

    const std::vector<Event> events = eventsOf(profile);
    ASSERT_EQ(events.size(), 5u);
    std::vector<std::pair<int32_t, std::string>> order;
    for (const Event& event : events)
        order.emplace_back(event.tid, event.function);
    EXPECT_EQ(order,
              (std::vector<std::pair<int32_t, std::string>>{{kTid, "outerCaller(int)"},
                                                            {kTid, "fixture::libraryWork(int)"},
                                                            {kTid, "outerCaller(int)"},
                                                            {kTid, "fixture::libraryWork(int)"},
                                                            {kOtherTid, "main"}}));
}

TEST_F(TraceChunkTest, SlotsThatHoldNoReadyFunctionTotalAreSkippedAndCounted) {
    const uint64_t library = entryOf("libraryWork");
    raw::CallCountEntry unready = total(library, 1, 1);
    unready.ready = 0;
    const raw::CallCountEntry entries[] = {
        total(library, 1, 1), edge(0, library, 1, 1), unready, {}};
    const size_t table = startStream().callTable(kTid, entries);
    // Slot 1 is an edge, 2 not ready, 3 free, 4 and UINT32_MAX past the table.
    const raw::TraceEntry trace[] = {{1, 0, 5},  {0, 10, 5}, {2, 20, 5},
                                     {3, 30, 5}, {4, 40, 5}, {UINT32_MAX, 50, 5}};
    writer->traceChunk(kTid, table, timing(0), trace);
    const Profile profile = collectStream();

    EXPECT_EQ(eventsOf(profile), (std::vector<Event>{{kTid, "fixture::libraryWork(int)", 48, 24}}));
    EXPECT_EQ(profile.run.warnings,
              (std::vector<std::string>{"5 traced calls were skipped (their function slot holds "
                                        "no counted function)"}));
}

TEST_F(TraceChunkTest, ChunksNamingNoCallTableOfTheirThreadAreIgnoredWithOneWarning) {
    const size_t table = startTracedStream();
    const uint64_t address = report.sites.at("libraryWork").address;
    const size_t sample = writer->sample(++time, 1000, kTid, std::span(&address, 1));
    const raw::TraceEntry trace[] = {{0, 0, 5}};
    writer->traceChunk(kOtherTid, table, timing(0), trace); // another thread's table
    writer->traceChunk(kTid, sample, timing(0), trace);     // not a table
    writer->traceChunk(kTid, table + 8, timing(0), trace);  // inside the table
    writer->traceChunk(kTid, UINT64_MAX, timing(0), trace);
    const Profile profile = collectStream();

    EXPECT_TRUE(profile.trace_events.empty());
    EXPECT_EQ(profile.run.instrumentation, "trace");
    EXPECT_EQ(profile.call_counts.size(), 2u);
    EXPECT_EQ(profile.run.warnings,
              (std::vector<std::string>{"4 trace chunks were ignored (damaged: no call table of "
                                        "their thread at their call table offset, or an "
                                        "unusable clock)"}));
}

TEST_F(TraceChunkTest, ChunksWithAnUnusableClockAreIgnored) {
    const size_t table = startTracedStream();
    const raw::TraceEntry trace[] = {{0, 0, 5}};
    for (const auto& [ns_per_tick, unit_shift] :
         std::vector<std::pair<double, uint32_t>>{{std::nan(""), 0},
                                                  {0.0, 0},
                                                  {-1.0, 0},
                                                  {std::numeric_limits<double>::infinity(), 0},
                                                  {1.0, 64},
                                                  {1.0, 40}}) {
        RawStreamWriter::TraceTiming bad = timing(0);
        bad.ns_per_tick = ns_per_tick;
        bad.unit_shift = unit_shift;
        writer->traceChunk(kTid, table, bad, trace);
    }
    writer->traceChunk(kTid, table, timing(0), trace);
    const Profile profile = collectStream();

    EXPECT_EQ(eventsOf(profile), (std::vector<Event>{{kTid, "outerCaller(int)", 0, 24}}));
    ASSERT_EQ(profile.run.warnings.size(), 1u);
    EXPECT_TRUE(profile.run.warnings[0].starts_with("6 trace chunks were ignored"))
        << profile.run.warnings[0];
}

TEST_F(TraceChunkTest, MinimumDurationIsTheSmallestOfTheChunks) {
    const size_t table = startTracedStream();
    const raw::TraceEntry trace[] = {{0, 0, 5000}};
    RawStreamWriter::TraceTiming strict = timing(0);
    strict.min_duration_ns = 2'000'000;
    writer->traceChunk(kTid, table, strict, trace);
    writer->traceChunk(kTid, table, timing(0), trace);
    EXPECT_EQ(collectStream().run.min_duration_ns, 1000);
}

TEST_F(TraceChunkTest, OnlyTheCompleteEntriesOfAChunkBeingFilledAreRead) {
    const size_t table = startTracedStream();
    const raw::TraceEntry trace[] = {{0, 0, 5}, {2, 10, 5}, {2, 20, 5}};
    writer->traceChunk(kTid, table, timing(0), trace, 1);
    EXPECT_EQ(eventsOf(collectStream()), (std::vector<Event>{{kTid, "outerCaller(int)", 0, 24}}));
}

TEST_F(TraceChunkTest, StreamCutInsideAChunkKeepsTheCountsAndLosesTheChunk) {
    const size_t table = startTracedStream();
    const raw::TraceEntry trace[] = {{0, 0, 5}, {2, 10, 5}};
    const size_t chunk = writer->traceChunk(kTid, table, timing(0), trace);
    writer.reset();
    const size_t chunk_size = sizeof(raw::TraceChunkRecord) + sizeof(trace);
    for (size_t cut = chunk; cut < chunk + chunk_size; cut += 4) {
        std::filesystem::resize_file(dir.file("1000.raw"), cut);
        const Profile profile = collect({dir.path(), {}, {}});
        EXPECT_TRUE(profile.trace_events.empty()) << "cut at " << cut;
        EXPECT_EQ(profile.run.instrumentation, "counts") << "cut at " << cut;
        EXPECT_EQ(profile.call_counts.size(), 2u) << "cut at " << cut;
    }
}

} // namespace
} // namespace hprof::testing
