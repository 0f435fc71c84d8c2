// Instrumented calls from the program's .preinit_array, which runs before any library's
// constructor (the profiler's too), then from main. Prints its own counts of both; hprof counts
// only the second kind (a documented limit: the hooks return at once until the probe started).
#include "call_counter.h"

#include <cstdio>

namespace {

constexpr int kEarlyCalls = 3;
constexpr int kLaterCalls = 2;

samples::CallCounter early_calls{.name = "early(int)"};
samples::CallCounter later_calls{.name = "later(int)"};
int sum = 0;

} // namespace

[[gnu::noinline]] void early(int value) {
    samples::countCall(early_calls);
    sum += value;
}

[[gnu::noinline]] void later(int value) {
    samples::countCall(later_calls);
    sum += value;
}

NOT_INSTRUMENTED void runEarly(int, char**, char**) {
    for (int i = 0; i < kEarlyCalls; ++i)
        early(i);
}

[[gnu::used, gnu::section(".preinit_array")]] void (*preinit_entry)(int, char**, char**) = runEarly;

int main() {
    for (int i = 0; i < kLaterCalls; ++i)
        later(i);
    std::printf("sum %d\n", sum);
    samples::printCounts({&early_calls, &later_calls});
    return 0;
}
