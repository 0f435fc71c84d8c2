// Threads that call pthread_exit from inside nested instrumented calls (glibc unwinds them with
// a forced unwind, running the exit hooks), one after the other, while two worker threads keep
// counting calls; then the main thread makes more calls of the function the quitters left.
#include "call_counter.h"

#include <cstdio>
#include <pthread.h>

namespace {

constexpr int kQuitters = 20;
constexpr int kQuitDepth = 5;
constexpr int kWorkers = 2;
constexpr int kWorkUnits = 200'000;
constexpr int kMainRuns = 100;

samples::CallCounter quit_from_depth_calls{.name = "quit_from_depth(int, bool)", .recursive = true};
samples::CallCounter quitter_calls{.name = "quitter(void*)"};
samples::CallCounter work_unit_calls{.name = "work_unit(int)"};

} // namespace

[[gnu::noinline]] int quit_from_depth(int depth, bool quit_at_bottom) {
    samples::countCall(quit_from_depth_calls);
    if (depth == 0) {
        if (quit_at_bottom)
            pthread_exit(nullptr);
        return 0;
    }
    return quit_from_depth(depth - 1, quit_at_bottom) + 1;
}

void* quitter(void*) {
    samples::countCall(quitter_calls);
    samples::countOutermostCall(quit_from_depth_calls);
    quit_from_depth(kQuitDepth, true);
    return nullptr; // not reached
}

[[gnu::noinline]] int work_unit(int unit) {
    samples::countCall(work_unit_calls);
    return unit & 1;
}

void* worker(void*) {
    long odd = 0;
    for (int unit = 0; unit < kWorkUnits; ++unit)
        odd += work_unit(unit);
    return reinterpret_cast<void*>(odd);
}

// The same recursion, returning normally this time.
[[gnu::noinline]] int main_calls_after_quitters() {
    int sum = 0;
    for (int run = 0; run < kMainRuns; ++run) {
        samples::countOutermostCall(quit_from_depth_calls);
        sum += quit_from_depth(run % kQuitDepth, false);
    }
    return sum;
}

int main() {
    pthread_t workers[kWorkers];
    for (pthread_t& thread : workers)
        pthread_create(&thread, nullptr, worker, nullptr);
    for (int index = 0; index < kQuitters; ++index) {
        pthread_t thread;
        pthread_create(&thread, nullptr, quitter, nullptr);
        pthread_join(thread, nullptr);
    }
    long odd = 0;
    for (pthread_t thread : workers) {
        void* result = nullptr;
        pthread_join(thread, &result);
        odd += reinterpret_cast<long>(result);
    }
    std::printf("odd units %ld depths %d\n", odd, main_calls_after_quitters());
    samples::printCounts({&quit_from_depth_calls, &quitter_calls, &work_unit_calls});
    return 0;
}
