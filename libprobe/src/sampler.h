// Sampling: a per-thread trigger raises the sampling signal after every 1/F second of the
// thread's on-CPU time; the handler records a sample (time, CPU weight, call stack).
//
// The trigger is perf_event_open(PERF_COUNT_SW_TASK_CLOCK, exclude_kernel) delivering a signal
// to its own thread: an hrtimer that only runs while the thread is on a CPU, so it gives the
// full asked rate (CPU-time itimers are tick-driven, 250 Hz here) and never interrupts a
// blocked thread (no EINTR). Where perf events are unavailable, a CPU-time POSIX timer is used.
#pragma once

#include "hprof/raw_stream.h"

#include <cstdint>
#include <pthread.h>
#include <sys/types.h>

namespace hprof::probe {

struct SamplerSettings {
    uint32_t frequency_hz;
    bool force_cpu_timer; // HPROF_TRIGGER=timer, mainly for tests of the fallback
};

// Installs the handler on SIGPROF and picks the trigger (probing perf_event_open on the calling
// thread). Returns the trigger chosen.
raw::Trigger initSampler(const SamplerSettings& settings);
int samplingSignal();

// Start/stop sampling the calling thread; register writes the ThreadStart record.
void registerCurrentThread();
void unregisterCurrentThread();
// In a fork child: forget the parent's threads (their triggers belong to the parent) and
// re-initialise the sampler's lock (another thread may have held it at the fork).
void resetThreadsAfterFork();
// Records a name change of `thread` (pthread_setname_np).
void noteThreadName(pthread_t thread, const char* name);

// A registered thread as another thread of the probe sees it (wall_sampler.cpp).
struct RegisteredThread {
    pid_t tid = 0;
    uint64_t serial = 0;     // unique per registration: tells a reused slot from the same thread
    uint64_t stack_high = 0; // top of its stack, 0 if unknown
};
// Slots [0, registeredThreadSlots()) may hold registered threads.
int registeredThreadSlots();
// False if slot `index` holds no thread right now.
bool readRegisteredThread(int index, RegisteredThread& out);

// The program wants `signal` for itself: if it is ours, move sampling to a free real-time
// signal, restore the default disposition, and warn once. `what` names the program's call.
void yieldSignalToProgram(int signal, const char* what);
// What the program should see when it asks about our signal without changing it.
bool isSamplingSignal(int signal);

} // namespace hprof::probe
