// exit_underscore: burns about 0.3 s of CPU in burn_before_exit, then leaves with _exit(3),
// which skips atexit handlers and static destructors. Used to check that a profile is
// still written and the exit status 3 is passed on.
#include "burn.h"

#include <cstdio>
#include <unistd.h>

[[gnu::noinline]] void burn_before_exit() {
    samples::burn_cpu(0.3);
}

int main() {
    burn_before_exit();
    std::printf("calling _exit(3)\n");
    std::fflush(stdout);
    _exit(3);
}
