// Overhead benchmark: a CPU-bound single-threaded program with a FIXED amount of work
// (about 2 s here), so that any slowdown caused by a profiler shows up as extra wall time.
// The work goes through a few levels of ordinary calls (std::sort, a hash, a checksum) so
// that samples have realistic, moderately deep stacks.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

constexpr int kRounds = 440;
constexpr int kValuesPerRound = 100'000;

[[gnu::noinline]] void fill_pseudo_random(std::vector<std::uint64_t>& values, std::uint64_t seed) {
    for (std::uint64_t& value : values) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        value = seed >> 20;
    }
}

[[gnu::noinline]] std::uint64_t checksum(const std::vector<std::uint64_t>& values) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < values.size(); i += 97)
        sum = sum * 31 + values[i];
    return sum;
}

} // namespace

int main() {
    std::vector<std::uint64_t> values(kValuesPerRound);
    std::uint64_t total = 0;
    for (int round = 0; round < kRounds; ++round) {
        fill_pseudo_random(values, round);
        std::sort(values.begin(), values.end());
        total ^= checksum(values);
    }
    std::printf("single: checksum=%016llx\n", static_cast<unsigned long long>(total));
    return 0;
}
