// owns_sigprof: a program that uses SIGPROF itself. It installs its own SIGPROF handler,
// arms ITIMER_PROF every 10 ms, burns about 1 s of CPU and prints how many of its own
// signals it received. A profiler must not take SIGPROF away from its target: the count must
// be greater than zero (about 100). Prints "sigprof_received=N"; exits 0 if it got
// signals, 1 if it got none.
//
// `owns_sigprof oneshot` arms ITIMER_PROF 20 times as a one-shot timer of 2 ms and burns until
// each one's signal arrived (at most 1 s of CPU for each), then prints
// "oneshot_armed=20 oneshot_received=N". A periodic timer's count depends on the machine's load
// (the kernel sends at most one signal per tick that lands while the process runs, and a loaded
// VM's CPU clock steps by 100 ms at a time: 19 to 71 of 100 were seen with two busy
// neighbours); every one-shot timer that expires sends exactly one signal, so N must be 20.
#include "burn.h"

#include <csignal>
#include <cstdio>
#include <string_view>
#include <sys/time.h>

namespace {

volatile sig_atomic_t g_signals_received = 0;

void count_signal(int) {
    g_signals_received = g_signals_received + 1;
}

void set_profiling_timer(long interval_microseconds) {
    itimerval timer{};
    timer.it_interval.tv_usec = interval_microseconds;
    timer.it_value.tv_usec = interval_microseconds;
    setitimer(ITIMER_PROF, &timer, nullptr);
}

} // namespace

[[gnu::noinline]] void burn_with_own_timer() {
    samples::burn_cpu(1.0);
}

// One-shot timers, one after the other; returns how many of them delivered their signal.
int expire_one_shot_timers(int timers) {
    constexpr long kOneShotMicroseconds = 2000;
    constexpr double kLongestWaitSeconds = 1.0;
    int received = 0;
    for (int i = 0; i < timers; ++i) {
        const int before = g_signals_received;
        itimerval once{};
        once.it_value.tv_usec = kOneShotMicroseconds;
        setitimer(ITIMER_PROF, &once, nullptr);
        const double deadline = samples::thread_cpu_seconds() + kLongestWaitSeconds;
        while (g_signals_received == before && samples::thread_cpu_seconds() < deadline)
            samples::burn_sink = samples::arithmetic_chunk(samples::burn_sink);
        if (g_signals_received == before)
            break; // lost: the rest would only take another second each
        ++received;
    }
    return received;
}

int main(int argc, char** argv) {
    struct sigaction action {};
    action.sa_handler = count_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPROF, &action, nullptr);
    if (argc > 1 && std::string_view(argv[1]) == "oneshot") {
        constexpr int kTimers = 20;
        std::printf("oneshot_armed=%d oneshot_received=%d\n", kTimers,
                    expire_one_shot_timers(kTimers));
        return 0;
    }
    set_profiling_timer(10000);
    burn_with_own_timer();
    set_profiling_timer(0);
    const int received = g_signals_received;
    std::printf("sigprof_received=%d\n", received);
    return received > 0 ? 0 : 1;
}
