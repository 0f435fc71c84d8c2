// Calls made before main (a constructor function and a static object's constructor) and after
// it (an atexit handler and the static object's destructor). The counts are printed by the
// last of all exit handlers, registered before anything else, so they include every call.
#include "call_counter.h"

#include <cstdlib>

namespace {

constexpr int kConstructorFunctionCalls = 10;
constexpr int kStaticObjectCalls = 20;
constexpr int kMainCalls = 30;
constexpr int kAtexitCalls = 40;
constexpr int kDestructorCalls = 50;

samples::CallCounter before_main_calls{.name = "before_main()"};
samples::CallCounter after_main_calls{.name = "after_main()"};
samples::CallCounter step_calls{.name = "step(int)"};
samples::CallCounter in_constructor_calls{.name = "in_constructor(int)"};
samples::CallCounter in_main_calls{.name = "in_main(int)"};
samples::CallCounter in_atexit_calls{.name = "in_atexit(int)"};
samples::CallCounter in_destructor_calls{.name = "in_destructor(int)"};

} // namespace

// Exit handlers run in the reverse order of their registration: this one, registered by the
// earliest constructor (priority 101 runs before the default priority), runs last.
NOT_INSTRUMENTED void print_all_counts() {
    samples::printCounts({&before_main_calls, &after_main_calls, &step_calls, &in_constructor_calls,
                          &in_main_calls, &in_atexit_calls, &in_destructor_calls});
}

NOT_INSTRUMENTED __attribute__((constructor(101))) void register_printing() {
    std::atexit(print_all_counts);
}

[[gnu::noinline]] int step(int unit) {
    samples::countCall(step_calls);
    return unit & 1;
}

[[gnu::noinline]] void in_constructor(int unit) {
    samples::countCall(in_constructor_calls);
    step(unit);
}

[[gnu::noinline]] void in_main(int unit) {
    samples::countCall(in_main_calls);
    step(unit);
}

[[gnu::noinline]] void in_atexit(int unit) {
    samples::countCall(in_atexit_calls);
    step(unit);
}

[[gnu::noinline]] void in_destructor(int unit) {
    samples::countCall(in_destructor_calls);
    step(unit);
}

__attribute__((constructor)) void before_main() {
    samples::countCall(before_main_calls);
    for (int unit = 0; unit < kConstructorFunctionCalls; ++unit)
        in_constructor(unit);
}

void after_main() {
    samples::countCall(after_main_calls);
    for (int unit = 0; unit < kAtexitCalls; ++unit)
        in_atexit(unit);
}

// Not instrumented itself: only the calls it makes are counted.
struct StaticObject {
    NOT_INSTRUMENTED StaticObject() {
        for (int unit = 0; unit < kStaticObjectCalls; ++unit)
            in_constructor(unit);
    }
    NOT_INSTRUMENTED ~StaticObject() {
        for (int unit = 0; unit < kDestructorCalls; ++unit)
            in_destructor(unit);
    }
};

StaticObject static_object;

int main() {
    std::atexit(after_main);
    for (int unit = 0; unit < kMainCalls; ++unit)
        in_main(unit);
    return 0;
}
