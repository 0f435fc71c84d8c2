#include "raw_writer.h"
#include "fork_parent.h"
#include "probe_fds.h"
#include "signal_safe.h"
#include "stream_lock.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

// Address space reserved for one stream; mapping past the end of the file is allowed. The file
// grows by steps that double from kFirstStep to kMaxStep: every step's blocks are allocated at
// once (see allocateFile), and a task farm's many short processes should each take little of
// a small /dev/shm, while a long one should grow rarely.
constexpr uint64_t kReservedBytes = 64ull << 30;
constexpr uint64_t kFirstStep = 64ull << 10;
constexpr uint64_t kMaxStep = 4ull << 20;
constexpr uint64_t kPageBytes = 4096;

struct Stream {
    std::atomic<int> fd{-1}; // moved if the program dup2s onto its number (probe_fds.cpp)
    char* base = nullptr;
    std::atomic<uint64_t> file_size{0};
};
constinit Stream g_stream;

raw::RawFileHeader* header() {
    return reinterpret_cast<raw::RawFileHeader*>(g_stream.base);
}

uint64_t roundUp(uint64_t value, uint64_t step) {
    return (value + step - 1) / step * step;
}

// RLIMIT_FSIZE, or UINT64_MAX. Growing a file past it makes the kernel raise SIGXFSZ, whose
// disposition belongs to the program (by default it kills): the probe never tries.
uint64_t fileSizeLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return UINT64_MAX;
    return uint64_t(limit.rlim_cur);
}

// Makes [from, to) of the file exist, with its blocks allocated now: on a full file system
// fallocate fails with ENOSPC, where a sparse file would give a SIGBUS on the first store to a
// page later, in whatever code of the program wrote the record. Returns 0 or an errno.
int allocateFile(uint64_t from, uint64_t to) {
    if (to > fileSizeLimit())
        return EFBIG;
    if (fallocate(g_stream.fd, 0, off_t(from), off_t(to - from)) == 0)
        return 0;
    if (errno != EOPNOTSUPP)
        return errno;
    // A file system without fallocate: grow the file sparsely (pwrite at an offset only extends).
    char zero = 0;
    return pwrite(g_stream.fd, &zero, 1, off_t(to - 1)) == 1 ? 0 : errno;
}

// Grows the file (never shrinks it) so that [0, end) is backed. Returns 0 or an errno. Many
// threads may grow at once: allocating a range twice is harmless, and file_size only rises.
int ensureBacked(uint64_t end) {
    uint64_t size = g_stream.file_size.load(std::memory_order_acquire);
    if (end <= size)
        return 0;
    const uint64_t step = std::clamp(size, kFirstStep, kMaxStep);
    uint64_t wanted = roundUp(end, step);
    int error = allocateFile(size, wanted);
    if (error != 0) { // less than a step left: take only the pages this record needs
        wanted = roundUp(end, kPageBytes);
        error = allocateFile(size, wanted);
    }
    if (error != 0)
        return error;
    while (size < wanted &&
           !g_stream.file_size.compare_exchange_weak(size, wanted, std::memory_order_acq_rel)) {
    }
    return 0;
}

raw::StopReason stopReasonOf(int error) {
    switch (error) {
    case ENOSPC:
    case EDQUOT:
        return raw::StopReason::DiskFull;
    case EFBIG:
        return raw::StopReason::FileLimit;
    default:
        return raw::StopReason::OtherError;
    }
}

// The size of the file system holding the stream (fstatfs: a plain system call).
uint64_t fileSystemBytes() {
    struct statfs status {};
    if (fstatfs(g_stream.fd, &status) != 0)
        return 0;
    return uint64_t(status.f_blocks) * uint64_t(status.f_bsize);
}

// The first writer whose growth failed stops the stream for good: a record refused while
// others still fit would leave holes in what the profile says about time. The header keeps
// why, so that the collector can say so (there is no room left for a record saying it).
void stopRecording(raw::StopReason reason) {
    raw::RawFileHeader* h = header();
    uint32_t none = uint32_t(raw::StopReason::None);
    if (!h->stop_reason.compare_exchange_strong(none, uint32_t(reason), std::memory_order_acq_rel))
        return;
    h->stopped_at_ns = monotonicNs();
    h->stopped_file_bytes = g_stream.file_size.load(std::memory_order_acquire);
    h->stop_limit_bytes =
        reason == raw::StopReason::FileLimit ? fileSizeLimit() : fileSystemBytes();
}

// Backs a record ending at `end`; None, or why it cannot be. Keeps errno: the caller may be a
// wrapper of a libc function whose errno the program reads.
raw::StopReason backRecord(uint64_t end) {
    if (end > kReservedBytes)
        return raw::StopReason::OtherError;
    const int saved_errno = errno;
    const int error = ensureBacked(end);
    errno = saved_errno;
    return error == 0 ? raw::StopReason::None : stopReasonOf(error);
}

bool streamStopped() {
    return header()->stop_reason.load(std::memory_order_relaxed) != uint32_t(raw::StopReason::None);
}

int createStreamFile(const char* run_dir, pid_t pid) {
    char path[PATH_MAX];
    for (int attempt = 0; attempt < 1000; ++attempt) {
        if (attempt == 0)
            snprintf(path, sizeof path, "%s/%d.raw", run_dir, int(pid));
        else
            snprintf(path, sizeof path, "%s/%d-%d.raw", run_dir, int(pid), attempt);
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

// The magic goes in last: a process killed while its stream starts (a fork child killed at
// once, say) leaves a file without magic, which the collector reports as cut short, rather
// than a header that claims to be complete and is not.
void fillHeader(const StreamSettings& settings) {
    raw::RawFileHeader* h = header();
    h->version = raw::kRawVersion;
    h->header_size = raw::kRawHeaderSize;
    h->pid = getpid();
    h->ppid = parentPid();
    h->start_monotonic_ns = monotonicNs();
    h->start_realtime_ns = clockNs(CLOCK_REALTIME);
    h->frequency_hz = settings.frequency_hz;
    h->trigger = uint32_t(settings.trigger);
    h->signal_number = settings.signal_number;
    h->clock = uint32_t(settings.clock);
    std::atomic_signal_fence(std::memory_order_release); // the compiler keeps the order
    memcpy(h->magic, raw::kRawMagic, sizeof h->magic);
}

} // namespace

bool openStream(const StreamSettings& settings) {
    int fd = createStreamFile(settings.run_dir, getpid());
    if (fd < 0)
        return false;
    fd = moveFdHigh(fd);
    lockStreamFile(fd);
    void* base =
        mmap(nullptr, kReservedBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (base == MAP_FAILED) {
        closeProbeFd(fd);
        return false;
    }
    g_stream.fd = fd;
    g_stream.file_size.store(0);
    if (int error = ensureBacked(raw::kRawHeaderSize); error != 0) {
        munmap(base, kReservedBytes);
        closeProbeFd(fd);
        g_stream.fd = -1;
        errno = error;
        return false;
    }
    g_stream.base = static_cast<char*>(base);
    fillHeader(settings);
    return true;
}

bool reopenStreamAfterFork(const StreamSettings& settings) {
    if (g_stream.base)
        munmap(g_stream.base, kReservedBytes);
    if (g_stream.fd >= 0)
        closeProbeFd(g_stream.fd);
    g_stream.base = nullptr;
    g_stream.fd = -1;
    return openStream(settings);
}

void streamFdMoved(int old_fd, int new_fd) {
    int expected = old_fd;
    g_stream.fd.compare_exchange_strong(expected, new_fd);
}

bool streamIsOpen() {
    return g_stream.base != nullptr;
}

bool streamIsOwn() {
    return streamIsOpen() && header()->pid == getpid();
}

void setStreamTrigger(raw::Trigger trigger, int signal_number) {
    if (!streamIsOpen())
        return;
    header()->trigger = uint32_t(trigger);
    header()->signal_number = signal_number;
}

raw::RecordHeader* beginRecord(uint32_t size) {
    if (!streamIsOpen())
        return nullptr;
    if (streamStopped()) {
        header()->dropped_records.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    size = raw::alignRecordSize(size);
    uint64_t offset =
        header()->used.fetch_add(size, std::memory_order_relaxed) + raw::kRawHeaderSize;
    if (const raw::StopReason reason = backRecord(offset + size); reason != raw::StopReason::None) {
        stopRecording(reason);
        header()->dropped_records.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    auto* record = reinterpret_cast<raw::RecordHeader*>(g_stream.base + offset);
    record->size = size;
    record->flags = 0;
    return record;
}

void commitRecord(raw::RecordHeader* record, raw::RecordType type) {
    record->type.store(uint16_t(type), std::memory_order_release);
}

uint64_t streamOffsetOf(const void* address) {
    return uint64_t(static_cast<const char*>(address) - g_stream.base);
}

void countDroppedSample() {
    if (streamIsOpen())
        header()->dropped_samples.fetch_add(1, std::memory_order_relaxed);
}

void writeWarningRecord(const char* message) {
    size_t length = strlen(message);
    auto* record = beginRecord(uint32_t(sizeof(raw::WarningRecord) + length + 1));
    if (!record)
        return;
    auto* warning = reinterpret_cast<raw::WarningRecord*>(record);
    warning->time_ns = monotonicNs();
    memcpy(reinterpret_cast<char*>(warning + 1), message, length + 1);
    commitRecord(record, raw::RecordType::Warning);
}

void writeProcessStartRecord(pid_t tid, uint64_t cpu_ns) {
    auto* record = beginRecord(sizeof(raw::ProcessStartRecord));
    if (!record)
        return;
    auto* start = reinterpret_cast<raw::ProcessStartRecord*>(record);
    start->time_ns = monotonicNs();
    start->tid = tid;
    start->cpu_ns = cpu_ns;
    commitRecord(record, raw::RecordType::ProcessStart);
}

void writeThreadRecord(raw::RecordType type, pid_t tid, uint64_t time_ns, uint64_t cpu_ns,
                       const char* name) {
    size_t length = boundedLength(name, 15);
    auto* record = beginRecord(uint32_t(sizeof(raw::ThreadRecord) + length + 1));
    if (!record)
        return;
    auto* thread = reinterpret_cast<raw::ThreadRecord*>(record);
    thread->time_ns = time_ns;
    thread->tid = tid;
    thread->cpu_ns = cpu_ns;
    char* text = reinterpret_cast<char*>(thread + 1);
    memcpy(text, name, length);
    text[length] = '\0';
    commitRecord(record, type);
}

} // namespace hprof::probe
