// takes_rt_signals: a program that installs its own handlers on SIGPROF and on every real-time
// signal, burns 1 s of CPU, then sends itself each of those signals and counts how many its
// handlers saw. A profiler must sample it anyway and leave every handler in place. Prints
// "handled=N expected=M"; exits 0 if N == M, 1 otherwise.
#include "burn.h"

#include <csignal>
#include <cstdio>

[[gnu::noinline]] void burn_with_rt_signals_taken() {
    samples::burn_cpu(1.0);
}

namespace {

volatile sig_atomic_t g_handled = 0;

void count_signal(int) {
    g_handled = g_handled + 1;
}

bool install(int signal) {
    struct sigaction action {};
    action.sa_handler = count_signal;
    sigemptyset(&action.sa_mask);
    return sigaction(signal, &action, nullptr) == 0;
}

} // namespace

int main() {
    int expected = 0;
    expected += install(SIGPROF) ? 1 : 0;
    for (int signal = SIGRTMIN; signal <= SIGRTMAX; ++signal)
        expected += install(signal) ? 1 : 0;
    burn_with_rt_signals_taken();
    raise(SIGPROF);
    for (int signal = SIGRTMIN; signal <= SIGRTMAX; ++signal)
        raise(signal);
    const int handled = g_handled;
    std::printf("handled=%d expected=%d\n", handled, expected);
    return handled == expected ? 0 : 1;
}
