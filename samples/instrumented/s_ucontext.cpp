// A coroutine on a stack of its own (makecontext), resumed from main with swapcontext and
// switching back with swapcontext, in a loop; it ends by returning (uc_link: main's context).
// Between the switches main calls baz, and the coroutine calls co_step. Exit hooks run on both
// stacks, interleaved: each must match its own enter, and each call its own caller.
#include "call_counter.h"

#include <cstdio>
#include <ucontext.h>

namespace {

constexpr int kSwitches = 100;
constexpr size_t kStackBytes = 256 << 10;

samples::CallCounter coroutine_calls{.name = "coroutine()"};
samples::CallCounter co_step_calls{.name = "co_step(int)"};
samples::CallCounter baz_calls{.name = "baz(int)"};
samples::CallCounter resume_calls{.name = "resume(int)"};

ucontext_t main_context;
ucontext_t coroutine_context;
char coroutine_stack[kStackBytes];
long total = 0;

} // namespace

[[gnu::noinline]] void co_step(int step) {
    samples::countCall(co_step_calls);
    total += step;
}

[[gnu::noinline]] void coroutine() {
    samples::countCall(coroutine_calls);
    for (int step = 0; step < kSwitches; ++step) {
        co_step(step);
        swapcontext(&coroutine_context, &main_context);
    }
}

[[gnu::noinline]] void baz(int round) {
    samples::countCall(baz_calls);
    total += round * 2;
}

// Runs the coroutine until it switches back (or ends).
[[gnu::noinline]] void resume(int round) {
    samples::countCall(resume_calls);
    swapcontext(&main_context, &coroutine_context);
    baz(round);
}

int main() {
    getcontext(&coroutine_context);
    coroutine_context.uc_stack.ss_sp = coroutine_stack;
    coroutine_context.uc_stack.ss_size = sizeof(coroutine_stack);
    coroutine_context.uc_link = &main_context;
    makecontext(&coroutine_context, coroutine, 0);
    for (int round = 0; round <= kSwitches; ++round)
        resume(round);
    baz(-1);
    std::printf("total %ld\n", total);
    samples::printCounts({&coroutine_calls, &co_step_calls, &baz_calls, &resume_calls});
    samples::printEdge("coroutine()", "co_step(int)", kSwitches, kSwitches);
    samples::printEdge("resume(int)", "baz(int)", kSwitches + 1, kSwitches + 1);
    samples::printEdge("main", "baz(int)", 1, 1);
    return 0;
}
