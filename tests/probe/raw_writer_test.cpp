// The raw stream writer under concurrency: every record written by many threads at once is in
// the file exactly once, intact, and a record that was never committed stays marked incomplete;
// processes starting at once, or reusing a pid, never share or clobber a stream file.
#include "files.h"
#include "raw_writer.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <set>
#include <string>
#include <sys/wait.h>
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

hprof::probe::StreamSettings settingsFor(const hprof::test::TempDir& dir) {
    return {dir.path().c_str(), 1000, raw::Trigger::PerfTaskClock, SIGPROF};
}

// In a fork child: opens this process's stream and publishes one record; the exit status says
// whether that worked. Never returns.
[[noreturn]] void openStreamAndExit(const hprof::test::TempDir& dir) {
    if (!hprof::probe::openStream(settingsFor(dir)))
        _exit(1);
    auto* header = hprof::probe::beginRecord(sizeof(TestRecord));
    if (!header)
        _exit(2);
    hprof::probe::commitRecord(header, raw::RecordType::Warning);
    _exit(0);
}

// Header pid of a finished stream file, or -1 unless its magic and first record are in place.
int32_t streamPid(const std::string& path) {
    const std::string file = hprof::test::readFile(path);
    if (file.size() < raw::kRawHeaderSize + sizeof(TestRecord))
        return -1;
    const auto* header = reinterpret_cast<const raw::RawFileHeader*>(file.data());
    const auto* record = reinterpret_cast<const TestRecord*>(file.data() + raw::kRawHeaderSize);
    if (memcmp(header->magic, raw::kRawMagic, 8) != 0 || record->header.type.load() == 0)
        return -1;
    return header->pid;
}

int exitCodeOf(pid_t pid) {
    int status = 0;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Many processes starting at the same moment (a driver forking workers) each get their own
// complete stream, named after their pid.
TEST(RawWriterTest, ProcessesStartingAtOnceEachGetTheirOwnStream) {
    const hprof::test::TempDir dir;
    int start[2];
    ASSERT_EQ(pipe(start), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < 32; ++i) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            close(start[1]);
            char byte;
            while (read(start[0], &byte, 1) < 0 && errno == EINTR) {
            } // returns at the parent's close: every child starts together
            openStreamAndExit(dir);
        }
        children.push_back(pid);
    }
    close(start[0]);
    close(start[1]);
    for (const pid_t child : children)
        EXPECT_EQ(exitCodeOf(child), 0);

    const std::filesystem::directory_iterator files(dir.path());
    EXPECT_EQ(std::distance(begin(files), end(files)), std::ssize(children));
    for (const pid_t child : children)
        EXPECT_EQ(streamPid(dir.file(std::to_string(child) + ".raw")), child);
}

// A pid seen before in the run (an earlier image before exec, or pid reuse) keeps its stream;
// the new process takes the next free "<pid>-N.raw".
TEST(RawWriterTest, TakenStreamNameIsKeptAndTheNextNumberTaken) {
    const hprof::test::TempDir dir;
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(go[1]);
        char byte;
        if (read(go[0], &byte, 1) != 1) // the parent has made the names taken
            _exit(3);
        openStreamAndExit(dir);
    }
    close(go[0]);
    const std::string prefix = dir.file(std::to_string(child));
    hprof::test::writeFile(prefix + ".raw", "earlier");
    hprof::test::writeFile(prefix + "-1.raw", "earlier too");
    ASSERT_EQ(write(go[1], "x", 1), 1);
    close(go[1]);
    ASSERT_EQ(exitCodeOf(child), 0);

    EXPECT_EQ(hprof::test::readFile(prefix + ".raw"), "earlier");
    EXPECT_EQ(hprof::test::readFile(prefix + "-1.raw"), "earlier too");
    EXPECT_EQ(streamPid(prefix + "-2.raw"), child);
}

} // namespace
