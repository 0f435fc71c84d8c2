// The workload of bench/check_calibration.sh: one thread alternates between hot_path (10% of the
// CPU time) and steady_work (90%) in 1,000 rounds of about 2 ms, about 2 s of CPU in all;
// hot_path's work is multiplied by the slowdown factor (argument 1, default 1). Argument 2
// (default 1) splits each round's hot_path work over that many calls: the same time, other call
// counts, for the check of exact counts in an instrumented build.
//
// The work is a fixed number of iterations, not a time read from the CPU clock: a program that
// reads its clock every few microseconds spends a third of its time in clock_gettime, and that
// share changes with the machine's load (docs/performance.md, session 6), which a check rightly
// reports as a change. This one does the same work, in the same proportions, under any load.
#include <cstdint>
#include <cstdlib>

namespace {

volatile std::uint64_t sink = 0;

// About 1.3-1.8 ns per iteration on this project's machines: 150,000 take about 0.2 ms. The
// steady loop (a constant count) runs a little faster per iteration than hot_path's: 8 times
// the iterations gave hot_path 9.8% of the samples (9 times gave 8.8%).
constexpr std::uint64_t kHotIterations = 150'000;
constexpr std::uint64_t kSteadyIterations = 8 * kHotIterations;

// Inlined into each caller, so the burning is the caller's own code (a call here would be a
// tail call, and the caller would vanish from the stacks). Each step depends on the last, so the
// loop can be neither vectorised nor folded.
[[gnu::always_inline]] inline void burn(std::uint64_t iterations) {
    std::uint64_t state = sink;
    for (std::uint64_t i = 0; i < iterations; ++i)
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    sink = state;
}

[[gnu::noinline, gnu::noclone]] void hot_path(double factor, int calls) {
    burn(std::uint64_t(double(kHotIterations) * factor / calls));
}

[[gnu::noinline, gnu::noclone]] void steady_work() {
    burn(kSteadyIterations);
}

} // namespace

int main(int argc, char** argv) {
    const double factor = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int calls = argc > 2 ? std::atoi(argv[2]) : 1;
    if (!(factor > 0) || calls < 1)
        return 2;
    for (int round = 0; round < 1000; ++round) {
        for (int call = 0; call < calls; ++call)
            hot_path(factor, calls);
        steady_work();
    }
    return 0;
}
