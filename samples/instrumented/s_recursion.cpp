// Recursion: a chain 100,000 calls deep (run in a thread with a 512 MB stack, so it cannot
// overflow whatever the hooks use), a naive Fibonacci's fan-out and a mutual recursion. Prints
// the exact calls, primitive calls (outermost activations) and the self edges of the chain and
// of fib.
#include "call_counter.h"

#include <cstdio>
#include <cstdlib>
#include <pthread.h>

namespace {

constexpr int kDepth = 100'000;
constexpr int kDeepRuns = 2;
constexpr size_t kDeepStackBytes = size_t(512) << 20;
constexpr int kFibArgument = 20;
constexpr int kFibRuns = 3;
constexpr unsigned kParityArgument = 1001;
constexpr int kParityRuns = 4;

samples::CallCounter descend_calls{.name = "descend(int)", .recursive = true};
samples::CallCounter fib_calls{.name = "fib(int)", .recursive = true};
samples::CallCounter is_even_calls{.name = "is_even(unsigned int)", .recursive = true};
samples::CallCounter is_odd_calls{.name = "is_odd(unsigned int)", .recursive = true};

} // namespace

// Not a tail call (the result is used), so every level is a real activation.
[[gnu::noinline]] int descend(int depth) {
    samples::countCall(descend_calls);
    return depth <= 1 ? depth : descend(depth - 1) + 1;
}

[[gnu::noinline]] int fib(int n) {
    samples::countCall(fib_calls);
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

bool is_odd(unsigned n);

[[gnu::noinline]] bool is_even(unsigned n) {
    samples::countCall(is_even_calls);
    return n == 0 ? true : is_odd(n - 1);
}

[[gnu::noinline]] bool is_odd(unsigned n) {
    samples::countCall(is_odd_calls);
    return n == 0 ? false : is_even(n - 1);
}

void* run_deep_recursion(void*) {
    long deepest = 0;
    for (int run = 0; run < kDeepRuns; ++run) {
        samples::countOutermostCall(descend_calls);
        deepest = descend(kDepth);
    }
    return reinterpret_cast<void*>(deepest);
}

int deep_recursion_on_big_stack() {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, kDeepStackBytes);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, run_deep_recursion, nullptr) != 0) {
        std::fprintf(stderr, "s_recursion: cannot start a thread with a 512 MB stack\n");
        std::exit(1);
    }
    pthread_attr_destroy(&attributes);
    void* deepest = nullptr;
    pthread_join(thread, &deepest);
    return int(reinterpret_cast<long>(deepest));
}

int main() {
    std::printf("deepest %d\n", deep_recursion_on_big_stack());
    for (int run = 0; run < kFibRuns; ++run) {
        samples::countOutermostCall(fib_calls);
        std::printf("fib(%d) = %d\n", kFibArgument, fib(kFibArgument));
    }
    for (int run = 0; run < kParityRuns; ++run) {
        // is_odd's first activation is inside is_even, but is_odd is not yet active: primitive.
        samples::countOutermostCall(is_even_calls);
        samples::countOutermostCall(is_odd_calls);
        std::printf("is_even(%u) = %d\n", kParityArgument + run, is_even(kParityArgument + run));
    }
    samples::printCounts({&descend_calls, &fib_calls, &is_even_calls, &is_odd_calls});
    // Every call but the outermost comes from the function itself; of those, only the ones made
    // by an outermost activation start while the self edge is not already on the stack.
    samples::printEdge("descend(int)", "descend(int)", kDeepRuns * (kDepth - 1), kDeepRuns);
    samples::printEdge("fib(int)", "fib(int)", fib_calls.calls - kFibRuns, 2 * kFibRuns);
    return 0;
}
