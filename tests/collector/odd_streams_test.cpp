// Raw streams the collector meets when things went wrong around it: a FIFO named like a stream
// (opening it would wait for a writer forever), a stream with a hole on a full tmpfs (where
// even reading a hole through a mapping allocates a page, so a SIGBUS), and a stream the probe
// stopped because its file could not grow. Each case runs in a child process with an alarm,
// so that a hang or a fault fails the test instead of hanging or killing it.
#include "files.h"
#include "hprof/collector.h"
#include "hprof/error.h"
#include "raw_stream_reader.h"
#include "raw_stream_writer.h"
#include "stream_stop.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <fcntl.h>
#include <functional>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hprof::testing {
namespace {

using test::TempDir;

class CountingVisitor : public RawStreamVisitor {
  public:
    void onProcess(const RawProcessEvent&) override { ++records; }
    void onModuleLoad(const RawModuleLoadEvent&) override { ++records; }
    void onModuleUnload(const RawModuleUnloadEvent&) override { ++records; }
    void onThread(const RawThreadEvent&) override { ++records; }
    void onSample(const RawSampleEvent&) override { ++records; }
    void onProcessEnd(const RawProcessEndEvent&) override { ++records; }
    void onWarning(const RawWarningEvent&) override { ++records; }
    void onCallTable(const RawCallTableEvent&) override { ++records; }
    void onTraceChunk(const RawTraceChunkEvent&) override { ++records; }
    int records = 0;
};

// Runs `check` in a child process that an alarm ends after 20 s; returns its wait status.
// The child's exit status is 0 when `check` returned true.
int runBounded(const std::function<bool()>& check) {
    const pid_t child = fork();
    if (child == 0) {
        alarm(20);
        bool passed = false;
        try {
            passed = check();
        } catch (...) {
        }
        _exit(passed ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    return status;
}

// "exited 0", or how the child ended otherwise.
std::string describe(int status) {
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status));
    return "exited " + std::to_string(WEXITSTATUS(status));
}

bool throwsNaming(const std::function<void()>& action, const std::string& start,
                  const std::string& contained) {
    try {
        action();
    } catch (const Error& error) {
        const std::string message = error.what();
        return message.starts_with(start) && message.find(contained) != std::string::npos &&
               message.find('\n') == std::string::npos;
    }
    return false;
}

TEST(OddStreams, FifoNamedLikeAStreamIsRefusedWithoutWaiting) {
    TempDir dir;
    const std::string fifo = dir.file("123.raw");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const int status = runBounded([&] {
        return throwsNaming([&] { RawStreamReader reader(fifo); }, fifo + ": ",
                            "not a regular file") &&
               throwsNaming(
                   [&] {
                       collect({dir.path(), {}, {}});
                   },
                   dir.path(), fifo);
    });
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describe(status);
}

TEST(OddStreams, DirectoryNamedLikeAStreamIsRefused) {
    TempDir dir;
    const std::string directory = dir.file("9.raw");
    ASSERT_EQ(mkdir(directory.c_str(), 0700), 0);
    EXPECT_TRUE(throwsNaming([&] { RawStreamReader reader(directory); }, directory + ": ",
                             "not a regular file"));
}

// A stream whose records run up to the end of its first page, with `used` claiming 1 MiB: the
// rest of the file is a hole (the process died, or the disk filled, before storing there).
void writeStreamWithHole(const std::string& path) {
    {
        RawStreamWriter writer(path, {});
        writer.process(1, {"prog"}, "/bin/prog");
        const size_t end = writer.incomplete(0) + sizeof(raw::RecordHeader);
        writer.incomplete(uint32_t(2 * raw::kRawHeaderSize - end - sizeof(raw::RecordHeader)));
    }
    const int fd = open(path.c_str(), O_RDWR);
    const uint64_t used = 1u << 20;
    pwrite(fd, &used, sizeof used, offsetof(raw::RawFileHeader, used));
    ftruncate(fd, off_t(raw::kRawHeaderSize + used));
    close(fd);
}

// Fills the file system holding `dir` until it says ENOSPC.
bool fillFileSystem(const std::string& dir) {
    const int fd = open((dir + "/filler").c_str(), O_WRONLY | O_CREAT, 0600);
    const std::string block(64 * 1024, 'x');
    while (write(fd, block.data(), block.size()) > 0) {
    }
    const bool full = errno == ENOSPC;
    close(fd);
    return full;
}

// A 2 MB tmpfs of this process's own (a private mount namespace; needs root, as CI has).
bool mountSmallTmpfs(const std::string& mount_point) {
    return unshare(CLONE_NEWNS) == 0 &&
           mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
           mount("hprof-test", mount_point.c_str(), "tmpfs", 0, "size=2m") == 0;
}

TEST(OddStreams, HoleOnAFullTmpfsEndsTheStreamWithoutAFault) {
    TempDir dir;
    const std::string mount_point = dir.file("tmpfs");
    ASSERT_EQ(mkdir(mount_point.c_str(), 0700), 0);
    const int status = runBounded([&] {
        if (!mountSmallTmpfs(mount_point))
            _exit(97);
        const std::string path = mount_point + "/5.raw";
        writeStreamWithHole(path);
        if (!fillFileSystem(mount_point))
            _exit(98);
        CountingVisitor visitor;
        RawStreamReader(path).read(visitor);
        return visitor.records == 1; // the process record; the incomplete one is skipped
    });
    ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 97)
        << "cannot mount a tmpfs (the test needs root)";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describe(status);
}

// A hole inside a record is read as zeros, not as the end of the stream: tmpfs reports the
// pages of a call table that the probe reserved (fallocate) but has not written as holes.
TEST(OddStreams, HoleInsideARecordReadsAsZeros) {
    TempDir dir;
    const std::string path = dir.file("6.raw");
    {
        RawStreamWriter writer(path, {});
        writer.process(1, {"prog"}, "/bin/prog");
        writer.callTable(6, std::vector<raw::CallCountEntry>(300)); // free slots: 16 KiB of 0
    }
    const int fd = open(path.c_str(), O_RDWR);
    ASSERT_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 3 * raw::kRawHeaderSize,
                        raw::kRawHeaderSize),
              0);
    ASSERT_EQ(lseek(fd, 0, SEEK_HOLE), 3 * raw::kRawHeaderSize);
    close(fd);
    CountingVisitor visitor;
    RawStreamReader(path).read(visitor);
    EXPECT_EQ(visitor.records, 2);
}

TEST(OddStreams, StoppedStreamIsReadAndWarnedAbout) {
    TempDir dir;
    const std::string path = dir.file("77.raw");
    {
        RawStreamWriter writer(path, {77, 1, 1'000'000'000, 0, 40, 1000});
        writer.process(1'000'000'000, {"prog"}, "/bin/prog");
    }
    raw::RawFileHeader stopped{};
    stopped.stop_reason.store(uint32_t(raw::StopReason::DiskFull));
    stopped.stopped_at_ns = 2'500'000'000;
    stopped.stopped_file_bytes = 6u << 20;
    stopped.stop_limit_bytes = 64u << 20;
    stopped.dropped_records.store(45);
    const int fd = open(path.c_str(), O_RDWR);
    const size_t from = offsetof(raw::RawFileHeader, stop_reason);
    pwrite(fd, reinterpret_cast<const char*>(&stopped) + from, sizeof stopped - from, off_t(from));
    close(fd);

    const RawStreamReader reader(path);
    EXPECT_EQ(reader.info().stop.reason, raw::StopReason::DiskFull);
    EXPECT_EQ(reader.info().stop.dropped_records, 45u);
    EXPECT_EQ(streamStopWarning(reader.info(), "/dev/shm/hprof-run-x"),
              "stopped recording process 77 after 1.50 s: /dev/shm/hprof-run-x is full (64 MB; "
              "set HPROF_TMPDIR to a directory with more room); 40 samples dropped, 45 records "
              "refused");
}

TEST(OddStreams, SmallFileSizeLimitIsSaidInKilobytes) {
    RawStreamInfo info;
    info.pid = 3;
    info.stop = {raw::StopReason::FileLimit, 0, 8192, 12000, 2};
    EXPECT_EQ(streamStopWarning(info, "/tmp/x"),
              "stopped recording process 3 after 0.00 s: its raw stream reached the file size "
              "limit (ulimit -f, 12 KB); 0 samples dropped, 2 records refused");
}

TEST(OddStreams, StreamThatRanToItsEndHasNoStopWarning) {
    RawStreamInfo info;
    info.pid = 3;
    EXPECT_EQ(streamStopWarning(info, "/tmp/x"), std::nullopt);
}

} // namespace
} // namespace hprof::testing
