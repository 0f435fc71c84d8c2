// What reading a clock costs on this machine, per read: rdtsc (what trace mode reads twice per
// call), rdtscp, and clock_gettime(CLOCK_MONOTONIC) through the vDSO. Each is read in a loop of
// dependent additions, so the figure is the throughput cost of one read in a hot path.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <x86intrin.h>

namespace {

constexpr int kReads = 20'000'000;

double secondsNow() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

template <class Read> void report(const char* name, int reads, Read read) {
    uint64_t sum = 0;
    const double start = secondsNow();
    for (int i = 0; i < reads; ++i)
        sum += read();
    const double elapsed = secondsNow() - start;
    std::printf("%-14s %5.1f ns per read (checksum %llu)\n", name, elapsed / reads * 1e9,
                static_cast<unsigned long long>(sum & 1));
}

} // namespace

int main() {
    report("rdtsc", kReads, [] { return __rdtsc(); });
    report("rdtscp", kReads, [] {
        unsigned processor = 0;
        return __rdtscp(&processor);
    });
    report("clock_gettime", kReads / 10, [] {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return uint64_t(now.tv_nsec);
    });
    return 0;
}
