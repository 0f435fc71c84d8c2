// wall_sleeper: a program that mostly waits, for wall-clock profiling (hprof --clock=wall).
// The main thread, in order:
// - sleep_in_function: N (default 100) nanosleep(10 ms) calls, each measured on CLOCK_MONOTONIC;
//   a call that fails (EINTR) or returns early counts as cut short;
// - wait_for_lock: locks a mutex that a helper thread holds for 200 ms;
// - read_from_pipe: read() on a pipe that a helper thread writes to after 200 ms;
// - burn_cpu: 200 ms of CPU time.
// With "--fork" as second argument, a forked child first runs sleep_in_function (N/2 sleeps)
// and prints "child_sleep_ns=...", and the parent waits for it before doing the above.
//
// Prints "sleep_ns=... lock_wait_ns=... read_wait_ns=... cut_short=K" (the times as measured by
// the program itself) and exits 1 if K > 0: a profiler must not cut the program's sleeps short.
//
// A wall-clock profile shows about N x 10 ms off-CPU in sleep_in_function, 200 ms each in
// wait_for_lock and read_from_pipe, and burn_cpu on the CPU; a CPU profile shows burn_cpu only.
#include "burn.h"
#include "sample_args.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

constexpr int64_t kSleepNs = 10'000'000;
constexpr int64_t kHelperDelayNs = 200'000'000;

int64_t monotonic_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void sleep_ns(int64_t ns) {
    const timespec duration{time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
    timespec left{};
    timespec request = duration;
    while (nanosleep(&request, &left) != 0 && errno == EINTR)
        request = left;
}

struct SleepTotals {
    int64_t slept_ns = 0;
    int cut_short = 0;
};

} // namespace

[[gnu::noinline]] SleepTotals sleep_in_function(int sleeps) {
    SleepTotals totals;
    for (int i = 0; i < sleeps; ++i) {
        const timespec ten_milliseconds{0, kSleepNs};
        const int64_t start = monotonic_ns();
        const int result = nanosleep(&ten_milliseconds, nullptr);
        const int64_t slept = monotonic_ns() - start;
        totals.slept_ns += slept;
        if (result != 0 || slept < kSleepNs)
            ++totals.cut_short;
    }
    return totals;
}

[[gnu::noinline]] void hold_lock(std::mutex& mutex, std::atomic<bool>& held) {
    std::lock_guard lock(mutex);
    held = true;
    sleep_ns(kHelperDelayNs);
}

// Returns how long it waited for the mutex.
[[gnu::noinline]] int64_t wait_for_lock() {
    std::mutex mutex;
    std::atomic<bool> held{false};
    std::thread holder([&] { hold_lock(mutex, held); });
    while (!held)
        std::this_thread::yield();
    const int64_t start = monotonic_ns();
    mutex.lock();
    const int64_t waited = monotonic_ns() - start;
    mutex.unlock();
    holder.join();
    return waited;
}

[[gnu::noinline]] void write_later(int fd) {
    sleep_ns(kHelperDelayNs);
    const char byte = 'x';
    if (write(fd, &byte, 1) != 1)
        std::perror("write");
}

// Returns how long read() blocked.
[[gnu::noinline]] int64_t read_from_pipe() {
    int fds[2];
    if (pipe(fds) != 0) {
        std::perror("pipe");
        return 0;
    }
    std::thread writer([fd = fds[1]] { write_later(fd); });
    const int64_t start = monotonic_ns();
    char byte = 0;
    while (read(fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    const int64_t waited = monotonic_ns() - start;
    writer.join();
    close(fds[0]);
    close(fds[1]);
    return waited;
}

[[gnu::noinline]] void burn_cpu(double seconds) {
    const double end = samples::thread_cpu_seconds() + seconds;
    double x = 1.0;
    while (samples::thread_cpu_seconds() < end)
        x = samples::arithmetic_chunk(x);
    samples::burn_sink = x;
}

int main(int argc, char** argv) {
    const int sleeps = int(samples::integer_argument(argc, argv, 1, 100, 1, 100000));
    const bool fork_child = argc > 2 && std::strcmp(argv[2], "--fork") == 0;
    if (argc > 2 && !fork_child)
        samples::bad_argument(argv[0], argv[2], "--fork");
    if (fork_child) {
        const pid_t child = fork();
        if (child == 0) {
            const SleepTotals totals = sleep_in_function(sleeps / 2);
            std::printf("child_sleep_ns=%lld\n", static_cast<long long>(totals.slept_ns));
            std::fflush(stdout);
            _exit(totals.cut_short > 0 ? 1 : 0);
        }
        int status = 0;
        if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
            return 1;
    }
    const SleepTotals totals = sleep_in_function(sleeps);
    const int64_t lock_wait = wait_for_lock();
    const int64_t read_wait = read_from_pipe();
    burn_cpu(0.2);
    std::printf("sleep_ns=%lld lock_wait_ns=%lld read_wait_ns=%lld cut_short=%d\n",
                static_cast<long long>(totals.slept_ns), static_cast<long long>(lock_wait),
                static_cast<long long>(read_wait), totals.cut_short);
    return totals.cut_short > 0 ? 1 : 0;
}
