// The instrumented samples keep their own exact count of every call they want checked, so that a
// test can compare hprof's counts with the truth. Nothing here is instrumented
// (no_instrument_function): the bookkeeping must not add calls of its own to the profile.
//
// Output, one line per counted function (names as hprof shows them: demangled, with parameter
// types):
//   count <function> <calls>
//   primitive <function> <calls made while the function was not already active on the thread>
// and per checked caller -> callee edge:
//   edge <caller> -> <callee> <calls> <primitive calls>
#pragma once

#include <atomic>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <initializer_list>

#define NOT_INSTRUMENTED __attribute__((no_instrument_function))

namespace samples {

struct CallCounter {
    const char* name;
    // Relaxed atomics: threads and signal handlers count into the same counters.
    std::atomic<uint64_t> calls{0};
    // For a recursive function, its outermost activations (counted by the outside caller); for
    // any other function every call is primitive, so this stays 0 and calls is printed.
    std::atomic<uint64_t> outermost_calls{0};
    bool recursive = false;
};

NOT_INSTRUMENTED inline void countCall(CallCounter& counter) {
    counter.calls.fetch_add(1, std::memory_order_relaxed);
}

// Called by the non-recursive caller right before it enters a recursive function.
NOT_INSTRUMENTED inline void countOutermostCall(CallCounter& counter) {
    counter.outermost_calls.fetch_add(1, std::memory_order_relaxed);
}

NOT_INSTRUMENTED inline uint64_t primitiveCalls(const CallCounter& counter) {
    return counter.recursive ? counter.outermost_calls.load() : counter.calls.load();
}

// `prefix` tells processes apart when several print (s_fork); "" for none.
NOT_INSTRUMENTED inline void printCounts(std::initializer_list<const CallCounter*> counters,
                                         const char* prefix = "") {
    for (const CallCounter* counter : counters) {
        std::printf("%scount %s %" PRIu64 "\n", prefix, counter->name, counter->calls.load());
        std::printf("%sprimitive %s %" PRIu64 "\n", prefix, counter->name,
                    primitiveCalls(*counter));
    }
}

NOT_INSTRUMENTED inline void printEdge(const char* caller, const char* callee, uint64_t calls,
                                       uint64_t primitive_calls) {
    std::printf("edge %s -> %s %" PRIu64 " %" PRIu64 "\n", caller, callee, calls, primitive_calls);
}

} // namespace samples
