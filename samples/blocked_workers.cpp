// blocked_workers: threads that run with every signal blocked, like `xz -T2` (which starts its
// workers inside a sigfillset + pthread_sigmask pair, and they inherit the mask). Two workers
// burn 1 s of CPU each with all signals blocked; then the main thread blocks all signals with
// sigprocmask and burns 0.5 s. A profiler must sample all three anyway. Each thread also checks
// that the mask it reads back is the full set it asked for, and prints "mask_view_ok=1" if all
// did (0 otherwise). Exits 0.
#include "burn.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <pthread.h>

[[gnu::noinline]] void burn_in_blocked_worker() {
    samples::burn_cpu(1.0);
}

[[gnu::noinline]] void burn_in_blocked_main() {
    samples::burn_cpu(0.5);
}

namespace {

std::atomic<bool> g_mask_view_ok{true};

// Every signal the kernel lets a program block must read back as blocked.
void check_all_blocked() {
    sigset_t current;
    pthread_sigmask(SIG_SETMASK, nullptr, &current);
    for (int signal = 1; signal < NSIG; ++signal) {
        if (signal == SIGKILL || signal == SIGSTOP || (signal > 31 && signal < SIGRTMIN))
            continue;
        if (!sigismember(&current, signal))
            g_mask_view_ok = false;
    }
}

void* worker(void*) {
    check_all_blocked(); // inherited from the creator
    burn_in_blocked_worker();
    return nullptr;
}

} // namespace

int main() {
    sigset_t all;
    sigset_t old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); // the workers start with this mask
    pthread_t workers[2];
    for (pthread_t& thread : workers)
        pthread_create(&thread, nullptr, worker, nullptr);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    for (pthread_t thread : workers)
        pthread_join(thread, nullptr);

    sigprocmask(SIG_BLOCK, &all, nullptr);
    check_all_blocked();
    burn_in_blocked_main();
    std::printf("mask_view_ok=%d\n", g_mask_view_ok.load() ? 1 : 0);
    return 0;
}
