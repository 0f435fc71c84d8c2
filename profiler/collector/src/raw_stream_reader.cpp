#include "raw_stream_reader.h"

#include "hprof/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace hprof {
namespace {

// The variable-length tail of one record: strings and arrays are taken from its front, and
// every take fails (returns false) instead of reading past the record.
class TailCursor {
  public:
    explicit TailCursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}

    bool takeString(std::string_view& out) {
        const void* nul = std::memchr(bytes_.data(), '\0', bytes_.size());
        if (!nul)
            return false;
        const size_t length = static_cast<const uint8_t*>(nul) - bytes_.data();
        out = std::string_view(reinterpret_cast<const char*>(bytes_.data()), length);
        bytes_ = bytes_.subspan(length + 1);
        return true;
    }

    bool takeBytes(size_t count, std::span<const uint8_t>& out) {
        if (count > bytes_.size())
            return false;
        out = bytes_.first(count);
        bytes_ = bytes_.subspan(count);
        return true;
    }

    // Records are 8-byte aligned and every fixed part is a multiple of 8 bytes, so a tail that
    // starts right after the fixed part is aligned for uint64 reads.
    bool takeWords(size_t count, std::span<const uint64_t>& out) {
        if (count > bytes_.size() / sizeof(uint64_t))
            return false;
        out = std::span(reinterpret_cast<const uint64_t*>(bytes_.data()), count);
        bytes_ = bytes_.subspan(count * sizeof(uint64_t));
        return true;
    }

  private:
    std::span<const uint8_t> bytes_;
};

template <class Fixed> const Fixed* fixedPart(std::span<const uint8_t> record) {
    if (record.size() < sizeof(Fixed))
        return nullptr;
    return reinterpret_cast<const Fixed*>(record.data());
}

template <class Fixed> TailCursor tailOf(std::span<const uint8_t> record) {
    return TailCursor(record.subspan(sizeof(Fixed)));
}

// `argc` strings, then one more (the path): false if the tail is shorter.
bool takeArgvAndPath(TailCursor& tail, uint32_t argc, size_t record_size,
                     std::vector<std::string_view>& argv, std::string_view& path) {
    // argc cannot exceed the tail length (each argument takes at least its NUL).
    if (argc > record_size)
        return false;
    argv.resize(argc);
    for (std::string_view& argument : argv) {
        if (!tail.takeString(argument))
            return false;
    }
    return tail.takeString(path);
}

bool visitProcess(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ProcessRecord>(record);
    if (!fixed)
        return false;
    RawProcessEvent event{fixed->time_ns, fixed->pid,        fixed->ppid, {}, {},
                          fixed->rank,    fixed->world_size, {}};
    TailCursor tail = tailOf<raw::ProcessRecord>(record);
    if (!takeArgvAndPath(tail, fixed->argc, record.size(), event.argv, event.executable) ||
        !tail.takeString(event.job_id))
        return false;
    visitor.onProcess(event);
    return true;
}

// ExecRecord and SpawnRecord share their layout.
template <class Fixed>
bool visitLaunch(raw::RecordType type, std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    static_assert(sizeof(raw::ExecRecord) == sizeof(raw::SpawnRecord));
    const auto* fixed = fixedPart<Fixed>(record);
    if (!fixed)
        return false;
    RawLaunchEvent event;
    event.type = type;
    event.time_ns = fixed->time_ns;
    if constexpr (std::is_same_v<Fixed, raw::ExecRecord>)
        event.pid = fixed->pid;
    else
        event.pid = fixed->child_pid;
    event.not_followed = static_cast<raw::NotFollowed>(fixed->not_followed);
    TailCursor tail = tailOf<Fixed>(record);
    if (!takeArgvAndPath(tail, fixed->argc, record.size(), event.argv, event.path))
        return false;
    visitor.onLaunch(event);
    return true;
}

bool visitChildExit(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ChildExitRecord>(record);
    if (!fixed)
        return false;
    visitor.onChildExit({fixed->time_ns, fixed->child_pid, fixed->wait_status});
    return true;
}

bool visitProcessStart(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ProcessStartRecord>(record);
    if (!fixed)
        return false;
    visitor.onProcessStart({fixed->time_ns, fixed->tid, fixed->cpu_ns});
    return true;
}

bool visitRunQueue(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::RunQueueRecord>(record);
    if (!fixed)
        return false;
    visitor.onRunQueue({fixed->time_ns, fixed->tid, fixed->wait_ns});
    return true;
}

bool visitModuleLoad(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ModuleLoadRecord>(record);
    if (!fixed)
        return false;
    RawModuleLoadEvent event{fixed->time_ns, fixed->load_bias, fixed->start, fixed->end, {}, {}};
    TailCursor tail = tailOf<raw::ModuleLoadRecord>(record);
    if (!tail.takeBytes(fixed->build_id_size, event.build_id) || !tail.takeString(event.path))
        return false;
    visitor.onModuleLoad(event);
    return true;
}

bool visitModuleUnload(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ModuleUnloadRecord>(record);
    if (!fixed)
        return false;
    visitor.onModuleUnload({fixed->time_ns, fixed->start});
    return true;
}

bool visitThread(raw::RecordType type, std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ThreadRecord>(record);
    if (!fixed)
        return false;
    RawThreadEvent event{type, fixed->time_ns, fixed->tid, fixed->cpu_ns, {}};
    TailCursor tail = tailOf<raw::ThreadRecord>(record);
    if (!tail.takeString(event.name))
        return false;
    visitor.onThread(event);
    return true;
}

bool visitSample(const raw::RecordHeader& header, std::span<const uint8_t> record,
                 RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::SampleRecord>(record);
    if (!fixed)
        return false;
    RawSampleEvent event{fixed->time_ns,
                         fixed->cpu_delta_ns,
                         fixed->tid,
                         (header.flags & raw::kSampleTruncated) != 0,
                         (header.flags & raw::kSampleOffCpu) != 0,
                         {}};
    TailCursor tail = tailOf<raw::SampleRecord>(record);
    if (!tail.takeWords(fixed->frame_count, event.addresses))
        return false;
    visitor.onSample(event);
    return true;
}

bool visitProcessEnd(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::ProcessEndRecord>(record);
    if (!fixed)
        return false;
    visitor.onProcessEnd({fixed->time_ns, fixed->exit_status});
    return true;
}

bool visitWarning(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::WarningRecord>(record);
    if (!fixed)
        return false;
    RawWarningEvent event{fixed->time_ns, {}};
    TailCursor tail = tailOf<raw::WarningRecord>(record);
    if (!tail.takeString(event.message))
        return false;
    visitor.onWarning(event);
    return true;
}

bool visitCallTable(uint64_t offset, std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::CallTableRecord>(record);
    if (!fixed)
        return false;
    std::span<const uint8_t> entries;
    TailCursor tail = tailOf<raw::CallTableRecord>(record);
    // capacity is 32 bits, so the product cannot overflow a 64-bit size_t.
    if (!tail.takeBytes(size_t{fixed->capacity} * sizeof(raw::CallCountEntry), entries))
        return false;
    // The fixed part is a multiple of 8 bytes, so the entries are aligned like the record.
    const auto* first = reinterpret_cast<const raw::CallCountEntry*>(entries.data());
    visitor.onCallTable({offset,
                         fixed->tid,
                         fixed->overflowed_calls,
                         fixed->unpaired_exits,
                         fixed->ns_per_tick,
                         {first, fixed->capacity},
                         fixed->context_switches});
    return true;
}

bool visitTraceChunk(std::span<const uint8_t> record, RawStreamVisitor& visitor) {
    const auto* fixed = fixedPart<raw::TraceChunkRecord>(record);
    if (!fixed)
        return false;
    std::span<const uint8_t> entries;
    TailCursor tail = tailOf<raw::TraceChunkRecord>(record);
    if (!tail.takeBytes(size_t{fixed->capacity} * sizeof(raw::TraceEntry), entries))
        return false;
    // The probe fills the chunk in place: entries past `count` may be half-written.
    const uint32_t count = std::min(fixed->count, fixed->capacity);
    const auto* first = reinterpret_cast<const raw::TraceEntry*>(entries.data());
    visitor.onTraceChunk({fixed->tid,
                          fixed->call_table_offset,
                          fixed->base_ns,
                          fixed->ns_per_tick,
                          fixed->min_duration_ns,
                          fixed->unit_shift,
                          {first, count}});
    return true;
}

bool dispatch(uint64_t offset, const raw::RecordHeader& header, std::span<const uint8_t> record,
              RawStreamVisitor& visitor) {
    const auto type = static_cast<raw::RecordType>(header.type.load(std::memory_order_acquire));
    switch (type) {
    case raw::RecordType::Process:
        return visitProcess(record, visitor);
    case raw::RecordType::ModuleLoad:
        return visitModuleLoad(record, visitor);
    case raw::RecordType::ModuleUnload:
        return visitModuleUnload(record, visitor);
    case raw::RecordType::ThreadStart:
    case raw::RecordType::ThreadEnd:
    case raw::RecordType::ThreadName:
        return visitThread(type, record, visitor);
    case raw::RecordType::Sample:
        return visitSample(header, record, visitor);
    case raw::RecordType::ProcessEnd:
        return visitProcessEnd(record, visitor);
    case raw::RecordType::Warning:
        return visitWarning(record, visitor);
    case raw::RecordType::CallTable:
        return visitCallTable(offset, record, visitor);
    case raw::RecordType::TraceChunk:
        return visitTraceChunk(record, visitor);
    case raw::RecordType::Exec:
        return visitLaunch<raw::ExecRecord>(type, record, visitor);
    case raw::RecordType::Spawn:
        return visitLaunch<raw::SpawnRecord>(type, record, visitor);
    case raw::RecordType::ChildExit:
        return visitChildExit(record, visitor);
    case raw::RecordType::ProcessStart:
        return visitProcessStart(record, visitor);
    case raw::RecordType::RunQueue:
        return visitRunQueue(record, visitor);
    case raw::RecordType::Incomplete:
        break; // the writer died before publishing it
    }
    return false; // incomplete, malformed or of a type this collector does not know
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw Error(path + ": " + what);
}

// Opens `path` for reading without blocking (a FIFO would wait for a writer in open) and
// refuses anything but a regular file.
int openRegularFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        fail(path, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    return fd;
}

// Maps the file read-only, with its holes mapped as anonymous zero pages instead. A hole is a
// page the probe never stored to (it died first, or the disk filled, or an fallocate'd page not
// written yet), and on tmpfs even a read fault on a hole of a file mapping allocates a page: on
// a full file system, a SIGBUS. A hole reads as zeros, which is what an anonymous page holds,
// and a read fault on one maps the shared zero page, allocating nothing.
void* mapWithoutHoles(int fd, size_t size) {
    void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED)
        return mapping;
    const off_t page = ::sysconf(_SC_PAGESIZE);
    const off_t end = static_cast<off_t>(size);
    for (off_t hole = ::lseek(fd, 0, SEEK_HOLE); hole >= 0 && hole < end;) {
        off_t data = ::lseek(fd, hole, SEEK_DATA);
        if (data < 0 || data > end)
            data = end;                                      // ENXIO: no data after the hole
        const off_t first = (hole + page - 1) / page * page; // a partial page holds data
        if (data > first &&
            ::mmap(static_cast<char*>(mapping) + first, size_t(data - first), PROT_READ,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
            ::munmap(mapping, size);
            return MAP_FAILED;
        }
        if (data >= end)
            break;
        hole = ::lseek(fd, data, SEEK_HOLE);
    }
    return mapping;
}

} // namespace

RawStreamReader::RawStreamReader(const std::string& path) : path_(path) {
    const int fd = openRegularFile(path);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size == 0) {
        ::close(fd);
        fail(path, "raw stream cut short: empty (the process was killed as it started, or the "
                   "run directory was full)");
    }
    if (st.st_size < static_cast<off_t>(sizeof(raw::RawFileHeader))) {
        ::close(fd);
        fail(path, "not an hprof raw stream, or one cut short (file too short for its header)");
    }
    size_ = static_cast<size_t>(st.st_size);
    void* mapping = mapWithoutHoles(fd, size_);
    ::close(fd);
    if (mapping == MAP_FAILED)
        fail(path, std::string("cannot map: ") + std::strerror(errno));
    data_ = static_cast<const uint8_t*>(mapping);

    const auto* header = reinterpret_cast<const raw::RawFileHeader*>(data_);
    std::string problem;
    // The probe creates the file, then sizes it, then writes the header: a process killed in
    // between leaves a file of zeros.
    static constexpr char kUnwritten[sizeof(raw::kRawMagic)] = {};
    if (std::memcmp(header->magic, kUnwritten, sizeof(kUnwritten)) == 0)
        problem = "raw stream cut short before its header was written (process killed as it "
                  "started?)";
    else if (std::memcmp(header->magic, raw::kRawMagic, sizeof(raw::kRawMagic)) != 0)
        problem = "not an hprof raw stream (bad magic)";
    else if (header->version != raw::kRawVersion)
        problem = "unsupported raw stream version " + std::to_string(header->version) +
                  " (expected " + std::to_string(raw::kRawVersion) + ")";
    else if (header->header_size < sizeof(raw::RawFileHeader) || header->header_size % 8 != 0)
        problem =
            "corrupt raw stream header (header size " + std::to_string(header->header_size) + ")";
    if (!problem.empty()) {
        ::munmap(mapping, size_);
        fail(path, problem);
    }

    const uint64_t used = header->used.load(std::memory_order_acquire);
    const size_t available = size_ > header->header_size ? size_ - header->header_size : 0;
    records_end_ = header->header_size + static_cast<size_t>(std::min<uint64_t>(used, available));
    info_ = {header->pid,
             header->ppid,
             header->start_monotonic_ns,
             header->start_realtime_ns,
             header->dropped_samples.load(std::memory_order_relaxed),
             header->frequency_hz,
             static_cast<raw::Trigger>(header->trigger),
             static_cast<raw::Clock>(header->clock),
             {static_cast<raw::StopReason>(header->stop_reason.load(std::memory_order_acquire)),
              header->stopped_at_ns, header->stopped_file_bytes, header->stop_limit_bytes,
              header->dropped_records.load(std::memory_order_relaxed)}};
}

RawStreamReader::~RawStreamReader() {
    if (data_)
        ::munmap(const_cast<uint8_t*>(data_), size_);
}

RawStreamReader::RawStreamReader(RawStreamReader&& other) noexcept
    : path_(std::move(other.path_)), data_(other.data_), size_(other.size_),
      records_end_(other.records_end_), info_(other.info_) {
    other.data_ = nullptr;
}

RawReadSummary RawStreamReader::read(RawStreamVisitor& visitor) const {
    const auto* header = reinterpret_cast<const raw::RawFileHeader*>(data_);
    RawReadSummary summary;
    size_t offset = header->header_size;
    summary.record_bytes = records_end_ - offset;
    while (records_end_ - offset >= sizeof(raw::RecordHeader)) {
        const auto& record = *reinterpret_cast<const raw::RecordHeader*>(data_ + offset);
        const uint32_t size = record.size;
        // A size that cannot be right ends the stream. Zeros to the end are space reserved
        // by writers that never got to write (the process was killed meanwhile); anything
        // else is damage, and everything after it is lost.
        if (size < sizeof(raw::RecordHeader) || size % 8 != 0 || size > records_end_ - offset) {
            const std::span<const uint8_t> tail(data_ + offset, records_end_ - offset);
            if (std::any_of(tail.begin(), tail.end(), [](uint8_t byte) { return byte != 0; }))
                summary.unread_tail_bytes = tail.size();
            break;
        }
        if (dispatch(offset, record, std::span(data_ + offset, size), visitor)) {
            ++summary.visited;
        } else if (record.type.load(std::memory_order_acquire) != 0) { // 0: never published
            ++summary.invalid_records;
            summary.invalid_bytes += size;
        }
        offset += size;
    }
    return summary;
}

} // namespace hprof
