// The second library of s_dlclose_reuse, loaded where s_reuse_first.cpp was: foo -> AAA::bar.
#include "call_counter.h"

namespace {

samples::CallCounter foo_calls{.name = "foo"};
samples::CallCounter bar_calls{.name = "AAA::bar(int)"};

} // namespace

struct AAA {
    [[gnu::noinline]] static int bar(int value);
};

int AAA::bar(int value) {
    samples::countCall(bar_calls);
    return value * 7;
}

extern "C" {

[[gnu::noinline]] int foo(int value) {
    samples::countCall(foo_calls);
    return AAA::bar(value) + AAA::bar(value + 1);
}

NOT_INSTRUMENTED void print_counts() {
    samples::printCounts({&foo_calls, &bar_calls});
    samples::printEdge("foo", "AAA::bar(int)", bar_calls.calls, bar_calls.calls);
}

} // extern "C"
