// Steps of the CPU clock, counted by samples::thread_cpu_seconds (burn.h) in the programs built
// with SAMPLES_COUNT_CLOCK_STEPS (split and libsplitwork; the others keep the plain clock read,
// so their code and profiles do not change).
//
// Two readings of a busy thread's CPU clock are about 50 us apart (one chunk of burn.h's work,
// plus a profiler's sample now and then). A loaded virtual machine's clock can advance by
// 69-200 ms in one step (the host ran something else while the thread was on the guest's CPU);
// a step above 2 ms is one of those, not work. (The accuracy test takes a sample of over 4
// periods, 4 ms, to carry a step: at most 1.5 ms of it is work, so the step in it is over 2 ms.)
#pragma once

namespace samples {

constexpr double kClockStepSeconds = 0.002;

// The calling thread's CPU clock steps seen so far, in seconds (summed). A profiler cannot say
// where in the program such a step happened (see split.cpp).
inline thread_local double cpu_clock_steps = 0.0;
inline thread_local double last_cpu_reading = 0.0;

// Notes a reading of the thread's CPU clock, in seconds, and returns it.
inline double noteCpuClockReading(double seconds) {
    if (last_cpu_reading > 0.0 && seconds - last_cpu_reading > kClockStepSeconds)
        cpu_clock_steps += seconds - last_cpu_reading;
    last_cpu_reading = seconds;
    return seconds;
}

} // namespace samples
