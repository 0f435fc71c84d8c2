// phases: one thread that works in two phases one after the other: first in phase_one, then in
// phase_two, each for the given CPU time. A profile cut to a time range (`hprof report --time`)
// over the first phase shows phase_one and not phase_two, and the other way round.
//
// Usage: phases [seconds-per-phase]   (default 0.3)
#include "burn.h"
#include "sample_args.h"

#include <cstdio>

[[gnu::noinline, gnu::noclone]] void phase_one(double seconds) {
    samples::burn_cpu(seconds);
}

[[gnu::noinline, gnu::noclone]] void phase_two(double seconds) {
    samples::burn_cpu(seconds);
}

int main(int argc, char** argv) {
    const double seconds = samples::seconds_argument(argc, argv, 1, 0.3);
    phase_one(seconds);
    phase_two(seconds);
    std::printf("phases: 2 x %.3f s\n", seconds);
    return 0;
}
