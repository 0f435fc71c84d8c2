// The workload of bench/check_calibration.sh: one thread alternates between hot_path (10% of the
// CPU time) and steady_work (90%) in rounds of 2 ms for about 2 s of CPU; hot_path's time is
// multiplied by the slowdown factor (argument 1, default 1).
#include <cstdint>
#include <cstdlib>
#include <ctime>

namespace {

double threadCpuSeconds() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

volatile std::uint64_t sink = 0;

// Inlined into each caller, so the burning is the caller's own code (a call here would be a
// tail call, and the caller would vanish from the stacks).
[[gnu::always_inline]] inline void burn(double seconds) {
    const double deadline = threadCpuSeconds() + seconds;
    std::uint64_t state = sink;
    while (threadCpuSeconds() < deadline) {
        for (int i = 0; i < 1000; ++i)
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    sink = state;
}

[[gnu::noinline, gnu::noclone]] void hot_path(double factor) {
    burn(0.0002 * factor);
}

[[gnu::noinline, gnu::noclone]] void steady_work() {
    burn(0.0018);
}

} // namespace

int main(int argc, char** argv) {
    const double factor = argc > 1 ? std::atof(argv[1]) : 1.0;
    if (!(factor > 0))
        return 2;
    for (int round = 0; round < 1000; ++round) {
        hot_path(factor);
        steady_work();
    }
    return 0;
}
