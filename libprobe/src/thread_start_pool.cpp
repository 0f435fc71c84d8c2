#include "thread_start_pool.h"

#include "raw_writer.h"
#include "signal_safe.h"

#include <atomic>
#include <cstddef>

namespace hprof::probe {
namespace {

// Slots are held only from pthread_create until the new thread's first instruction.
constexpr size_t kSlots = 1024;

struct Slot {
    std::atomic<bool> taken{false};
    ThreadStart start{};
};

constinit Slot g_slots[kSlots];
constinit std::atomic<size_t> g_next{0}; // where the next search starts: slots are taken in turn
constinit std::atomic<bool> g_warned{false};

} // namespace

ThreadStart* claimThreadStart(const ThreadStart& contents) {
    const size_t first = g_next.fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < kSlots; ++i) {
        Slot& slot = g_slots[(first + i) % kSlots];
        bool expected = false;
        if (!slot.taken.load(std::memory_order_relaxed) &&
            slot.taken.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
            slot.start = contents;
            return &slot.start;
        }
    }
    return nullptr;
}

void releaseThreadStart(ThreadStart* start) {
    auto* slot = reinterpret_cast<Slot*>(reinterpret_cast<char*>(start) - offsetof(Slot, start));
    slot->taken.store(false, std::memory_order_release);
}

void warnThreadStartPoolFull() {
    if (g_warned.exchange(true))
        return;
    const char* message = "more threads were being created at once than the probe can track; "
                          "some threads are not sampled";
    writeWarningRecord(message);
    warnOnStderr(message);
}

} // namespace hprof::probe
