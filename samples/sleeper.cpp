// sleeper: checks that blocking calls are not interrupted. The main thread makes 500
// nanosleep(1 ms), 500 poll(NULL, 0, 1 ms) and 500 select(1 ms) calls while a second thread
// burns CPU (so a sampling profiler is busy sending signals in the process). Any call that
// fails with EINTR is counted. A profiler must not make its target's system calls fail:
// prints "eintr=N" and exits 1 if N > 0.
//
// A profile of it shows almost all CPU time in burn_while_main_sleeps on the second thread.
#include "burn.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <poll.h>
#include <sys/select.h>
#include <thread>

namespace {

constexpr int kCallsPerKind = 500;

int count_interrupted_nanosleeps() {
    int interrupted = 0;
    for (int i = 0; i < kCallsPerKind; ++i) {
        const timespec one_millisecond{0, 1'000'000};
        if (nanosleep(&one_millisecond, nullptr) != 0 && errno == EINTR)
            ++interrupted;
    }
    return interrupted;
}

int count_interrupted_polls() {
    int interrupted = 0;
    for (int i = 0; i < kCallsPerKind; ++i) {
        if (poll(nullptr, 0, 1) < 0 && errno == EINTR)
            ++interrupted;
    }
    return interrupted;
}

int count_interrupted_selects() {
    int interrupted = 0;
    for (int i = 0; i < kCallsPerKind; ++i) {
        timeval one_millisecond{0, 1000}; // select may modify it: fresh each call
        if (select(0, nullptr, nullptr, nullptr, &one_millisecond) < 0 && errno == EINTR)
            ++interrupted;
    }
    return interrupted;
}

} // namespace

[[gnu::noinline]] void burn_while_main_sleeps(const std::atomic<bool>& main_done) {
    double x = 1.0;
    while (!main_done.load(std::memory_order_relaxed))
        x = samples::arithmetic_chunk(x);
    samples::burn_sink = x;
}

int main() {
    std::atomic<bool> main_done{false};
    std::thread burner([&main_done] { burn_while_main_sleeps(main_done); });
    const int interrupted =
        count_interrupted_nanosleeps() + count_interrupted_polls() + count_interrupted_selects();
    main_done = true;
    burner.join();
    std::printf("eintr=%d\n", interrupted);
    return interrupted > 0 ? 1 : 0;
}
