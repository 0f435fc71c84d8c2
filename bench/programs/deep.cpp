// Overhead benchmark: four threads, each recursing 100 calls deep and then doing a FIXED
// amount of arithmetic at the leaf (about 1 s of CPU per thread, about 2 s of wall time on
// two cores). Every sample therefore has a stack of more than 100 frames, which is the
// expensive case for a stack-sampling profiler.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 4;
constexpr int kDepth = 100;
constexpr std::uint64_t kLeafIterations = 900'000'000;

[[gnu::noinline]] std::uint64_t work_at_leaf(std::uint64_t seed) {
    std::uint64_t state = seed;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < kLeafIterations; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        sum += state >> 61;
    }
    return sum;
}

[[gnu::noinline]] std::uint64_t recurse(int depth, std::uint64_t seed) {
    const std::uint64_t result = depth == 0 ? work_at_leaf(seed) : recurse(depth - 1, seed + 1);
    std::atomic_signal_fence(std::memory_order_seq_cst); // no tail call: keep every frame
    return result + 1;
}

} // namespace

int main() {
    std::vector<std::uint64_t> results(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([t, &results] { results[t] = recurse(kDepth, t); });
    for (std::thread& thread : threads)
        thread.join();
    std::uint64_t total = 0;
    for (const std::uint64_t result : results)
        total += result;
    std::printf("deep: total=%llu\n", static_cast<unsigned long long>(total));
    return 0;
}
