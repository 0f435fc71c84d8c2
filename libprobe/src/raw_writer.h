// Appends records to this process's raw stream file (see hprof/raw_stream.h). Every function
// here is async-signal-safe: the signal handler and ordinary code append the same way.
#pragma once

#include "hprof/raw_stream.h"

#include <cstdint>
#include <sys/types.h>

namespace hprof::probe {

struct StreamSettings {
    const char* run_dir;
    uint32_t frequency_hz;
    raw::Trigger trigger;
    int signal_number;
    raw::Clock clock = raw::Clock::Cpu;
};

// Creates "<run_dir>/<pid>.raw" (or "<pid>-N.raw" if an earlier image of this pid, before an
// exec, already has one) and maps it. Returns false with errno set on failure.
bool openStream(const StreamSettings& settings);
// Forgets the inherited parent stream in a fork child, then opens the child's own.
bool reopenStreamAfterFork(const StreamSettings& settings);
bool streamIsOpen();
// The stream's descriptor now has the number `new_fd` (probe_fds.cpp).
void streamFdMoved(int old_fd, int new_fd);
// The open stream is this process's own: false in a vfork child (or a child of a raw clone),
// which shares its parent's memory and so its mapped stream.
bool streamIsOwn();
void setStreamTrigger(raw::Trigger trigger, int signal_number);

// Reserves a record of `size` bytes (header included, rounded up to 8) and writes its size.
// Returns nullptr when the stream is closed or full; the caller then counts a dropped sample.
raw::RecordHeader* beginRecord(uint32_t size);
// Publishes the record: from now on the collector reads it.
void commitRecord(raw::RecordHeader* record, raw::RecordType type);
void countDroppedSample();
// Where a record (or anything inside the stream) lies in the stream file.
uint64_t streamOffsetOf(const void* address);

// Convenience writers used outside the signal path.
void writeWarningRecord(const char* message);
void writeThreadRecord(raw::RecordType type, pid_t tid, uint64_t time_ns, uint64_t cpu_ns,
                       const char* name);
void writeProcessStartRecord(pid_t tid, uint64_t cpu_ns);

} // namespace hprof::probe
