// Wall-clock mode (HPROF_CLOCK=wall): off-CPU samples for the time threads spend blocked
// (sleeps, locks, I/O), taken without signals by a thread of the probe's own, "hprof-wall".
//
// Signals must never reach a blocked thread: nanosleep, poll, select, epoll_wait... return
// EINTR whatever SA_RESTART says. So on-CPU samples stay exactly as in CPU mode (sampler.h), and
// this thread looks at every registered thread from outside once per period: its CPU clock
// tells how long it was off the CPU, /proc/self/task/TID/syscall whether it is blocked now and
// at which pc and stack pointer, and the probe's unwinder walks a process_vm_readv copy of its
// stack from there. See docs/design.md.
#pragma once

#include <cstdint>

namespace hprof::probe {

// Starts the thread (once per process). `frequency_hz` is the rate asked for on-CPU samples;
// blocked threads are visited at that rate, at most 250 times a second (see docs/design.md).
void startWallSampler(uint32_t frequency_hz);
// In a fork child, where only the forking thread survives: forget the parent's threads and start
// a new sampler thread if the parent had one.
void restartWallSamplerAfterFork();

} // namespace hprof::probe
