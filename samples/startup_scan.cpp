// startup_scan: a linear scan behind a fixed start-up that costs the same at every size. At
// n=4000 the start-up is about 80% of the time, at n=32000 about a third: the whole program's
// exponent comes out near 0.4, though the part that grows is linear. `hprof scaling` measures
// the start-up as a function of constant time and compares the scan with the rest of the
// program, so the scan is not named as growing faster than it.
//
// Usage: startup_scan [number-of-records]   (default 8000)
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

// The start-up's steps against kStepsPerRecord per record: 4 times the scan of 4000 records.
constexpr long kStartUpSteps = 16000000;
constexpr int kStepsPerRecord = 1000;

[[gnu::noinline]] std::uint64_t start_up() {
    std::uint64_t state = 7;
    for (long step = 0; step < kStartUpSteps; ++step)
        state = mix(state + static_cast<std::uint64_t>(step));
    return state;
}

// The linear part: kStepsPerRecord serial steps per record.
[[gnu::noinline]] std::uint64_t scan_records(long count, std::uint64_t seed) {
    std::uint64_t digest = seed;
    for (long record = 0; record < count; ++record)
        for (int step = 0; step < kStepsPerRecord; ++step)
            digest = mix(digest + static_cast<std::uint64_t>(record ^ step));
    return digest;
}

} // namespace

int main(int argc, char** argv) {
    const long count = samples::integer_argument(argc, argv, 1, 8000, 1, 10000000);
    const std::uint64_t table = start_up();
    const std::uint64_t digest = scan_records(count, table);
    std::printf("records=%ld digest=%016llx\n", count, static_cast<unsigned long long>(digest));
    return 0;
}
