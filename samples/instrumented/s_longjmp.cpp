// longjmp out of nested instrumented calls, in a loop: the exit hooks of the frames it skips
// never run. Then more normal calls, into the same recursion too: its primitive calls (one per
// outermost activation) stay exact only if the skipped frames are accounted for.
#include "call_counter.h"

#include <csetjmp>
#include <cstdio>

namespace {

constexpr int kRounds = 3000;
constexpr int kMaxDepth = 7;
constexpr int kNormalRuns = 500;

samples::CallCounter dive_calls{.name = "dive(int, bool)", .recursive = true};
samples::CallCounter jump_round_calls{.name = "jump_round(int)"};
samples::CallCounter land_calls{.name = "land(int)"};
samples::CallCounter normal_work_calls{.name = "normal_work(int)"};

std::jmp_buf escape;
int landings = 0;

} // namespace

[[gnu::noinline]] int dive(int depth, bool jump_at_bottom) {
    samples::countCall(dive_calls);
    if (depth == 0) {
        if (jump_at_bottom)
            std::longjmp(escape, 1);
        return 0;
    }
    return dive(depth - 1, jump_at_bottom) + 1;
}

[[gnu::noinline]] void land(int round) {
    samples::countCall(land_calls);
    landings += round >= 0;
}

[[gnu::noinline]] void jump_round(int round) {
    samples::countCall(jump_round_calls);
    if (setjmp(escape) == 0) {
        samples::countOutermostCall(dive_calls);
        dive(round % kMaxDepth, true);
    }
    land(round);
}

[[gnu::noinline]] int normal_work(int run) {
    samples::countCall(normal_work_calls);
    samples::countOutermostCall(dive_calls);
    return dive(run % kMaxDepth, false);
}

int main() {
    for (int round = 0; round < kRounds; ++round)
        jump_round(round);
    int sum = 0;
    for (int run = 0; run < kNormalRuns; ++run)
        sum += normal_work(run);
    std::printf("landings %d sum %d\n", landings, sum);
    samples::printCounts({&dive_calls, &jump_round_calls, &land_calls, &normal_work_calls});
    return 0;
}
