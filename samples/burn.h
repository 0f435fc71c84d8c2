// Helpers shared by the samples that must spend a known amount of CPU time.
//
// Time is measured on the calling thread's own CPU clock, not on the wall clock, so the
// amount of work a sample does is the same whether the machine is idle or busy and
// whether or not a profiler slows it down.
#pragma once

#include <ctime>

#ifdef SAMPLES_COUNT_CLOCK_STEPS
#include "clock_steps.h"
#endif

namespace samples {

// CPU time consumed so far by the calling thread, in seconds.
inline double thread_cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    const double seconds =
        static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
#ifdef SAMPLES_COUNT_CLOCK_STEPS
    return noteCpuClockReading(seconds);
#else
    return seconds;
#endif
}

// Iterations of a dependent floating-point chain that take roughly 50 microseconds:
// reading the clock once per chunk keeps the clock's own cost below a percent.
constexpr int kIterationsPerChunk = 30000;

// One chunk of arithmetic that the compiler can neither fold nor vectorise (each step
// depends on the previous one and floating-point math is not reassociated at -O2).
inline double arithmetic_chunk(double x) {
    for (int i = 0; i < kIterationsPerChunk; ++i)
        x = x * 0.999999 + 1e-7;
    return x;
}

// Results of work are stored here so that the compiler cannot optimise the work away.
inline volatile double burn_sink = 0.0;

// Keeps the calling thread busy until its CPU clock has advanced by `seconds`.
inline void burn_cpu(double seconds) {
    const double deadline = thread_cpu_seconds() + seconds;
    double x = 1.0;
    while (thread_cpu_seconds() < deadline)
        x = arithmetic_chunk(x);
    burn_sink = x;
}

} // namespace samples
