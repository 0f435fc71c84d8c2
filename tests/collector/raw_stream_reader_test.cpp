// Reading raw streams: header validation and streams cut or damaged anywhere.
#include "files.h"
#include "hprof/collector.h"
#include "hprof/error.h"
#include "raw_stream_reader.h"
#include "raw_stream_writer.h"
#include "temp_dir.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

namespace hprof::testing {
namespace {

using test::readFile;
using test::TempDir;
using test::writeFile;

// Records what it is shown, in order, as short strings.
class RecordingVisitor : public RawStreamVisitor {
  public:
    void onProcess(const RawProcessEvent& e) override {
        std::string text = "process";
        for (auto argument : e.argv)
            text += " " + std::string(argument);
        if (e.rank >= 0)
            text += " rank " + std::to_string(e.rank) + "/" + std::to_string(e.world_size) +
                    " job " + std::string(e.job_id);
        events.push_back(text + " exe=" + std::string(e.executable));
    }
    void onModuleLoad(const RawModuleLoadEvent& e) override {
        events.push_back("load " + std::string(e.path) + " " + std::to_string(e.build_id.size()));
    }
    void onModuleUnload(const RawModuleUnloadEvent& e) override {
        events.push_back("unload " + std::to_string(e.start));
    }
    void onThread(const RawThreadEvent& e) override {
        events.push_back("thread " + std::to_string(e.tid) + " " + std::string(e.name));
    }
    void onSample(const RawSampleEvent& e) override {
        std::string text = "sample";
        for (uint64_t address : e.addresses)
            text += " " + std::to_string(address);
        events.push_back(text + (e.truncated ? " truncated" : ""));
    }
    void onProcessEnd(const RawProcessEndEvent& e) override {
        events.push_back("end " + std::to_string(e.exit_status));
    }
    void onWarning(const RawWarningEvent& e) override {
        events.push_back("warning " + std::string(e.message));
    }
    void onCallTable(const RawCallTableEvent& e) override {
        std::string text = "calls " + std::to_string(e.tid);
        for (const raw::CallCountEntry& entry : e.entries)
            text += " " + std::to_string(entry.callee) + "<-" + std::to_string(entry.caller) +
                    " ticks " + std::to_string(entry.tottime_ticks) + "/" +
                    std::to_string(entry.cumtime_ticks);
        events.push_back(text + " lost " + std::to_string(e.overflowed_calls) + "/" +
                         std::to_string(e.unpaired_exits) + " ns/tick " +
                         std::to_string(e.ns_per_tick) + " at " + std::to_string(e.offset));
    }
    void onTraceChunk(const RawTraceChunkEvent& e) override {
        std::string text =
            "trace " + std::to_string(e.tid) + " table " + std::to_string(e.call_table_offset);
        for (const raw::TraceEntry& entry : e.entries)
            text += " " + std::to_string(entry.function_slot) + ":" + std::to_string(entry.start) +
                    "+" + std::to_string(entry.duration);
        events.push_back(text);
    }
    std::vector<std::string> events;
};

std::vector<std::string> eventsOf(const std::string& path) {
    RecordingVisitor visitor;
    RawStreamReader(path).read(visitor);
    return visitor.events;
}

// A stream with one record of each kind; returns the end offset of each record.
std::vector<size_t> writeEveryRecordKind(const std::string& path) {
    RawStreamWriter writer(path, {});
    const std::vector<uint8_t> build_id = {0xde, 0xad, 0xbe, 0xef};
    const std::vector<uint64_t> stack = {0x1010, 0x2020, 0x3030};
    std::vector<size_t> offsets;
    offsets.push_back(writer.process(10, {"prog", "--flag"}, "/bin/prog",
                                     JobPlace{.rank = 2, .world_size = 4, .job_id = "42"}));
    offsets.push_back(writer.moduleLoad(11, 0x1000, 0x1000, 0x4000, build_id, "/lib/libx.so"));
    offsets.push_back(writer.thread(raw::RecordType::ThreadStart, 12, 7, 0, "worker"));
    offsets.push_back(writer.sample(13, 100, 7, stack));
    offsets.push_back(writer.incomplete(24));
    offsets.push_back(writer.sample(14, 100, 7, stack, true));
    offsets.push_back(writer.warning(15, "careful"));
    offsets.push_back(writer.moduleUnload(16, 0x1000));
    offsets.push_back(writer.processEnd(17, 3));
    const raw::CallCountEntry calls[] = {{0x1010, raw::kFunctionTotal, 2, 2, 0, 1, 30, 50},
                                         {0x1010, 0x2020, 2, 2, 0, 1, 20, 40}};
    const size_t table = writer.callTable(7, calls, 5, 6, 0.25);
    offsets.push_back(table);
    const raw::TraceEntry trace[] = {{0, 10, 5}, {0, 20, 3}, {1, 0, 0}};
    offsets.push_back(writer.traceChunk(7, table, {}, trace, 2));
    writer.close();
    offsets.erase(offsets.begin());
    offsets.push_back(readFile(path).size());
    return offsets; // offsets[i] = where record i ends
}

TEST(RawStreamReaderTest, ReadsEveryRecordKindAndSkipsIncompleteRecords) {
    TempDir dir;
    writeEveryRecordKind(dir.file("1.raw"));
    const std::vector<std::string> expected = {"process prog --flag rank 2/4 job 42 exe=/bin/prog",
                                               "load /lib/libx.so 4",
                                               "thread 7 worker",
                                               "sample 4112 8224 12336",
                                               "sample 4112 8224 12336 truncated",
                                               "warning careful",
                                               "unload 4096",
                                               "end 3",
                                               "calls 7 4112<-18446744073709551615 ticks 30/50 "
                                               "4112<-8224 ticks 20/40 lost 5/6 ns/tick "
                                               "0.250000 at 4496",
                                               "trace 7 table 4496 0:10+5 0:20+3"};
    EXPECT_EQ(eventsOf(dir.file("1.raw")), expected);
}

TEST(RawStreamReaderTest, StreamCutAnywhereYieldsTheRecordsBeforeTheCut) {
    TempDir dir;
    const std::vector<size_t> record_ends = writeEveryRecordKind(dir.file("full.raw"));
    const std::string bytes = readFile(dir.file("full.raw"));
    const std::vector<std::string> all = eventsOf(dir.file("full.raw"));
    const std::string cut_path = dir.file("cut.raw");
    // Every byte of the records, and a stride through the rest of the header page.
    for (size_t cut = sizeof(raw::RawFileHeader); cut <= bytes.size();
         cut += cut < raw::kRawHeaderSize ? 61 : 1) {
        writeFile(cut_path, bytes.substr(0, cut));
        // Records that end before the cut, minus the incomplete one (record 4).
        size_t complete = 0;
        for (size_t i = 0; i < record_ends.size(); ++i)
            complete += record_ends[i] <= cut && i != 4;
        const std::vector<std::string> events = eventsOf(cut_path);
        ASSERT_EQ(events, std::vector(all.begin(), all.begin() + complete)) << "cut at " << cut;
    }
}

TEST(RawStreamReaderTest, TraceChunkCountIsClampedToItsCapacity) {
    TempDir dir;
    const std::string path = dir.file("1.raw");
    {
        RawStreamWriter writer(path, {});
        const raw::TraceEntry trace[] = {{3, 1, 2}, {4, 5, 6}};
        writer.traceChunk(9, 4096, {}, trace, 1000);
    }
    EXPECT_EQ(eventsOf(path), std::vector<std::string>{"trace 9 table 4096 3:1+2 4:5+6"});
}

TEST(RawStreamReaderTest, SkipsATraceChunkWhoseCapacityDoesNotFit) {
    TempDir dir;
    const std::string path = dir.file("1.raw");
    size_t chunk = 0;
    {
        RawStreamWriter writer(path, {});
        const raw::TraceEntry trace[] = {{3, 1, 2}};
        chunk = writer.traceChunk(9, 4096, {}, trace);
        writer.warning(1, "after");
    }
    std::string bytes = readFile(path);
    const uint32_t capacity = 2; // 24 bytes of entries in a record that holds 16
    std::memcpy(bytes.data() + chunk + offsetof(raw::TraceChunkRecord, capacity), &capacity, 4);
    writeFile(path, bytes);
    EXPECT_EQ(eventsOf(path), std::vector<std::string>{"warning after"});
}

TEST(RawStreamReaderTest, StopsAtImpossibleRecordSizes) {
    TempDir dir;
    const std::vector<size_t> record_ends = writeEveryRecordKind(dir.file("1.raw"));
    std::string bytes = readFile(dir.file("1.raw"));
    for (uint32_t bad_size : {0u, 4u, 12u, 1u << 30}) {
        // Damage the size of the fourth record (the first sample).
        std::memcpy(bytes.data() + record_ends[2], &bad_size, sizeof(bad_size));
        writeFile(dir.file("1.raw"), bytes);
        EXPECT_EQ(eventsOf(dir.file("1.raw")).size(), 3u) << "size " << bad_size;
    }
}

TEST(RawStreamReaderTest, IgnoresBytesPastUsed) {
    TempDir dir;
    const std::string path = dir.file("1.raw");
    const std::vector<size_t> record_ends = writeEveryRecordKind(path);
    std::string bytes = readFile(path);
    // The writer reserved only the first two records; what follows is not theirs yet.
    const uint64_t two_records = record_ends[1] - raw::kRawHeaderSize;
    std::memcpy(bytes.data() + offsetof(raw::RawFileHeader, used), &two_records, 8);
    writeFile(path, bytes);
    EXPECT_EQ(eventsOf(path).size(), 2u);
}

TEST(RawStreamReaderTest, RejectsForeignOrDamagedHeadersWithOneLineNamingTheFile) {
    TempDir dir;
    const std::string path = dir.file("1.raw");
    writeEveryRecordKind(path);
    const std::string good = readFile(path);

    std::string bad_magic = good;
    bad_magic[0] = 'X';
    std::string bad_version = good;
    const uint32_t version = raw::kRawVersion + 1;
    std::memcpy(bad_version.data() + offsetof(raw::RawFileHeader, version), &version, 4);
    std::string bad_header_size = good;
    const uint32_t header_size = 3;
    std::memcpy(bad_header_size.data() + offsetof(raw::RawFileHeader, header_size), &header_size,
                4);

    const std::vector<std::pair<std::string, size_t>> cases = {{bad_magic, good.size()},
                                                               {bad_version, good.size()},
                                                               {bad_header_size, good.size()},
                                                               {good, 10},
                                                               {good, 0}};
    for (const auto& [bytes, size] : cases) {
        writeFile(path, bytes.substr(0, size));
        try {
            RawStreamReader reader(path);
            ADD_FAILURE() << "accepted a bad header (size " << size << ")";
        } catch (const Error& error) {
            const std::string message = error.what();
            EXPECT_TRUE(message.starts_with(path + ": ")) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    }
}

// The probe writes the header's magic last: a process killed while its stream starts leaves an
// empty file, a header of zeros, or a complete header but for the magic.
TEST(RawStreamReaderTest, StreamOfAProcessKilledAtStartIsNamedAsCutShort) {
    TempDir dir;
    const std::string path = dir.file("7.raw");
    writeEveryRecordKind(path);
    std::string unpublished = readFile(path);
    std::fill_n(unpublished.begin(), sizeof(raw::kRawMagic), '\0');
    const std::string zeros(raw::kRawHeaderSize + 4096, '\0');
    for (const std::string& bytes : {std::string(), zeros, unpublished}) {
        writeFile(path, bytes);
        try {
            RawStreamReader reader(path);
            ADD_FAILURE() << "accepted a stream without magic (" << bytes.size() << " bytes)";
        } catch (const Error& error) {
            const std::string message = error.what();
            EXPECT_TRUE(message.starts_with(path + ": ")) << message;
            EXPECT_NE(message.find("cut short"), std::string::npos) << message;
        }
    }
}

TEST(RawStreamReaderTest, CollectWithOnlyACorruptStreamThrows) {
    TempDir dir;
    std::ofstream(dir.file("42.raw")) << "this is not a raw stream, just some text";
    try {
        collect({dir.path(), {}, {}});
        FAIL() << "collect accepted a corrupt stream";
    } catch (const Error& error) {
        const std::string message = error.what();
        EXPECT_TRUE(message.starts_with(dir.path() + ": no profile data")) << message;
        EXPECT_NE(message.find("42.raw"), std::string::npos) << message;
    }
}

TEST(RawStreamReaderTest, CollectOnAnEmptyOrMissingDirectoryThrows) {
    TempDir dir;
    EXPECT_THROW(collect({dir.path(), {}, {}}), Error);
    EXPECT_THROW(collect({dir.file("missing"), {}, {}}), Error);
}

} // namespace
} // namespace hprof::testing
