#include "raw_writer.h"
#include "signal_safe.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

// Address space reserved for one stream. The file itself grows in kGrowStep steps, so only
// what was written takes disk space; mapping past the end of the file is allowed.
constexpr uint64_t kReservedBytes = 64ull << 30;
constexpr uint64_t kGrowStep = 4ull << 20;

struct Stream {
    int fd = -1;
    char* base = nullptr;
    std::atomic<uint64_t> file_size{0};
};
constinit Stream g_stream;

raw::RawFileHeader* header() {
    return reinterpret_cast<raw::RawFileHeader*>(g_stream.base);
}

// Grows the file (never shrinks it: pwrite at an offset only extends) so [0, end) is backed.
bool ensureBacked(uint64_t end) {
    uint64_t size = g_stream.file_size.load(std::memory_order_acquire);
    if (end <= size)
        return true;
    uint64_t wanted = (end + kGrowStep - 1) / kGrowStep * kGrowStep;
    char zero = 0;
    if (pwrite(g_stream.fd, &zero, 1, off_t(wanted - 1)) != 1)
        return false;
    while (size < wanted &&
           !g_stream.file_size.compare_exchange_weak(size, wanted, std::memory_order_acq_rel)) {
    }
    return true;
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
    h->ppid = getppid();
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
    void* base =
        mmap(nullptr, kReservedBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (base == MAP_FAILED) {
        close(fd);
        return false;
    }
    g_stream.fd = fd;
    g_stream.file_size.store(0);
    if (!ensureBacked(raw::kRawHeaderSize)) {
        munmap(base, kReservedBytes);
        close(fd);
        g_stream.fd = -1;
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
        close(g_stream.fd);
    g_stream.base = nullptr;
    g_stream.fd = -1;
    return openStream(settings);
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
    size = raw::alignRecordSize(size);
    uint64_t offset =
        header()->used.fetch_add(size, std::memory_order_relaxed) + raw::kRawHeaderSize;
    if (offset + size > kReservedBytes || !ensureBacked(offset + size))
        return nullptr;
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

void writeThreadRecord(raw::RecordType type, pid_t tid, uint64_t cpu_ns, const char* name) {
    size_t length = boundedLength(name, 15);
    auto* record = beginRecord(uint32_t(sizeof(raw::ThreadRecord) + length + 1));
    if (!record)
        return;
    auto* thread = reinterpret_cast<raw::ThreadRecord*>(record);
    thread->time_ns = monotonicNs();
    thread->tid = tid;
    thread->cpu_ns = cpu_ns;
    char* text = reinterpret_cast<char*>(thread + 1);
    memcpy(text, name, length);
    text[length] = '\0';
    commitRecord(record, type);
}

} // namespace hprof::probe
