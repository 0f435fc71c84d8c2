// threads: a multi-threaded sample. The main thread starts four workers that do different
// amounts of the same kind of work: worker k runs crunch_numbers for k + 1 units, so the
// workers use about 10%, 20%, 30% and 40% of the total CPU time. Each worker names itself
// "worker-<k>" once it runs: even ones with pthread_setname_np, odd ones with
// prctl(PR_SET_NAME), the two ways a profiler must see a name set after the thread started.
//
// A profile of it shows five threads (main, which only waits, and worker-0..worker-3),
// each worker's time in crunch_numbers in the ratio 1:2:3:4.
//
// The work is a fixed number of iterations, so the printed totals never change.
#include <pthread.h>
#include <sys/prctl.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kWorkers = 4;
constexpr std::uint64_t kIterationsPerUnit = 200'000'000;

} // namespace

// Sums a pseudo-random sequence; `units` sets how long it runs.
[[gnu::noinline]] std::uint64_t crunch_numbers(int units) {
    std::uint64_t state = 1;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < units * kIterationsPerUnit; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        sum += state >> 60;
    }
    return sum;
}

int main() {
    std::vector<std::uint64_t> totals(kWorkers, 0);
    std::vector<std::thread> workers;
    for (int k = 0; k < kWorkers; ++k) {
        workers.emplace_back([k, &totals] {
            const std::string name = "worker-" + std::to_string(k);
            if (k % 2 == 0)
                pthread_setname_np(pthread_self(), name.c_str());
            else
                prctl(PR_SET_NAME, name.c_str());
            totals[k] = crunch_numbers(k + 1);
        });
    }
    for (std::thread& worker : workers)
        worker.join();
    for (int k = 0; k < kWorkers; ++k)
        std::printf("worker-%d units=%d total=%llu\n", k, k + 1,
                    static_cast<unsigned long long>(totals[k]));
    return 0;
}
