// mixed_growth: a program whose main loop is linear in its input and which calls one quadratic
// helper. At the smallest sizes the helper is a footnote (5% of the time at n=500), so a
// profile of a small run points at the main loop; at n=16000 it takes about 60% and grows
// towards all of it. `hprof scaling` names the helper as the scaling bottleneck before a big
// input does.
//
// Both parts run the same serial mixing step, so their costs compare alike on any machine: the
// main loop kStepsPerRecord steps per record, the helper one step per pair of records.
//
// Usage: mixed_growth [number-of-records]   (default 4000)
#include "sample_args.h"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

// One step of a 64-bit mixing function (splitmix64's finaliser): a chain of these is serial.
inline std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    return x;
}

// n(n-1)/2 pairs at n = 500 against 500 * kStepsPerRecord steps make the helper 5%.
constexpr int kStepsPerRecord = 4750;

std::vector<std::uint64_t> make_records(long count) {
    std::vector<std::uint64_t> records(static_cast<std::size_t>(count));
    std::uint64_t state = 42;
    for (std::uint64_t& record : records)
        record = state = mix(state + 0x9e3779b97f4a7c15ULL);
    return records;
}

[[gnu::noinline]] std::uint64_t digest_record(std::uint64_t record) {
    std::uint64_t digest = record;
    for (int step = 0; step < kStepsPerRecord; ++step)
        digest = mix(digest + static_cast<std::uint64_t>(step));
    return digest;
}

// The quadratic helper: compares every pair of records.
[[gnu::noinline]] std::uint64_t pair_signature(const std::vector<std::uint64_t>& records) {
    std::uint64_t signature = 0;
    for (std::size_t i = 0; i < records.size(); ++i)
        for (std::size_t j = i + 1; j < records.size(); ++j)
            signature = mix(signature ^ records[i] ^ records[j]);
    return signature;
}

} // namespace

int main(int argc, char** argv) {
    const long count = samples::integer_argument(argc, argv, 1, 4000, 1, 1000000);
    const std::vector<std::uint64_t> records = make_records(count);
    std::uint64_t total = 0;
    for (std::uint64_t record : records) // the linear main loop
        total ^= digest_record(record);
    const std::uint64_t signature = pair_signature(records);
    std::printf("records=%ld digest=%016llx signature=%016llx\n", count,
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(signature));
    return 0;
}
