// abort_after_work: burns about 0.3 s of CPU in burn_before_abort, then calls abort()
// (SIGABRT). Used to check that a profile is still written when a program aborts.
#include "burn.h"

#include <cstdio>
#include <cstdlib>

[[gnu::noinline]] void burn_before_abort() {
    samples::burn_cpu(0.3);
}

int main() {
    burn_before_abort();
    std::printf("aborting now\n");
    std::fflush(stdout);
    std::abort();
}
