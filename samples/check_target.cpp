// check_target: the program of the `hprof check` tests. One thread alternates, 100 times, between
// hot_path and steady_work, each burning 2 ms of CPU time; hot_path's time is multiplied by the
// slowdown factor (default 1). Interleaving the two keeps every stretch of the run alike, so two
// unchanged runs give the same shares, and a slowdown of hot_path shows in every part of the run.
//
// Usage: check_target [slowdown-factor]   (1: about 0.4 s of CPU; 2: hot_path twice as slow)
#include "burn.h"
#include "sample_args.h"

#include <cstdio>

constexpr int kRounds = 100;
constexpr double kSecondsPerCall = 0.002;

[[gnu::noinline, gnu::noclone]] void hot_path(double factor) {
    samples::burn_cpu(kSecondsPerCall * factor);
}

[[gnu::noinline, gnu::noclone]] void steady_work() {
    samples::burn_cpu(kSecondsPerCall);
}

int main(int argc, char** argv) {
    const double factor = samples::seconds_argument(argc, argv, 1, 1.0);
    for (int round = 0; round < kRounds; ++round) {
        hot_path(factor);
        steady_work();
    }
    std::printf("check_target: slowdown %.2f\n", factor);
    return 0;
}
