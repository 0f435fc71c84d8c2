// The first library of s_dlclose_reuse: lib_a -> lib_b -> lib_c, lib_c burning CPU and waiting
// (so that on- and off-CPU samples land in it). Its twin s_reuse_second.cpp has the same size so
// that the loader maps it where this one was.
#include "call_counter.h"

#include <poll.h>

namespace {

samples::CallCounter lib_a_calls{.name = "lib_a"};
samples::CallCounter lib_b_calls{.name = "lib_b"};
samples::CallCounter lib_c_calls{.name = "lib_c"};

} // namespace

extern "C" {

[[gnu::noinline]] double lib_c(int round) {
    samples::countCall(lib_c_calls);
    if (round % 10 == 0)
        poll(nullptr, 0, 20); // off-CPU in lib_c, long enough for a starved wall sampler
    double sum = 0;
    for (int i = 1; i < 400000; ++i)
        sum += 1.0 / (i + round);
    return sum;
}

[[gnu::noinline]] double lib_b(int round) {
    samples::countCall(lib_b_calls);
    return lib_c(round) + 1;
}

[[gnu::noinline]] double lib_a(int round) {
    samples::countCall(lib_a_calls);
    return lib_b(round) + 1;
}

NOT_INSTRUMENTED void print_counts() {
    samples::printCounts({&lib_a_calls, &lib_b_calls, &lib_c_calls});
    samples::printEdge("lib_a", "lib_b", lib_a_calls.calls, lib_a_calls.calls);
    samples::printEdge("lib_b", "lib_c", lib_b_calls.calls, lib_b_calls.calls);
}

} // extern "C"
