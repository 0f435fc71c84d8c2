// spin_forever: prints "ready" and then burns CPU in spin_until_killed until it is killed.
// Used to check what a profiler does when its target is killed with SIGKILL: a test reads
// "ready" (so it knows the program is running) and then kills it.
#include "burn.h"

#include <cstdio>

[[gnu::noinline]] [[noreturn]] void spin_until_killed() {
    // volatile: an infinite loop without side effects would be undefined behaviour.
    volatile double sink = 1.0;
    for (;;)
        sink = samples::arithmetic_chunk(sink);
}

int main() {
    std::printf("ready\n");
    std::fflush(stdout);
    spin_until_killed();
}
