// Functions of an instrumented shared library (libs_instrumented_lib.so) called from the
// program, directly (through the PLT) and calling back into the program.
#include "s_instrumented_lib.h"

#include <cstdio>

namespace {

constexpr int kRounds = 1000;
constexpr int kSquaresPerRound = 10;
constexpr int kVisitsPerRound = 5;

samples::CallCounter visited_calls{.name = "visited(int)"};
samples::CallCounter run_round_calls{.name = "run_round(int)"};

long visits_total = 0;

} // namespace

void visited(int value) {
    samples::countCall(visited_calls);
    visits_total += value;
}

[[gnu::noinline]] int run_round(int round) {
    samples::countCall(run_round_calls);
    lib_visit(kVisitsPerRound, visited);
    return lib_sum_of_squares(kSquaresPerRound) + lib_square(round % 100);
}

int main() {
    long sum = 0;
    for (int round = 0; round < kRounds; ++round)
        sum += run_round(round);
    std::printf("sum %ld visits %ld\n", sum, visits_total);
    samples::printCounts({&run_round_calls, &visited_calls, &samples::lib_square_calls,
                          &samples::lib_sum_of_squares_calls, &samples::lib_visit_calls});
    return 0;
}
