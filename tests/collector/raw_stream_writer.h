// Writes synthetic raw streams (format: hprof/raw_stream.h) for the collector's tests and
// benchmark, the way libprobe lays them out: header, then 8-byte aligned records.
#pragma once

#include "hprof/job_environment.h"
#include "hprof/raw_stream.h"

#include <cstdio>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace hprof::testing {

class RawStreamWriter {
  public:
    struct Header {
        int32_t pid = 1000;
        int32_t ppid = 1;
        uint64_t start_monotonic_ns = 1'000'000'000;
        uint64_t start_realtime_ns = 1'700'000'000'000'000'000;
        uint64_t dropped_samples = 0;
        uint32_t frequency_hz = 1000;
        raw::Trigger trigger = raw::Trigger::PerfTaskClock;
    };

    RawStreamWriter(const std::string& path, const Header& header)
        : header_(header), file_(std::fopen(path.c_str(), "wb")) {
        if (!file_)
            throw std::runtime_error("cannot create " + path);
        const std::vector<uint8_t> placeholder(raw::kRawHeaderSize);
        std::fwrite(placeholder.data(), 1, placeholder.size(), file_);
    }
    ~RawStreamWriter() { close(); }
    RawStreamWriter(const RawStreamWriter&) = delete;
    RawStreamWriter& operator=(const RawStreamWriter&) = delete;

    // Each call appends one record and returns its offset in the file.
    size_t process(uint64_t time_ns, const std::vector<std::string>& argv,
                   const std::string& executable, const JobPlace& job = {}) {
        Record<raw::ProcessRecord> record(raw::RecordType::Process);
        record.fixed->time_ns = time_ns;
        record.fixed->pid = header_.pid;
        record.fixed->ppid = header_.ppid;
        record.fixed->argc = static_cast<uint32_t>(argv.size());
        record.fixed->rank = job.rank;
        record.fixed->world_size = job.world_size;
        for (const std::string& argument : argv)
            record.addString(argument);
        record.addString(executable);
        record.addString(job.job_id);
        return append(record);
    }

    size_t moduleLoad(uint64_t time_ns, uint64_t load_bias, uint64_t start, uint64_t end,
                      std::span<const uint8_t> build_id, const std::string& path) {
        Record<raw::ModuleLoadRecord> record(raw::RecordType::ModuleLoad);
        record.fixed->time_ns = time_ns;
        record.fixed->load_bias = load_bias;
        record.fixed->start = start;
        record.fixed->end = end;
        record.fixed->build_id_size = static_cast<uint32_t>(build_id.size());
        record.addBytes(build_id.data(), build_id.size());
        record.addString(path);
        return append(record);
    }

    size_t moduleUnload(uint64_t time_ns, uint64_t start) {
        Record<raw::ModuleUnloadRecord> record(raw::RecordType::ModuleUnload);
        record.fixed->time_ns = time_ns;
        record.fixed->start = start;
        return append(record);
    }

    size_t thread(raw::RecordType type, uint64_t time_ns, int32_t tid, uint64_t cpu_ns,
                  const std::string& name) {
        Record<raw::ThreadRecord> record(type);
        record.fixed->time_ns = time_ns;
        record.fixed->tid = tid;
        record.fixed->cpu_ns = cpu_ns;
        record.addString(name);
        return append(record);
    }

    size_t sample(uint64_t time_ns, uint64_t cpu_delta_ns, int32_t tid,
                  std::span<const uint64_t> leaf_first, bool truncated = false,
                  bool off_cpu = false) {
        Record<raw::SampleRecord> record(raw::RecordType::Sample);
        record.fixed->header.flags =
            uint16_t((truncated ? raw::kSampleTruncated : 0) | (off_cpu ? raw::kSampleOffCpu : 0));
        record.fixed->time_ns = time_ns;
        record.fixed->cpu_delta_ns = cpu_delta_ns;
        record.fixed->tid = tid;
        record.fixed->frame_count = static_cast<uint32_t>(leaf_first.size());
        record.addBytes(leaf_first.data(), leaf_first.size_bytes());
        return append(record);
    }

    size_t processEnd(uint64_t time_ns, int32_t exit_status) {
        Record<raw::ProcessEndRecord> record(raw::RecordType::ProcessEnd);
        record.fixed->time_ns = time_ns;
        record.fixed->exit_status = exit_status;
        return append(record);
    }

    // An exec (raw::ExecRecord) or a posix_spawn (raw::SpawnRecord) of `pid`.
    size_t launch(raw::RecordType type, uint64_t time_ns, int32_t pid,
                  const std::vector<std::string>& argv, const std::string& path,
                  raw::NotFollowed not_followed = raw::NotFollowed::No) {
        static_assert(sizeof(raw::ExecRecord) == sizeof(raw::SpawnRecord));
        Record<raw::ExecRecord> record(type); // the same layout; pid is SpawnRecord::child_pid
        record.fixed->time_ns = time_ns;
        record.fixed->pid = pid;
        record.fixed->argc = static_cast<uint32_t>(argv.size());
        record.fixed->not_followed = static_cast<uint32_t>(not_followed);
        for (const std::string& argument : argv)
            record.addString(argument);
        record.addString(path);
        return append(record);
    }

    size_t childExit(uint64_t time_ns, int32_t child_pid, int32_t wait_status) {
        Record<raw::ChildExitRecord> record(raw::RecordType::ChildExit);
        record.fixed->time_ns = time_ns;
        record.fixed->child_pid = child_pid;
        record.fixed->wait_status = wait_status;
        return append(record);
    }

    size_t processStart(uint64_t time_ns, int32_t tid, uint64_t cpu_ns) {
        Record<raw::ProcessStartRecord> record(raw::RecordType::ProcessStart);
        record.fixed->time_ns = time_ns;
        record.fixed->tid = tid;
        record.fixed->cpu_ns = cpu_ns;
        return append(record);
    }

    size_t runQueue(uint64_t time_ns, int32_t tid, uint64_t wait_ns) {
        Record<raw::RunQueueRecord> record(raw::RecordType::RunQueue);
        record.fixed->time_ns = time_ns;
        record.fixed->tid = tid;
        record.fixed->wait_ns = wait_ns;
        return append(record);
    }

    size_t warning(uint64_t time_ns, const std::string& message) {
        Record<raw::WarningRecord> record(raw::RecordType::Warning);
        record.fixed->time_ns = time_ns;
        record.addString(message);
        return append(record);
    }

    // A thread's call table with exactly these entries as its slots (capacity = entries.size());
    // ns_per_tick 0 is counts mode (the entries' times are not used).
    size_t callTable(int32_t tid, std::span<const raw::CallCountEntry> entries,
                     uint64_t overflowed_calls = 0, uint64_t unpaired_exits = 0,
                     double ns_per_tick = 0, uint64_t context_switches = 0) {
        Record<raw::CallTableRecord> record(raw::RecordType::CallTable);
        record.fixed->tid = tid;
        record.fixed->capacity = static_cast<uint32_t>(entries.size());
        record.fixed->overflowed_calls = overflowed_calls;
        record.fixed->unpaired_exits = unpaired_exits;
        record.fixed->ns_per_tick = ns_per_tick;
        record.fixed->context_switches = context_switches;
        record.addBytes(entries.data(), entries.size_bytes());
        return append(record);
    }

    // How a trace chunk turns its units into CLOCK_MONOTONIC nanoseconds.
    struct TraceTiming {
        uint64_t base_tsc = 0;
        uint64_t base_ns = 0;
        double ns_per_tick = 1.0;
        uint32_t unit_shift = 0;
        uint64_t min_duration_ns = 0;
    };

    // A thread's trace chunk with these entries as its slots (capacity = entries.size()) and
    // `count` of them complete (all when not given).
    size_t traceChunk(int32_t tid, uint64_t call_table_offset, const TraceTiming& timing,
                      std::span<const raw::TraceEntry> entries,
                      std::optional<uint32_t> count = std::nullopt) {
        Record<raw::TraceChunkRecord> record(raw::RecordType::TraceChunk);
        record.fixed->tid = tid;
        record.fixed->capacity = static_cast<uint32_t>(entries.size());
        record.fixed->call_table_offset = call_table_offset;
        record.fixed->base_tsc = timing.base_tsc;
        record.fixed->base_ns = timing.base_ns;
        record.fixed->ns_per_tick = timing.ns_per_tick;
        record.fixed->min_duration_ns = timing.min_duration_ns;
        record.fixed->unit_shift = timing.unit_shift;
        record.fixed->count = count.value_or(static_cast<uint32_t>(entries.size()));
        record.addBytes(entries.data(), entries.size_bytes());
        return append(record);
    }

    // A record whose writer died before publishing its type.
    size_t incomplete(uint32_t payload_size) {
        Record<raw::RecordHeader> record(raw::RecordType::Incomplete);
        record.addBytes(std::vector<uint8_t>(payload_size, 0xab).data(), payload_size);
        return append(record);
    }

    // Writes the header (with `used` covering every record) and closes the file.
    void close() {
        if (!file_)
            return;
        std::vector<uint8_t> bytes(raw::kRawHeaderSize);
        auto* header = new (bytes.data()) raw::RawFileHeader{};
        std::memcpy(header->magic, raw::kRawMagic, sizeof(raw::kRawMagic));
        header->version = raw::kRawVersion;
        header->header_size = raw::kRawHeaderSize;
        header->used.store(used_);
        header->dropped_samples.store(header_.dropped_samples);
        header->pid = header_.pid;
        header->ppid = header_.ppid;
        header->start_monotonic_ns = header_.start_monotonic_ns;
        header->start_realtime_ns = header_.start_realtime_ns;
        header->frequency_hz = header_.frequency_hz;
        header->trigger = static_cast<uint32_t>(header_.trigger);
        std::fseek(file_, 0, SEEK_SET);
        std::fwrite(bytes.data(), 1, bytes.size(), file_);
        std::fclose(file_);
        file_ = nullptr;
    }

  private:
    // The record's bytes; `fixed` points at its fixed part (valid until the first add).
    template <class Fixed> struct Record {
        explicit Record(raw::RecordType type) : bytes(sizeof(Fixed), 0) {
            fixed = new (bytes.data()) Fixed{};
            reinterpret_cast<raw::RecordHeader*>(fixed)->type.store(static_cast<uint16_t>(type));
        }
        void addBytes(const void* data, size_t size) {
            const size_t offset = bytes.size();
            bytes.resize(offset + size);
            if (size > 0)
                std::memcpy(bytes.data() + offset, data, size);
        }
        void addString(const std::string& text) { addBytes(text.c_str(), text.size() + 1); }
        std::vector<uint8_t> bytes;
        Fixed* fixed;
    };

    template <class Fixed> size_t append(Record<Fixed>& record) {
        record.bytes.resize(raw::alignRecordSize(static_cast<uint32_t>(record.bytes.size())), 0);
        const uint32_t size = static_cast<uint32_t>(record.bytes.size());
        std::memcpy(record.bytes.data(), &size, sizeof(size)); // RecordHeader::size
        const size_t offset = raw::kRawHeaderSize + used_;
        std::fwrite(record.bytes.data(), 1, size, file_);
        used_ += size;
        return offset;
    }

    Header header_;
    std::FILE* file_;
    uint64_t used_ = 0;
};

} // namespace hprof::testing
