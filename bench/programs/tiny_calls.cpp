// Call-overhead benchmark: tiny functions and nothing else, so that the cost of the
// instrumentation hooks (-finstrument-functions, -pg) dominates and shows per call. Makes
// exactly kIterations * kCallsPerIteration + 1 instrumented calls (the 1 is main) and prints
// that number, for bench/instrument_cost.sh, after a checksum that keeps the work alive.
// noipa: GCC must neither inline nor drop a call whose result it could work out itself.
#include <cstdint>
#include <cstdio>

namespace {

constexpr uint64_t kIterations = 10'000'000;
constexpr uint64_t kCallsPerIteration = 5; // step, and the four it calls

[[gnu::noipa]] uint64_t rotate(uint64_t value) {
    return (value << 13) | (value >> 51);
}

[[gnu::noipa]] uint64_t multiply(uint64_t value) {
    return value * 0x9e3779b97f4a7c15ULL;
}

[[gnu::noipa]] uint64_t fold(uint64_t value) {
    return value ^ (value >> 29);
}

[[gnu::noipa]] uint64_t add(uint64_t sum, uint64_t value) {
    return sum + value;
}

[[gnu::noipa]] uint64_t step(uint64_t sum, uint64_t index) {
    return add(sum, fold(multiply(rotate(index))));
}

} // namespace

int main() {
    uint64_t sum = 0;
    for (uint64_t index = 0; index < kIterations; ++index)
        sum = step(sum, index);
    std::printf("checksum %llu\n", static_cast<unsigned long long>(sum));
    std::printf("calls %llu\n",
                static_cast<unsigned long long>(kIterations * kCallsPerIteration + 1));
    return 0;
}
