// The raw stream writer under concurrency: every record written by many threads at once is in
// the file exactly once, intact, and a record that was never committed stays marked incomplete.
#include "files.h"
#include "raw_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace raw = hprof::raw;

struct TestRecord {
    raw::RecordHeader header;
    uint64_t time_ns; // as in WarningRecord, followed by our payload
    uint32_t thread;
    uint32_t sequence;
};

TEST(RawWriterTest, ConcurrentRecordsArriveIntactAndOnce) {
    const hprof::test::TempDir dir;
    ASSERT_TRUE(
        hprof::probe::openStream({dir.path().c_str(), 1000, raw::Trigger::PerfTaskClock, SIGPROF}));

    constexpr uint32_t kThreads = 8, kPerThread = 20000;
    std::vector<std::thread> writers;
    for (uint32_t t = 0; t < kThreads; ++t) {
        writers.emplace_back([t] {
            for (uint32_t i = 0; i < kPerThread; ++i) {
                auto* header = hprof::probe::beginRecord(sizeof(TestRecord));
                ASSERT_NE(header, nullptr);
                auto* record = reinterpret_cast<TestRecord*>(header);
                record->thread = t;
                record->sequence = i;
                hprof::probe::commitRecord(header, raw::RecordType::Warning);
            }
        });
    }
    for (auto& writer : writers)
        writer.join();
    hprof::probe::beginRecord(sizeof(TestRecord)); // reserved, never committed

    const std::string file = hprof::test::readFile(dir.file(std::to_string(getpid()) + ".raw"));
    ASSERT_GE(file.size(), raw::kRawHeaderSize);
    const auto* fileHeader = reinterpret_cast<const raw::RawFileHeader*>(file.data());
    EXPECT_EQ(memcmp(fileHeader->magic, raw::kRawMagic, 8), 0);
    EXPECT_EQ(fileHeader->pid, getpid());
    uint64_t end = raw::kRawHeaderSize + fileHeader->used.load();
    ASSERT_LE(end, file.size());

    std::set<std::pair<uint32_t, uint32_t>> seen;
    size_t incomplete = 0;
    for (uint64_t offset = raw::kRawHeaderSize; offset < end;) {
        const auto* record = reinterpret_cast<const TestRecord*>(file.data() + offset);
        ASSERT_EQ(record->header.size, raw::alignRecordSize(sizeof(TestRecord)));
        if (record->header.type.load() == 0)
            ++incomplete;
        else
            EXPECT_TRUE(seen.insert({record->thread, record->sequence}).second);
        offset += record->header.size;
    }
    EXPECT_EQ(seen.size(), size_t(kThreads) * kPerThread);
    EXPECT_EQ(incomplete, 1u);
}

} // namespace
