#include "wall_sampler.h"
#include "blocked_thread.h"
#include "raw_writer.h"
#include "real_functions.h"
#include "sampler.h"
#include "signal_mask.h"
#include "signal_safe.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <sys/prctl.h>

namespace hprof::probe {
namespace {

constexpr uint32_t kMaxWallFrequency = 250;
// One off-CPU sample covers consecutive visits that found a thread in the same wait, up to this
// much time, so a long wait costs one record per 100 ms instead of one per period while the
// sample times still say when the thread waited.
constexpr uint64_t kMaxWaitSampleNs = 100'000'000;
constexpr int kMaxThreads = 8192; // as many as sampler.cpp has slots

// What the sampler remembers of the thread in one slot since its last visit.
struct WatchedThread {
    uint64_t serial = 0; // RegisteredThread::serial; anything else means "not seen yet"
    uint64_t last_wall_ns = 0;
    uint64_t last_cpu_ns = 0;
    uint64_t last_run_queue_ns = 0;
    // The sample of the wait the thread was in at the last visit, still being extended in place
    // (the stream is shared memory: its latest weight survives even a crash). nullptr if the
    // thread was running.
    raw::SampleRecord* open_wait = nullptr;
    // Extended in place too: the thread's off-CPU time in waits no visit saw (a sample without
    // frames), and its time waiting for a CPU.
    raw::SampleRecord* open_unseen_waits = nullptr;
    raw::RunQueueRecord* open_run_queue = nullptr;
};
constinit WatchedThread g_watched[kMaxThreads];
constinit uint64_t g_period_ns = 0; // 0: wall-clock mode is off

uint64_t* framesOf(raw::SampleRecord* sample) {
    return reinterpret_cast<uint64_t*>(sample + 1);
}

raw::SampleRecord* writeOffCpuSample(pid_t tid, const uint64_t* frames, uint32_t count,
                                     uint16_t flags, uint64_t off_cpu_ns, uint64_t now) {
    auto* record = beginRecord(uint32_t(sizeof(raw::SampleRecord) + count * sizeof(uint64_t)));
    if (!record) {
        countDroppedSample();
        return nullptr;
    }
    auto* sample = reinterpret_cast<raw::SampleRecord*>(record);
    sample->time_ns = now;
    sample->cpu_delta_ns = off_cpu_ns;
    sample->tid = tid;
    sample->frame_count = count;
    if (count > 0)
        memcpy(framesOf(sample), frames, count * sizeof(uint64_t));
    record->flags = flags | raw::kSampleOffCpu;
    commitRecord(record, raw::RecordType::Sample);
    return sample;
}

// Adds off-CPU time to the open sample `open` (a wait the thread is still in or has just left,
// or its unseen waits), or to a new one with the same stack once it covers kMaxWaitSampleNs.
void extendWait(raw::SampleRecord*& open, pid_t tid, uint64_t off_cpu_ns, uint64_t now) {
    raw::SampleRecord* sample = open;
    if (sample->cpu_delta_ns + off_cpu_ns > kMaxWaitSampleNs) {
        open = writeOffCpuSample(tid, framesOf(sample), sample->frame_count,
                                 sample->header.flags & raw::kSampleTruncated, off_cpu_ns, now);
        return;
    }
    __atomic_store_n(&sample->cpu_delta_ns, sample->cpu_delta_ns + off_cpu_ns, __ATOMIC_RELAXED);
    __atomic_store_n(&sample->time_ns, now, __ATOMIC_RELAXED);
}

// Off-CPU time between two visits that found the thread running: it waited, but no visit saw
// where. A sample without frames keeps it, so that the thread's times still add up.
void addUnseenWaits(WatchedThread& watched, pid_t tid, uint64_t off_cpu_ns, uint64_t now) {
    if (watched.open_unseen_waits)
        extendWait(watched.open_unseen_waits, tid, off_cpu_ns, now);
    else
        watched.open_unseen_waits = writeOffCpuSample(tid, nullptr, 0, 0, off_cpu_ns, now);
}

raw::RunQueueRecord* writeRunQueueRecord(pid_t tid, uint64_t wait_ns, uint64_t now) {
    auto* record = beginRecord(sizeof(raw::RunQueueRecord));
    if (!record)
        return nullptr;
    auto* run_queue = reinterpret_cast<raw::RunQueueRecord*>(record);
    run_queue->time_ns = now;
    run_queue->tid = tid;
    run_queue->wait_ns = wait_ns;
    commitRecord(record, raw::RecordType::RunQueue);
    return run_queue;
}

// The part of `off_cpu_ns` (wall time since the last visit minus CPU time) that the thread
// spent runnable, waiting for a CPU: recorded on its own and returned. The kernel's count can
// include waits from intervals already counted as blocked (visits that found the thread not
// having run skip this read), so it is capped at this interval's off-CPU time: on-CPU +
// blocked + run queue = the wall time between visits, exactly.
uint64_t takeRunQueueWait(WatchedThread& watched, pid_t tid, uint64_t off_cpu_ns, uint64_t now) {
    uint64_t run_queue = 0;
    if (!runQueueNsOf(tid, run_queue))
        return 0;
    uint64_t waited =
        run_queue > watched.last_run_queue_ns ? run_queue - watched.last_run_queue_ns : 0;
    watched.last_run_queue_ns = run_queue;
    waited = std::min(waited, off_cpu_ns);
    if (waited == 0)
        return 0;
    raw::RunQueueRecord* open = watched.open_run_queue;
    if (open && open->wait_ns + waited <= kMaxWaitSampleNs) {
        __atomic_store_n(&open->wait_ns, open->wait_ns + waited, __ATOMIC_RELAXED);
        __atomic_store_n(&open->time_ns, now, __ATOMIC_RELAXED);
    } else {
        watched.open_run_queue = writeRunQueueRecord(tid, waited, now);
    }
    return waited;
}

void startWait(WatchedThread& watched, const RegisteredThread& thread, const BlockedAt& where,
               uint64_t off_cpu_ns, uint64_t now) {
    uint64_t frames[raw::kMaxFrames];
    bool truncated = false;
    uint32_t count =
        captureBlockedStack(where, thread.stack_high, frames, raw::kMaxFrames, truncated);
    watched.open_wait = writeOffCpuSample(thread.tid, frames, count,
                                          truncated ? raw::kSampleTruncated : 0, off_cpu_ns, now);
}

// Off-CPU time since the last visit goes to the wait the thread is in now; when it is running
// again, to the wait it was seen in last (the time is that wait's end).
void visit(WatchedThread& watched, const RegisteredThread& thread) {
    uint64_t now = monotonicNs();
    uint64_t cpu = 0;
    if (!threadCpuNsOf(thread.tid, cpu))
        return; // exiting
    if (watched.serial != thread.serial) {
        uint64_t run_queue = 0;
        runQueueNsOf(thread.tid, run_queue);
        watched = {thread.serial, now, cpu, run_queue};
        return;
    }
    uint64_t wall = now - watched.last_wall_ns;
    uint64_t ran = cpu - watched.last_cpu_ns;
    uint64_t off_cpu = wall > ran ? wall - ran : 0;
    watched.last_wall_ns = now;
    watched.last_cpu_ns = cpu;
    if (ran == 0 && watched.open_wait) { // not a nanosecond of CPU: still in the same wait
        extendWait(watched.open_wait, thread.tid, off_cpu, now);
        return;
    }
    off_cpu -= takeRunQueueWait(watched, thread.tid, off_cpu, now);
    BlockedAt where;
    ThreadState state = readThreadState(thread.tid, where);
    if (state == ThreadState::Blocked) {
        startWait(watched, thread, where, off_cpu, now);
        return;
    }
    if (state == ThreadState::Running && watched.open_wait)
        extendWait(watched.open_wait, thread.tid, off_cpu, now);
    else if (state == ThreadState::Running && off_cpu > 0)
        addUnseenWaits(watched, thread.tid, off_cpu, now);
    watched.open_wait = nullptr;
}

void visitAllThreads() {
    int slots = std::min(registeredThreadSlots(), kMaxThreads);
    for (int index = 0; index < slots; ++index) {
        RegisteredThread thread;
        if (readRegisteredThread(index, thread))
            visit(g_watched[index], thread);
    }
}

void* runWallSampler(void*) {
    prctl(PR_SET_NAME, "hprof-wall");
    timespec next{};
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        uint64_t at = uint64_t(next.tv_sec) * 1000000000ull + uint64_t(next.tv_nsec) + g_period_ns;
        uint64_t now = monotonicNs();
        if (at < now) // late by more than a period (a loaded machine): no burst of catch-up visits
            at = now;
        next = {time_t(at / 1000000000ull), long(at % 1000000000ull)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
        }
        visitAllThreads();
    }
    return nullptr;
}

void startThread() {
    // All signals blocked in the new thread (it inherits this mask): the program's signals go to
    // its own threads, and ours are never sent to this one. Raw: the wrappers would keep the
    // sampling signal unblocked.
    sigset_t all, previous;
    sigfillset(&all);
    setThreadMaskRaw(SIG_SETMASK, &all, &previous);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t thread;
    // The real pthread_create: this thread is not registered, so it is neither sampled nor shown.
    if (real::pthread_create(&thread, &attr, runWallSampler, nullptr) != 0)
        warnOnStderr("cannot start the wall-clock sampler thread; off-CPU time is not sampled");
    pthread_attr_destroy(&attr);
    setThreadMaskRaw(SIG_SETMASK, &previous, nullptr);
}

} // namespace

void startWallSampler(uint32_t frequency_hz) {
    g_period_ns = 1000000000ull / std::min(frequency_hz, kMaxWallFrequency);
    startThread();
}

void restartWallSamplerAfterFork() {
    if (g_period_ns == 0)
        return;
    int slots = std::min(registeredThreadSlots(), kMaxThreads);
    for (int index = 0; index < slots; ++index)
        g_watched[index] = {};
    startThread();
}

} // namespace hprof::probe
