// split: spends a KNOWN share of its CPU time in each of four functions.
//
// The accuracy test profiles this program and checks that each function's inclusive share
// of the samples is within 2 percentage points of the share below. The truth is exact and
// machine-independent: every function burns until the thread's own CPU clock has advanced
// by its share, and the four functions take turns in 20 small rounds so that any drift
// (frequency changes, other load) hits all of them alike.
//
// The shares above are what the program asks for; what it got is printed on stderr, measured
// on the same clock around each call. They differ where the CPU clock jumps: on a virtual
// machine whose host is overloaded, a thread's CPU clock can advance by 100 ms in one step
// (measured here at load 8), and the function running then overshoots its share. Such steps
// (see clock_steps.h) are also printed, per function: a sampling profiler cannot place them. When
// one happens in the kernel (the CPU clock is read by a system call) the function ends at once,
// since its deadline has passed, and the first sample after it, which carries the step, is
// taken in the next function.
//
//   spend_half                       45%   plain arithmetic loop
//   spend_thirty                     30%   all of it inside Accumulator<double>::accumulate
//                                          (a C++ template method)
//   spend_twenty                     15%   the work is scramble_chunk, an always_inline
//                                          function, so it shows up as an inline frame
//   splitwork::burn_in_library       10%   in the shared library libsplitwork.so
//
// Usage: split [total-cpu-seconds]   (default 2.0)
#include "burn.h"
#include "clock_steps.h"
#include "sample_args.h"
#include "splitwork.h"

#include <cstdint>
#include <cstdio>

namespace {

constexpr double kHalfShare = 0.45;
constexpr double kThirtyShare = 0.30;
constexpr double kTwentyShare = 0.15;
constexpr double kLibraryShare = 0.10;
constexpr int kRounds = 20;

} // namespace

// The functions below are deliberately outside the anonymous namespace so that a profile
// shows their plain names (spend_half(double), not (anonymous namespace)::spend_half(double)).

template <typename T> class Accumulator {
  public:
    // Adds up a slowly converging series until `seconds` of CPU time have passed.
    [[gnu::noinline]] T accumulate(double seconds) {
        const double deadline = samples::thread_cpu_seconds() + seconds;
        while (samples::thread_cpu_seconds() < deadline) {
            for (int i = 1; i <= samples::kIterationsPerChunk; ++i)
                m_total += T(1) / T(i);
        }
        return m_total;
    }

  private:
    T m_total{};
};

// Integer hashing work; always inlined into spend_twenty, where it does all the work.
inline __attribute__((always_inline)) std::uint64_t scramble_chunk(std::uint64_t state) {
    for (int i = 0; i < samples::kIterationsPerChunk; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    return state;
}

[[gnu::noinline, gnu::noclone]] void spend_half(double seconds) {
    samples::burn_cpu(seconds);
}

[[gnu::noinline, gnu::noclone]] void spend_thirty(double seconds) {
    Accumulator<double> accumulator;
    samples::burn_sink = accumulator.accumulate(seconds);
}

[[gnu::noinline, gnu::noclone]] void spend_twenty(double seconds) {
    const double deadline = samples::thread_cpu_seconds() + seconds;
    std::uint64_t state = 88172645463325252ULL;
    while (samples::thread_cpu_seconds() < deadline)
        state = scramble_chunk(state);
    samples::burn_sink = static_cast<double>(state & 0xff);
}

int main(int argc, char** argv) {
    const double total = samples::seconds_argument(argc, argv, 1, 2.0);
    const double round = total / kRounds;
    // Each part's CPU time is measured here, around its call, not in a helper of its own: a
    // helper would be a frame of its own between main and the spend_ functions in the profile.
    struct Part {
        void (*spend)(double);
        double share;
        double measured;
        double clock_steps; // the part of `measured` that came in steps (clock_steps.h)
    };
    Part parts[] = {{spend_half, kHalfShare, 0, 0},
                    {spend_thirty, kThirtyShare, 0, 0},
                    {spend_twenty, kTwentyShare, 0, 0},
                    {splitwork::burn_in_library, kLibraryShare, 0, 0}};
    for (int i = 0; i < kRounds; ++i) {
        for (Part& part : parts) {
            const double start = samples::thread_cpu_seconds();
            const double steps_before = samples::cpu_clock_steps; // steps after `start` count
            part.spend(round * part.share);
            part.measured += samples::thread_cpu_seconds() - start;
            part.clock_steps += samples::cpu_clock_steps - steps_before;
        }
    }
    std::printf("split: spend_half=%.2f spend_thirty=%.2f spend_twenty=%.2f burn_in_library=%.2f\n",
                kHalfShare, kThirtyShare, kTwentyShare, kLibraryShare);
    std::fprintf(stderr,
                 "split measured: spend_half=%.6f spend_thirty=%.6f spend_twenty=%.6f "
                 "burn_in_library=%.6f\n",
                 parts[0].measured, parts[1].measured, parts[2].measured, parts[3].measured);
    std::fprintf(stderr,
                 "split clock steps: spend_half=%.6f spend_thirty=%.6f spend_twenty=%.6f "
                 "burn_in_library=%.6f\n",
                 parts[0].clock_steps, parts[1].clock_steps, parts[2].clock_steps,
                 parts[3].clock_steps);
    return 0;
}
