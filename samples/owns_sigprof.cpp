// owns_sigprof: a program that uses SIGPROF itself. It installs its own SIGPROF handler,
// arms ITIMER_PROF every 10 ms, burns about 1 s of CPU and prints how many of its own
// signals it received. A profiler must not take SIGPROF away from its target: the count must
// be greater than zero (about 100). Prints "sigprof_received=N"; exits 0 if it got
// signals, 1 if it got none.
#include "burn.h"

#include <csignal>
#include <cstdio>
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

int main() {
    struct sigaction action {};
    action.sa_handler = count_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPROF, &action, nullptr);
    set_profiling_timer(10000);
    burn_with_own_timer();
    set_profiling_timer(0);
    const int received = g_signals_received;
    std::printf("sigprof_received=%d\n", received);
    return received > 0 ? 0 : 1;
}
