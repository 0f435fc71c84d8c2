// deep_stacks: burns CPU at the bottom of a deep recursion, so that every sample carries a
// long stack and the raw stream grows fast (about 2 KB a sample at the default depth): the
// program with which the tests fill a small run directory.
//
// Usage: deep_stacks [cpu-seconds (default 1)] [depth (default 200)] [exit status (default 0)]
// Prints "deep_stacks: depth=D" and exits with the given status.
#include "burn.h"
#include "sample_args.h"

#include <cstdio>

namespace {

volatile int depth_reached = 0;

// Not a tail call (the store after it), and never inlined: each level is a real frame.
__attribute__((noinline)) void descend(int levels, double seconds) {
    if (levels == 0)
        samples::burn_cpu(seconds);
    else
        descend(levels - 1, seconds);
    depth_reached = depth_reached + 1;
}

} // namespace

int main(int argc, char** argv) {
    const double seconds = samples::seconds_argument(argc, argv, 1, 1.0);
    const long depth = samples::integer_argument(argc, argv, 2, 200, 0, 250);
    const long status = samples::integer_argument(argc, argv, 3, 0, 0, 255);
    descend(static_cast<int>(depth), seconds);
    std::printf("deep_stacks: depth=%d\n", depth_reached - 1);
    return static_cast<int>(status);
}
