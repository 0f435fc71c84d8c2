// Trace mode: calls of known durations. outer() burns 30 ms of wall time, 10 of them its own and
// 2 x 10 ms in inner(); it runs twice on the main thread and once on a second thread. Between
// them, many tiny calls that last far less than a millisecond, unless the thread is preempted
// in one. Prints its exact counts (call_counter.h), per call of outer and inner the wall time it
// measured itself, and how many tiny calls took at least 1 ms, measured around the call (hooks
// included, so no traced tiny call can be longer):
//   took <function> <nanoseconds>
//   slow tiny(int) <calls>
#include "call_counter.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace {

constexpr int kInnerMs = 10;
constexpr int kOuterOwnMs = 10;
constexpr int kInnerCallsPerOuter = 2;
constexpr int kOuterRunsOnMain = 2;
constexpr int kTinyCalls = 100'000;
constexpr int64_t kSlowNs = 1'000'000;

samples::CallCounter outer_calls{.name = "outer()"};
samples::CallCounter inner_calls{.name = "inner()"};
samples::CallCounter tiny_calls{.name = "tiny(int)"};

struct Took {
    const char* function;
    int64_t ns;
};
std::mutex took_mutex;
std::vector<Took> took;
int slow_tiny_calls = 0;

NOT_INSTRUMENTED int64_t monotonicNs() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// Wall time, not CPU time: a preempted thread still burns its milliseconds.
NOT_INSTRUMENTED void burn_ms(int ms) {
    const int64_t end = monotonicNs() + int64_t(ms) * 1'000'000;
    while (monotonicNs() < end) {
    }
}

NOT_INSTRUMENTED void recordTook(const char* function, int64_t start_ns) {
    const int64_t ns = monotonicNs() - start_ns;
    std::lock_guard lock(took_mutex);
    took.push_back({function, ns});
}

} // namespace

[[gnu::noinline]] void inner() {
    const int64_t start = monotonicNs();
    samples::countCall(inner_calls);
    burn_ms(kInnerMs);
    recordTook(inner_calls.name, start);
}

[[gnu::noinline]] void outer() {
    const int64_t start = monotonicNs();
    samples::countCall(outer_calls);
    burn_ms(kOuterOwnMs / 2);
    for (int i = 0; i < kInnerCallsPerOuter; ++i)
        inner();
    burn_ms(kOuterOwnMs / 2);
    recordTook(outer_calls.name, start);
}

[[gnu::noinline]] int tiny(int x) {
    samples::countCall(tiny_calls);
    return x * 3 + 1;
}

NOT_INSTRUMENTED int tinyCalls() {
    int sum = 0;
    for (int i = 0; i < kTinyCalls; ++i) {
        const int64_t start = monotonicNs();
        sum += tiny(i);
        slow_tiny_calls += monotonicNs() - start >= kSlowNs;
    }
    return sum;
}

void* outerOnThread(void*) {
    outer();
    return nullptr;
}

int main() {
    int sum = tinyCalls();
    for (int run = 0; run < kOuterRunsOnMain; ++run) {
        outer();
        sum += tinyCalls();
    }
    pthread_t thread;
    if (pthread_create(&thread, nullptr, outerOnThread, nullptr) != 0) {
        std::fprintf(stderr, "s_trace: cannot start a thread\n");
        return 1;
    }
    pthread_join(thread, nullptr);
    std::printf("sum %d\n", sum);
    samples::printCounts({&outer_calls, &inner_calls, &tiny_calls});
    for (const Took& call : took)
        std::printf("took %s %" PRId64 "\n", call.function, call.ns);
    std::printf("slow %s %d\n", tiny_calls.name, slow_tiny_calls);
    return 0;
}
