// crash: burns about 0.3 s of CPU in burn_before_crash, then dereferences a null pointer
// and dies of SIGSEGV. Used to check that a profiler still writes a profile (with
// burn_before_crash in it) for a program that crashes.
#include "burn.h"

#include <cstdio>

[[gnu::noinline]] void burn_before_crash() {
    samples::burn_cpu(0.3);
}

int main() {
    burn_before_crash();
    std::printf("crashing now\n");
    std::fflush(stdout);
    // The pointer itself is volatile so the compiler cannot see the null and turn the store
    // into a trap instruction (SIGILL); the store is volatile so it cannot be dropped.
    volatile int* volatile pointer = nullptr;
    *pointer = 42;
    return 0;
}
