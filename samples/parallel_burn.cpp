// parallel_burn: N threads that each burn the same CPU time in burn_in_parallel, all at once,
// while the main thread waits for them. On a machine with at least N free cores its average
// parallelism (CPU time / wall time) is close to N.
//
// Usage: parallel_burn [threads] [seconds-per-thread]   (defaults 2 and 0.5)
#include "burn.h"
#include "sample_args.h"

#include <cstdio>
#include <thread>
#include <vector>

[[gnu::noinline, gnu::noclone]] void burn_in_parallel(double seconds) {
    samples::burn_cpu(seconds);
}

int main(int argc, char** argv) {
    const long threads = samples::integer_argument(argc, argv, 1, 2, 1, 64);
    const double seconds = samples::seconds_argument(argc, argv, 2, 0.5);
    std::vector<std::thread> workers;
    for (long i = 0; i < threads; ++i)
        workers.emplace_back(burn_in_parallel, seconds);
    for (std::thread& worker : workers)
        worker.join();
    std::printf("parallel_burn: %ld threads x %.3f s\n", threads, seconds);
    return 0;
}
